"""One chunk of rows -> its output records (a Suggestion, or an error record naming the row), in order.

This is what every worker runs, in this process, in a pool process or on a Dask worker. The pipeline and
model load once per process (`default_suggester`), on the first chunk or in `warm_up`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from api.batch.mapping import ColumnMapping, note_from_json_line, note_from_record, row_id
from api.batch.readers import Row
from api.service import default_suggester, suggest_many
from rules.errors import NoteError

log = logging.getLogger("notecode.batch")


def warm_up() -> None:
    default_suggester()


def screen_rows(rows: list[Row], mapping: ColumnMapping, run_date: dt.date) -> list[dict[str, Any]]:
    """Records in input order. A failure inside the reader is retried row by row, so one bad note never
    takes its chunk down with it."""
    parsed: list[tuple[Row, dict[str, Any] | NoteError]] = [(row, _note(row, mapping, run_date)) for row in rows]
    good = [raw for _, raw in parsed if not isinstance(raw, NoteError)]
    try:
        answers = iter(suggest_many(good))
    except Exception:  # noqa: BLE001 -- isolate the row that fails, below
        answers = iter([_one(raw) for raw in good])
    records = []
    for row, raw in parsed:
        result = raw if isinstance(raw, NoteError) else next(answers)
        if isinstance(result, NoteError):
            records.append(error_record(row, raw, result, mapping))
        else:
            records.append(result.model_dump(mode="json"))
    return records


def records_to_jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8")


def error_record(row: Row, raw: Any, error: NoteError, mapping: ColumnMapping) -> dict[str, Any]:
    """The row's id and place and what is wrong with it; never its text."""
    reason = f"{mapping.describe(error.field)}: {error.problem}"
    identifier = row_id(raw if not isinstance(raw, NoteError) else _payload_object(row.payload), mapping)
    return {"id": identifier, "line": row.number, "error": reason}


def _payload_object(payload: str | dict[str, Any]) -> Any:
    if isinstance(payload, dict):
        return payload
    try:
        return json.loads(payload)
    except json.JSONDecodeError:
        return None


def _note(row: Row, mapping: ColumnMapping, run_date: dt.date) -> dict[str, Any] | NoteError:
    try:
        if isinstance(row.payload, str):
            return note_from_json_line(row.payload, row.number, mapping, run_date)
        return note_from_record(row.payload, mapping, run_date)
    except NoteError as exc:
        return exc


def _one(raw: Any) -> Any:
    try:
        return suggest_many([raw])[0]
    except Exception as exc:  # noqa: BLE001 -- an internal failure becomes this row's error record
        log.error("a row failed inside notecode: %s", type(exc).__name__)  # never the note text
        return NoteError("note", f"internal error while reading this note ({type(exc).__name__}); reported")
