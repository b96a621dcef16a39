"""Request and response models of the /v1 routes (the Note and Suggestion models are the contract's own)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from api.http_api.problems import FieldProblem
from rules.contract import Suggestion


class BatchRequest(BaseModel):
    # Items are validated one by one (a bad note must not sink the batch), so the model takes plain objects;
    # the schema still documents them as Notes.
    notes: list[Any] = Field(
        description="Notes, each with an `id`; at most the server's configured number per call",
        json_schema_extra={"items": {"$ref": "#/components/schemas/Note"}},
    )


class BatchItemError(BaseModel):
    index: int = Field(description="position of the note in the request")
    id: str | None = Field(default=None, description="the note's id, when it had a usable one")
    status: int = Field(default=422, description="what a single /v1/suggest call would have answered")
    error: FieldProblem


class BatchResponse(BaseModel):
    suggestions: list[Suggestion | BatchItemError] = Field(
        description="one entry per note, in request order: its Suggestion, or an error naming the field")


class DailyLimitInfo(BaseModel):
    units: int
    source: str
    overflow_to: str | None = None


class CodeInfo(BaseModel):
    code: str
    description: str
    timed: bool
    family: str
    disciplines: list[str]
    medicare_pays_separately: bool
    valid_from: dt.date | None = None
    daily_limit: DailyLimitInfo | None = None
    source: str


class CodeList(BaseModel):
    codes: list[CodeInfo]


class PayerInfo(BaseModel):
    name: str
    description: str
    unit_method: str = Field(description="`cms` (8-minute rule, pooled) or `per_code` (each code on its own)")
    unit_method_source: str
    discipline_modifiers: dict[str, str] | None = None
    assistant_modifiers: dict[str, str] | None = None
    assistant_modifiers_from: dt.date | None = None
    bundled_codes: list[str]
    distinct_modifier_style: str
    ncci: bool
    kx_threshold_years: list[int] = Field(description="years with a KX threshold amount on file")


class PayerList(BaseModel):
    payers: list[PayerInfo]


class Health(BaseModel):
    status: str = "ok"


class Readiness(BaseModel):
    status: str = "ready"
    pipeline: list[str] = Field(description="the loaded spaCy components, in order")
    model: str = Field(description="the intent model's name")
    rules: str = Field(description="the rules version")
    engine: str = Field(description="notecode's version")
    spacy: str
    codes: int = Field(description="codes in the loaded code table")
    payers: list[str] = Field(description="loaded payer profiles")
