"""The note a CDS call is about: a FHIR R4 DocumentReference, from `context.draftNote` or `prefetch.note`,
with the text inline as base64 `content[0].attachment.data` of contentType text/plain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import Message
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference
from pydantic import ValidationError

from api.http_api.cds_models import CdsRequest, NoteSignContext
from api.http_api.problems import FieldProblem, ProblemError, field_path

PREFETCH_KEY = "note"


@dataclass(frozen=True)
class NoteSource:
    where: str  # "context.draftNote" or "prefetch.note": where errors about the document point
    document: DocumentReference


def find_document(request: CdsRequest, context: NoteSignContext) -> NoteSource:
    """The draft in the context wins (it is what is being signed); else the prefetched one. 412 if neither."""
    if context.draftNote is not None:
        return NoteSource("context.draftNote", _document(context.draftNote, "context.draftNote"))
    prefetched = (request.prefetch or {}).get(PREFETCH_KEY)
    if prefetched is not None:
        return NoteSource(f"prefetch.{PREFETCH_KEY}", _document(prefetched, f"prefetch.{PREFETCH_KEY}"))
    raise ProblemError(412, "note-unavailable", "the note is in neither `context.draftNote` nor `prefetch.note`; "
                       "notecode does not fetch from the FHIR server",
                       [FieldProblem(field="context.draftNote", problem="absent"),
                        FieldProblem(field=f"prefetch.{PREFETCH_KEY}", problem="absent (or null: the client could "
                                     "not fetch it)")])


def _document(raw: Any, where: str) -> DocumentReference:
    if isinstance(raw, dict) and raw.get("resourceType") == "Bundle":  # a search-style prefetch
        entries = [e.get("resource") for e in raw.get("entry") or [] if isinstance(e, dict)]
        documents = [r for r in entries if isinstance(r, dict) and r.get("resourceType") == "DocumentReference"]
        if len(documents) != 1:
            raise _invalid(where, f"a Bundle must hold exactly one DocumentReference, found {len(documents)}")
        raw, where = documents[0], f"{where}.entry"
    if not isinstance(raw, dict):
        raise _invalid(where, f"expected a FHIR DocumentReference object, got {type(raw).__name__}")
    if raw.get("resourceType") != "DocumentReference":
        raise _invalid(f"{where}.resourceType", "expected DocumentReference")
    try:
        return DocumentReference.model_validate(raw)
    except ValidationError as exc:
        errors = [FieldProblem(field=f"{where}.{field_path(e['loc'])}", problem=e["msg"])
                  for e in exc.errors(include_input=False, include_url=False)]
        raise ProblemError(422, "invalid-document", f"{where} is not a valid R4 DocumentReference", errors) from None


def note_text(source: NoteSource) -> str:
    """The attachment's text, decoded with its declared charset (UTF-8 if none)."""
    where = f"{source.where}.content.0.attachment"
    content = source.document.content or []
    attachment = content[0].attachment if content else None
    if attachment is None:
        raise _invalid(f"{source.where}.content", "needs at least one entry with an attachment")
    header = Message()
    header["content-type"] = attachment.contentType or ""
    if header.get_content_type() != "text/plain" or not attachment.contentType:
        raise _invalid(f"{where}.contentType", "must be text/plain")
    if attachment.data is None:
        raise _invalid(f"{where}.data", "the note must be inline as base64 `data`; notecode does not fetch `url`")
    charset = header.get_content_charset() or "utf-8"
    try:
        return bytes(attachment.data).decode(charset)
    except LookupError:
        raise _invalid(f"{where}.contentType", "names an unknown charset") from None
    except UnicodeDecodeError:
        raise _invalid(f"{where}.data", f"is not valid {charset} text") from None


def date_of_service(document: DocumentReference) -> dt.date | None:
    """The encounter period's start, else the document's date."""
    period = document.context.period if document.context else None
    start = period.start if period else None
    when = start or document.date
    if isinstance(when, dt.datetime):
        return when.date()
    return when if isinstance(when, dt.date) else None


def _invalid(field: str, problem: str) -> ProblemError:
    return ProblemError(422, "invalid-document", f"{field}: {problem}", [FieldProblem(field=field, problem=problem)])
