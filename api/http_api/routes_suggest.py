"""POST /v1/suggest and /v1/suggest/batch: Note in, Suggestion out (the contract's shapes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request

from api.http_api.engine import EngineDep
from api.http_api.examples import BATCH_EXAMPLES, NOTE_EXAMPLES
from api.http_api.models import BatchItemError, BatchRequest, BatchResponse
from api.http_api.openapi_docs import AUTHED, error_responses
from api.http_api.problems import FieldProblem, ProblemError, note_problem
from api.http_api.security import require
from api.http_api.settings import SettingsDep
from rules.contract import Note, Suggestion
from rules.errors import NoteError

router = APIRouter(prefix="/v1", tags=["suggest"], dependencies=[Depends(require("suggest"))])


def _record(request: Request, results: list[Any]) -> None:
    """Counts and warning codes for the access log (never text)."""
    request.state.note_count = len(results)
    request.state.warning_codes = sorted({w.code for r in results if isinstance(r, Suggestion) for w in r.warnings})


@router.post("/suggest", response_model=Suggestion, operation_id="suggestNote",
             summary="Suggest claim lines for one note", responses=error_responses(400, 413, 422, *AUTHED))
def suggest(note: Annotated[Note, Body(openapi_examples=NOTE_EXAMPLES)], request: Request, engine: EngineDep,
            settings: SettingsDep) -> Suggestion:
    result = engine.suggest([note], settings.max_note_chars)[0]
    _record(request, [result])
    if isinstance(result, NoteError):
        problem = note_problem(result)
        raise ProblemError(422, "invalid-note", f"{problem.field}: {problem.problem}", [problem])
    return result


@router.post("/suggest/batch", response_model=BatchResponse, operation_id="suggestBatch",
             summary="Suggest claim lines for many notes, in order; a bad note gets an error in its place",
             responses=error_responses(400, 413, 422, *AUTHED))
def suggest_batch(batch: Annotated[BatchRequest, Body(openapi_examples=BATCH_EXAMPLES)], request: Request,
                  engine: EngineDep, settings: SettingsDep) -> BatchResponse:
    if len(batch.notes) > settings.max_batch_notes:
        raise ProblemError(422, "too-many-notes", f"{len(batch.notes)} notes in one batch; the limit is "
                           f"{settings.max_batch_notes}",
                           [FieldProblem(field="notes", problem=f"at most {settings.max_batch_notes} notes a call")])
    raws = [_missing_id(raw) or raw for raw in batch.notes]
    results = engine.suggest(raws, settings.max_note_chars)
    _record(request, results)
    return BatchResponse(suggestions=[
        _item_error(index, batch.notes[index], r) if isinstance(r, NoteError) else r for index, r in enumerate(results)
    ])


def _missing_id(raw: Any) -> NoteError | None:
    """The contract requires an id on every note of a batch."""
    if isinstance(raw, dict) and not (isinstance(raw.get("id"), str) and raw["id"].strip()):
        return NoteError("id", "every note in a batch needs an id (a non-empty string), echoed back")
    return None


def _item_error(index: int, raw: Any, error: NoteError) -> BatchItemError:
    note_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
    return BatchItemError(index=index, id=note_id, error=note_problem(error))
