"""The Python entry point: Note (dict, JSON or model) in, Suggestion out, with one-line input errors.

    from api.service import suggest
    suggest({"text": "Ther ex 15 min: pendulums, table slides 2x10. Total treatment time 15 min."})
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic import ValidationError

from nlp.suggester import Suggester
from rules.contract import Note, Suggestion
from rules.errors import NoteError
from rules.suggest import suggest_services

MAX_TEXT_CHARS = 1_000_000
YOUNG_GC_THRESHOLD = 20_000


def parse_note(raw: Any) -> Note:
    """Validate a Note; raises NoteError naming the field and the problem (never echoing note text)."""
    if isinstance(raw, Note):
        note = raw
    elif not isinstance(raw, dict):
        raise NoteError("note", f"expected a JSON object, got {type(raw).__name__}")
    else:
        try:
            note = Note.model_validate(raw)
        except ValidationError as exc:
            raise NoteError.from_validation(exc) from None
    if not note.services:
        _check_text(note.text or "")
    return note


def _check_text(text: str) -> None:
    if not text.strip():
        raise NoteError("text", "the note is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise NoteError("text", f"the note is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    if "\x00" in text:
        raise NoteError("text", "the note contains binary data (NUL bytes), not text")


@cache
def default_suggester() -> Suggester:
    """One pipeline and model per process, loaded on first use.

    What is loaded by then (the ICD-10-CM code tree alone is some 600,000 objects, the model, the pipeline) lives
    as long as the process, so it is frozen out of the garbage collector's full collections, which otherwise
    walk all of it every few hundred notes (about a tenth of the suggester's time).

    Reading one note makes thousands of short-lived objects (matches, spans, blocks), so the youngest generation
    is collected after YOUNG_GC_THRESHOLD allocations instead of Python's 700: fewer collections, and fewer of
    the older generations that also walk every result made so far (about 4% of the suggester's time)."""
    suggester = Suggester()
    suggester.model_name  # noqa: B018  (loads the intent model now, so it is frozen with the rest)
    gc.freeze()
    _, *older = gc.get_threshold()
    gc.set_threshold(max(YOUNG_GC_THRESHOLD, gc.get_threshold()[0]), *older)
    return suggester


def suggest(raw: Any) -> Suggestion:
    result = suggest_many([raw])[0]
    if isinstance(result, NoteError):
        raise result
    return result


def suggest_many(raws: Iterable[Any], batch_size: int = 256) -> list[Suggestion | NoteError]:
    """Suggestions in input order; a bad note yields its NoteError in its place, the others go on.
    Text notes are read together, so the intent model classifies a whole batch in one call."""
    results: list[Suggestion | NoteError | None] = []
    pending: list[tuple[int, Note]] = []
    for raw in raws:
        try:
            note = parse_note(raw)
        except NoteError as exc:
            results.append(exc)
            continue
        if note.services:
            results.append(_safe_services(note))
        else:
            results.append(None)
            pending.append((len(results) - 1, note))
    for start in range(0, len(pending), batch_size):
        chunk = pending[start:start + batch_size]
        for (index, _), suggestion in zip(chunk, default_suggester().suggest_texts([n for _, n in chunk]),
                                          strict=True):
            results[index] = suggestion
    return [r for r in results if r is not None]


def _safe_services(note: Note) -> Suggestion | NoteError:
    try:
        return suggest_services(note)
    except NoteError as exc:
        return exc
