"""The Python entry point: Note (dict, JSON or model) in, Suggestion out, with one-line input errors."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from rules.contract import Note, Suggestion
from rules.errors import NoteError
from rules.suggest import suggest_services


def parse_note(raw: Any) -> Note:
    """Validate a Note; raises NoteError naming the field and the problem (never echoing note text)."""
    if isinstance(raw, Note):
        return raw
    if not isinstance(raw, dict):
        raise NoteError("note", f"expected a JSON object, got {type(raw).__name__}")
    try:
        return Note.model_validate(raw)
    except ValidationError as exc:
        raise NoteError.from_validation(exc) from None


def suggest(raw: Any) -> Suggestion:
    note = parse_note(raw)
    if note.services:
        return suggest_services(note)
    raise NoteError("text", "reading free text is not supported yet: give coded `services`")
