"""CDS Hooks: discovery, the charge-review service, and its feedback endpoint (plus 1.0's analytics)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request
from pydantic import ValidationError

from api.http_api.cds_cards import Visit, build_cards
from api.http_api.cds_feedback import feedback_record
from api.http_api.cds_models import (
    AcceptedSuggestion,
    CdsRequest,
    CdsResponse,
    CdsServiceDescription,
    DiscoveryResponse,
    Feedback,
    FeedbackReceipt,
    FeedbackRequest,
    NoteSignContext,
)
from api.http_api.cds_note import PREFETCH_KEY, date_of_service, find_document, note_text
from api.http_api.engine import EngineDep
from api.http_api.examples import CDS_EXAMPLES, FEEDBACK_EXAMPLES
from api.http_api.openapi_docs import AUTHED, error_responses
from api.http_api.problems import FieldProblem, ProblemError, field_path, note_problem
from api.http_api.security import Principal, require
from api.http_api.settings import Settings, SettingsDep
from rules.errors import NoteError

SERVICE_ID = "notecode-charge-review"
router = APIRouter(prefix="/cds-services", tags=["cds-hooks"])
CdsKey = Annotated[Principal, Depends(require("cds"))]


def describe(settings: Settings) -> CdsServiceDescription:
    return CdsServiceDescription(
        hook=settings.cds_hook, id=SERVICE_ID, title="notecode charge review",
        description="Reads the outpatient therapy note being signed and suggests its claim lines (CPT, units, "
                    "modifiers, ICD-10 pointers), with a card for each serious documentation gap.",
        prefetch={PREFETCH_KEY: "DocumentReference/{{context.documentId}}"},
    )


@router.get("", response_model=DiscoveryResponse, response_model_exclude_none=True, operation_id="cdsDiscovery",
            summary="CDS Hooks discovery", responses=error_responses(*AUTHED))
def discovery(settings: SettingsDep, _: CdsKey) -> DiscoveryResponse:
    return DiscoveryResponse(services=[describe(settings)])


@router.post(f"/{SERVICE_ID}", response_model=CdsResponse, response_model_exclude_none=True,
             operation_id="cdsChargeReview", summary="CDS Hooks service: claim lines and documentation gaps as cards",
             responses=error_responses(400, 412, 413, 422, *AUTHED))
def charge_review(call: Annotated[CdsRequest, Body(openapi_examples=CDS_EXAMPLES)], request: Request,
                  engine: EngineDep, settings: SettingsDep, _: CdsKey) -> CdsResponse:
    if call.hook != settings.cds_hook:
        raise ProblemError(422, "wrong-hook", f"this service answers the {settings.cds_hook!r} hook",
                           [FieldProblem(field="hook", problem=f"expected {settings.cds_hook!r}")])
    context = _context(call.context)
    source = find_document(call, context)
    text = note_text(source)
    raw = _note(context, source.document, text)
    result = engine.suggest([raw], settings.max_note_chars)[0]
    request.state.note_count = 1
    if isinstance(result, NoteError):
        problem = note_problem(result)
        problem.field = _note_field(problem.field, source.where)
        raise ProblemError(422, "invalid-note", f"{problem.field}: {problem.problem}", [problem])
    request.state.warning_codes = sorted({w.code for w in result.warnings})
    visit = Visit(patient_id=context.patientId, encounter_id=context.encounterId,
                  date_of_service=_date(raw))
    return CdsResponse(cards=build_cards(result, visit, settings.cds_source_url, request.app.state.cards))


@router.post(f"/{SERVICE_ID}/feedback", response_model=FeedbackReceipt, operation_id="cdsFeedback",
             summary="CDS Hooks feedback: cards accepted or overridden",
             responses=error_responses(400, 413, 422, *AUTHED))
def feedback(body: Annotated[FeedbackRequest, Body(openapi_examples=FEEDBACK_EXAMPLES)], request: Request,
             key: CdsKey) -> FeedbackReceipt:
    return _store(request, key, body.feedback)


@router.post(f"/{SERVICE_ID}/analytics/{{suggestion_uuid}}", response_model=FeedbackReceipt,
             operation_id="cdsAnalytics", summary="CDS Hooks 1.0 suggestion analytics: a suggestion was taken",
             responses=error_responses(*AUTHED))
def analytics(suggestion_uuid: Annotated[str, Path(max_length=100)], request: Request,
              key: CdsKey) -> FeedbackReceipt:
    # 1.0 names only the suggestion, so the card is unknown; the record keeps the suggestion id
    item = Feedback(card="unknown", outcome="accepted", acceptedSuggestions=[AcceptedSuggestion(id=suggestion_uuid)],
                    outcomeTimestamp=dt.datetime.now(dt.UTC))
    return _store(request, key, [item])


def _store(request: Request, key: Principal, items: list[Feedback]) -> FeedbackReceipt:
    ledger = request.app.state.cards
    records = [feedback_record(item, SERVICE_ID, key.name, ledger) for item in items]
    request.app.state.feedback.record(records)
    return FeedbackReceipt(recorded=len(records))


def _context(raw: dict[str, Any]) -> NoteSignContext:
    try:
        return NoteSignContext.model_validate(raw)
    except ValidationError as exc:
        errors = [FieldProblem(field=f"context.{field_path(e['loc'])}", problem=e["msg"].removeprefix("Value error, "))
                  for e in exc.errors(include_input=False, include_url=False)]
        raise ProblemError(422, "validation", "; ".join(f"{p.field}: {p.problem}" for p in errors[:3]),
                           errors) from None


def _note(context: NoteSignContext, document: Any, text: str) -> dict[str, Any]:
    raw: dict[str, Any] = {"id": document.id or context.documentId, "text": text}
    day = date_of_service(document)
    if day is not None:
        raw["date_of_service"] = day.isoformat()
    if context.billing is not None:
        raw.update(context.billing.model_dump(exclude_none=True))
    return raw


def _note_field(field: str, document_where: str) -> str:
    """A Note field's name as the CDS caller knows it."""
    if field == "text":
        return f"{document_where}.content.0.attachment.data"
    if field == "id":
        return f"{document_where}.id"
    if field == "note":
        return "context.billing"
    return f"context.billing.{field}"


def _date(raw: dict[str, Any]) -> str:
    return str(raw.get("date_of_service") or dt.date.today().isoformat())  # the Note's own default
