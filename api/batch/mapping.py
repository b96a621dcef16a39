"""From one input row (a JSONL line, a CSV record, a Parquet row) to a raw Note dict, or the NoteError that
says which field of that row is unusable. Runs in the workers, so skipped chunks are never parsed.

Column names from the input are mapped onto the contract's fields (`--text-column NOTE_TEXT`); values from
CSV arrive as strings and are converted here (icd10 split on ; or |, minutes to integers, services as JSON).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules.contract import Note
from rules.errors import NoteError

NOTE_FIELDS: tuple[str, ...] = tuple(Note.model_fields)
ICD10_SEPARATORS = re.compile(r"[;|]")
ROW_ERROR = "__row_error__"  # set by a reader on a row it could not split into fields


@dataclass(frozen=True)
class ColumnMapping:
    """Note field -> the input's column name, for the fields whose column is named differently."""

    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, text_column: str | None = None, id_column: str | None = None,
              pairs: list[str] | None = None) -> ColumnMapping:
        from api.batch.options import BatchUsageError

        columns: dict[str, str] = {}
        for pair in pairs or []:
            name, sep, column = pair.partition("=")
            name, column = name.strip(), column.strip()
            if not sep or not name or not column:
                raise BatchUsageError(f"--column: expected FIELD=COLUMN, got {pair!r}")
            if name not in NOTE_FIELDS:
                raise BatchUsageError(f"--column: {name!r} is not a Note field (fields: {', '.join(NOTE_FIELDS)})")
            columns[name] = column
        if text_column:
            columns["text"] = text_column
        if id_column:
            columns["id"] = id_column
        return cls(columns)

    def column(self, name: str) -> str:
        return self.columns.get(name, name)

    def describe(self, error_field: str) -> str:
        """'text (column NOTE_TEXT)' when the field came from a renamed column."""
        root = error_field.split(".", 1)[0]
        return f"{error_field} (column {self.columns[root]})" if root in self.columns else error_field

    def as_dict(self) -> dict[str, str]:
        return dict(sorted(self.columns.items()))


def note_from_json_line(line: str, number: int, mapping: ColumnMapping, run_date: dt.date) -> dict[str, Any]:
    """A JSONL line -> raw Note; JSON is kept as it is (strict types), only renamed columns move."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise NoteError(f"line {number}", f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise NoteError(f"line {number}", f"expected a JSON object, got {type(obj).__name__}")
    for name, column in mapping.columns.items():
        if column in obj:
            obj[name] = obj.pop(column)
    return _finish(obj, run_date)


def note_from_record(record: dict[str, Any], mapping: ColumnMapping, run_date: dt.date) -> dict[str, Any]:
    """A CSV or Parquet row -> raw Note. Other columns are ignored; an empty cell is an absent field."""
    if ROW_ERROR in record:
        raise NoteError("row", record[ROW_ERROR])
    raw: dict[str, Any] = {}
    for name in NOTE_FIELDS:
        value = record.get(mapping.column(name))
        if value is None or (isinstance(value, str) and not value.strip() and name != "text"):
            continue
        raw[name] = _convert(name, value)
    return _finish(raw, run_date)


def row_id(raw: Any, mapping: ColumnMapping) -> str | None:
    """The id of a row that failed, if it can be told (never anything else from the row)."""
    if not isinstance(raw, dict):
        return None
    value = raw.get("id", raw.get(mapping.column("id")))
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) or None


def _finish(raw: dict[str, Any], run_date: dt.date) -> dict[str, Any]:
    for name, value in raw.items():
        if isinstance(value, str) and not _is_utf8(value):
            raise NoteError(name, "not readable text (invalid UTF-8 bytes)")
    if raw.get("id") in (None, ""):
        raise NoteError("id", "missing; every row of a batch needs an id (name its column with --id-column)")
    # The date the run started stands in for "today", so a resumed run decides exactly as the first one.
    raw.setdefault("date_of_service", run_date.isoformat())
    return raw


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")  # undecodable input bytes arrive as lone surrogates (surrogateescape)
    except UnicodeEncodeError:
        return False
    return True


def _convert(name: str, value: Any) -> Any:
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError(name, "not readable text (invalid UTF-8 bytes)") from None
    if name == "id":
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if name == "icd10":
        return _icd10(value)
    if name == "total_treatment_minutes":
        return _whole_number(name, value)
    if name == "ytd_therapy_charges":
        return _number(name, value)
    if name == "services" and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise NoteError(name, f"expected a JSON list of {{cpt, minutes}} ({exc.msg})") from None
    if name == "date_of_service" and isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return value


def _icd10(value: Any) -> Any:
    if isinstance(value, str):
        return [code.strip() for code in ICD10_SEPARATORS.split(value) if code.strip()]
    return value


def _whole_number(name: str, value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise NoteError(name, "expected a whole number of minutes")
        return int(value.strip())
    return value


def _number(name: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "").removeprefix("$"))
        except ValueError:
            raise NoteError(name, "expected a number (US dollars)") from None
    return value
