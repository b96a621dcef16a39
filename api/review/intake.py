"""Notes into the review queue: pasted text, an uploaded notes file, or a batch output with its notes.

Pasted and uploaded notes go through the suggester; a batch output already has its suggestions and needs
its input notes for the text (matched by id). Problems are one line naming the file, line and field, and
never quote the note.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from api.review.models import ReviewNote
from api.review.store import ReviewStore
from api.service import parse_note
from rules.contract import Note, Suggestion
from rules.errors import NoteError

Suggest = Callable[[Sequence[Any]], list[Suggestion | NoteError]]


class IntakeError(ValueError):
    """Nothing was imported; the message names the file or field and the problem."""


@dataclass
class IntakeReport:
    added: list[int] = field(default_factory=list)  # queue ids
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)  # one line each, never note text

    @property
    def summary(self) -> str:
        parts = [f"{len(self.added)} note(s) added to the queue"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already there")
        if self.problems:
            parts.append(f"{len(self.problems)} skipped")
        return "; ".join(parts)


def pasted_note(text: str, discipline: str, payer: str, date_of_service: str, icd10: str,
                note_id: str) -> dict[str, Any]:
    """A Note from the paste form's fields (blank fields take the contract's defaults)."""
    raw: dict[str, Any] = {"text": text, "discipline": discipline or "OT", "payer": payer or "medicare"}
    if date_of_service.strip():
        raw["date_of_service"] = date_of_service.strip()
    codes = [c for c in icd10.replace(",", " ").split() if c]
    if codes:
        raw["icd10"] = codes
    if note_id.strip():
        raw["id"] = note_id.strip()
    return raw


def read_json_records(content: bytes, name: str) -> list[tuple[int, Any]]:
    """(line number, value) for a JSON object, a JSON array or JSON Lines."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeError(f"{name}: not UTF-8 text") from None
    stripped = text.strip()
    if not stripped:
        raise IntakeError(f"{name}: the file is empty")
    if stripped[0] in "[{":
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None  # JSON Lines start with "{" too
        if isinstance(whole, list):
            return [(index + 1, item) for index, item in enumerate(whole)]
        if isinstance(whole, dict):
            return [(1, whole)]
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise IntakeError(f"{name} line {number}: not valid JSON ({exc.msg})") from None
    return records


def suggest_and_queue(store: ReviewStore, suggest: Suggest, raws: list[tuple[str, Any]], source: str,
                      coder_id: int) -> IntakeReport:
    """Run the suggester on notes (each with a label for messages) and queue the good ones."""
    report = IntakeReport()
    results = suggest([raw for _, raw in raws])
    pairs = []
    for (label, raw), result in zip(raws, results, strict=True):
        if isinstance(result, NoteError):
            report.problems.append(f"{label}: {result}")
            continue
        pairs.append((parse_note(raw), result))
    _queue(store, pairs, source, coder_id, report)
    return report


def queue_batch_output(store: ReviewStore, output: bytes, output_name: str, notes: bytes, notes_name: str,
                       coder_id: int, limit: int) -> IntakeReport:
    """A batch output (one Suggestion a line, or an error record) with the notes it was made from."""
    report = IntakeReport()
    by_id: dict[str, Note] = {}
    for number, raw in read_json_records(notes, notes_name):
        try:
            note = parse_note(raw)
        except NoteError as exc:
            report.problems.append(f"{notes_name} line {number}: {exc}")
            continue
        if note.id:
            by_id[note.id] = note
    pairs = []
    records = read_json_records(output, output_name)
    if len(records) > limit:
        raise IntakeError(f"{output_name}: {len(records)} records; at most {limit} in one import")
    for number, record in records:
        where = f"{output_name} line {number}"
        if isinstance(record, dict) and "error" in record and "lines" not in record:
            report.problems.append(f"{where}: the batch could not suggest for this note (an error record)")
            continue
        try:
            suggestion = Suggestion.model_validate(record)
        except ValidationError as exc:
            first = exc.errors(include_input=False)[0]
            report.problems.append(f"{where}: {'.'.join(map(str, first['loc'])) or 'record'}: {first['msg']}")
            continue
        note = by_id.get(suggestion.id or "")
        if note is None:
            report.problems.append(f"{where}: no note with this id in {notes_name}")
            continue
        if not _offsets_fit(suggestion, note.text or ""):
            report.problems.append(f"{where}: its evidence offsets do not fit the note's text (another version "
                                   "of the note?)")
            continue
        pairs.append((note, suggestion))
    _queue(store, pairs, "batch", coder_id, report)
    return report


def _offsets_fit(suggestion: Suggestion, text: str) -> bool:
    spans = [e for line in suggestion.lines for e in line.evidence]
    spans += [e for w in suggestion.warnings for e in w.evidence]
    spans += [*suggestion.interventions, *suggestion.measurements]
    return all(0 <= s.start <= s.end <= len(text) and text[s.start:s.end] == s.text for s in spans)


def _queue(store: ReviewStore, pairs: list[tuple[Note, Suggestion]], source: str, coder_id: int,
           report: IntakeReport) -> None:
    with store.session() as session:
        for note, suggestion in pairs:
            note_json = note.model_dump(mode="json", exclude_none=True)
            if note.id and _already_queued(session, note, note_json):
                report.duplicates += 1
                continue
            warnings = suggestion.warnings
            row = ReviewNote(external_id=note.id, source=source, note=note_json,
                             suggestion=suggestion.model_dump(mode="json"),
                             warning_codes=_tags(w.code for w in warnings),
                             severities=_tags(w.severity for w in warnings),
                             imported_by=coder_id, imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
            session.add(row)
            session.flush()
            report.added.append(row.id)


def _already_queued(session: Any, note: Note, note_json: dict[str, Any]) -> bool:
    """The same id with the same text is the same note (re-importing a file adds nothing)."""
    same_id = session.scalars(select(ReviewNote).where(ReviewNote.external_id == note.id))
    return any(row.note.get("text") == note_json.get("text") for row in same_id)


def _tags(values: Any) -> str:
    """' A B ' so that `LIKE '% A %'` finds one value exactly."""
    unique = sorted(set(values))
    return f" {' '.join(unique)} " if unique else ""
