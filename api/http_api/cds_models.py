"""CDS Hooks shapes (specification 1.0 and 2.0): discovery, service request, cards, feedback.

The specification forbids null and empty values for optional fields, so every optional field here defaults
to None and the routes serialize with `exclude_none`; empty lists are never built.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CdsServiceDescription(BaseModel):
    hook: str
    title: str | None = None
    description: str
    id: str
    prefetch: dict[str, str] | None = None


class DiscoveryResponse(BaseModel):
    services: list[CdsServiceDescription]


class FhirAuthorization(BaseModel):
    # accepted for shape only: notecode never calls the client's FHIR server
    access_token: str
    token_type: str
    expires_in: int
    scope: str
    subject: str


class CdsRequest(BaseModel):
    hook: str = Field(description="must be the hook this service is registered for")
    hookInstance: str = Field(description="the client's UUID for this hook call")
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None
    extension: dict[str, Any] | None = None


class Billing(BaseModel):
    """The Note fields other than the text: how to bill the visit. Validated as a Note, so the same rules apply."""

    model_config = ConfigDict(extra="forbid")
    discipline: str | None = None
    payer: str | None = None
    date_of_service: str | None = None
    rendering_provider: str | None = None
    icd10: list[str] | None = None
    ytd_therapy_charges: float | None = None
    total_treatment_minutes: int | None = None


class NoteSignContext(BaseModel):
    """Context of the `note-sign` hook this service answers: the clinician is about to sign a treatment note."""

    userId: str | None = None
    patientId: str | None = None
    encounterId: str | None = None
    documentId: str | None = Field(default=None, description="prefetch token: the DocumentReference being signed")
    draftNote: dict[str, Any] | None = Field(
        default=None, description="the DocumentReference in progress (R4), when it is not on the FHIR server yet")
    billing: Billing | None = None


class Coding(BaseModel):
    code: str
    system: str
    display: str | None = None


class Source(BaseModel):
    label: str
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(BaseModel):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: str | None = None


class CardSuggestion(BaseModel):
    label: str
    uuid: str | None = None
    isRecommended: bool | None = None
    actions: list[Action] | None = None


class Card(BaseModel):
    uuid: str | None = None
    summary: str = Field(max_length=139, description="one sentence, under 140 characters")
    detail: str | None = Field(default=None, description="GitHub-flavoured Markdown")
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[CardSuggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: list[Coding] | None = None


class CdsResponse(BaseModel):
    cards: list[Card]


class AcceptedSuggestion(BaseModel):
    id: str


class OverrideReason(BaseModel):
    reason: Coding | None = None
    userComment: str | None = None  # read only to note that one was given; never stored


class Feedback(BaseModel):
    card: str
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = None
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: dt.datetime

    @model_validator(mode="after")
    def _accepted_names_suggestions(self) -> Feedback:
        if self.outcome == "accepted" and not self.acceptedSuggestions:
            raise ValueError("an `accepted` outcome needs `acceptedSuggestions`")
        return self


class FeedbackRequest(BaseModel):
    feedback: list[Feedback] = Field(min_length=1, max_length=1000)


class FeedbackReceipt(BaseModel):
    recorded: int
