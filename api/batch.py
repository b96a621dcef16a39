"""Batch runs over JSONL: one Note a line in, one Suggestion (or error record) a line out, in order.

A bad row becomes an error record with its id, line number and the reason; the others go on.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from api.service import suggest_many
from rules.errors import NoteError

CHUNK_ROWS = 256
log = logging.getLogger("notecode.batch")


@dataclass
class BatchSummary:
    notes: int = 0
    failed: int = 0


def _chunks(rows: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(handle: TextIO) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, NoteError(f"line {number}", f"not valid JSON ({exc.msg} at column {exc.colno})")


def process_rows(rows: list[tuple[int, Any]]) -> list[dict[str, Any]]:
    """Suggestions (or error records naming the row) for a chunk of rows, in order. A failure inside the
    reader is retried row by row, so one bad note never takes its chunk down with it."""
    good = [(number, raw) for number, raw in rows if not isinstance(raw, NoteError)]
    try:
        answers = iter(suggest_many([raw for _, raw in good]))
    except Exception:  # noqa: BLE001 -- isolate the row that fails, below
        answers = iter([_one(number, raw) for number, raw in good])
    records = []
    for number, raw in rows:
        result = raw if isinstance(raw, NoteError) else next(answers)
        if isinstance(result, NoteError):
            row_id = raw.get("id") if isinstance(raw, dict) else None
            records.append({"id": row_id, "line": number, "error": str(result)})
        else:
            records.append(result.model_dump(mode="json"))
    return records


def _one(number: int, raw: Any) -> Any:
    try:
        return suggest_many([raw])[0]
    except Exception as exc:  # noqa: BLE001 -- an internal failure becomes this row's error record
        log.error("row %d failed inside notecode: %s", number, type(exc).__name__)  # never the note text
        return NoteError("note", f"internal error while reading this note ({type(exc).__name__}); reported")


def run_batch(source: Path, target: Path) -> BatchSummary:
    summary = BatchSummary()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with open(fd, "w", encoding="utf-8") as out, source.open(encoding="utf-8", errors="replace") as handle:
            for chunk in _chunks(_rows(handle), CHUNK_ROWS):
                for record in process_rows(chunk):
                    summary.notes += 1
                    summary.failed += "error" in record
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp_name, target)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return summary
