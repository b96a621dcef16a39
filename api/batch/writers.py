"""The final output, written from the records in input order; the format follows the extension.

- `.jsonl`: one Suggestion (or error record) a line.
- `.csv`: OUT.csv one row per suggested line, OUT.warnings.csv one row per warning, OUT.errors.csv one row
  per failed input row (header only when none failed).
- `.parquet`: OUT.parquet one row per note (nested: lines, warnings, ... as lists of structs; `error` and
  `line` set on a failed row), plus flat views OUT.lines.parquet and OUT.warnings.parquet.

Every file goes to a temporary name and is renamed into place only when the whole output is written.
"""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from typing import IO, Any

from api.batch.files import atomic_open
from api.batch.options import sibling

LINE_COLUMNS = ["note_id", "cpt", "units", "modifiers", "minutes", "icd10", "confidence"]
WARNING_COLUMNS = ["note_id", "code", "severity", "cpt", "message"]
ERROR_COLUMNS = ["note_id", "line", "error"]
PARQUET_ROWS_PER_GROUP = 1024


def line_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"note_id": record.get("id"), "cpt": line["cpt"], "units": line["units"],
             "modifiers": line["modifiers"], "minutes": line.get("minutes"), "icd10": line["icd10"],
             "confidence": line["confidence"]} for line in record.get("lines", [])]


def warning_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"note_id": record.get("id"), "code": w["code"], "severity": w["severity"], "cpt": w.get("cpt"),
             "message": w["message"]} for w in record.get("warnings", [])]


class OutputWriter:
    """Use as a context manager: files appear only if the block finishes without an exception."""

    def __init__(self, output: str) -> None:
        self.output = output
        self._stack = ExitStack()
        self.paths: list[str] = []

    def _open(self, url: str) -> IO[bytes]:
        self.paths.append(url)
        return self._stack.enter_context(atomic_open(url))

    def __enter__(self) -> OutputWriter:
        self._stack.__enter__()
        try:
            self.start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self.finish()
        except BaseException as error:
            self._stack.__exit__(type(error), error, error.__traceback__)
            raise
        self._stack.__exit__(*exc)

    def start(self) -> None: ...

    def write(self, record: dict[str, Any], jsonl: bytes) -> None:
        raise NotImplementedError

    def finish(self) -> None: ...


class JsonlWriter(OutputWriter):
    def start(self) -> None:
        self.handle = self._open(self.output)

    def write(self, record: dict[str, Any], jsonl: bytes) -> None:
        self.handle.write(jsonl)


class CsvWriter(OutputWriter):
    def start(self) -> None:
        self.lines = self._csv(self.output, LINE_COLUMNS)
        self.warnings = self._csv(sibling(self.output, ".warnings.csv"), WARNING_COLUMNS)
        self.errors = self._csv(sibling(self.output, ".errors.csv"), ERROR_COLUMNS)

    def _csv(self, url: str, columns: list[str]) -> csv.DictWriter[str]:
        text = io.TextIOWrapper(self._open(url), encoding="utf-8", newline="", write_through=True)
        self._stack.callback(text.detach)  # the atomic file closes itself; the wrapper must not close it first
        writer = csv.DictWriter(text, columns)
        writer.writeheader()
        return writer

    def write(self, record: dict[str, Any], jsonl: bytes) -> None:
        if "error" in record:
            self.errors.writerow({k: record.get(k) for k in ERROR_COLUMNS[1:]} | {"note_id": record.get("id")})
            return
        for row in line_rows(record):
            self.lines.writerow(row | {"modifiers": ";".join(row["modifiers"]), "icd10": ";".join(row["icd10"])})
        self.warnings.writerows(warning_rows(record))


class ParquetWriter(OutputWriter):
    def start(self) -> None:
        import pyarrow as pa

        from api.batch.arrow_schema import suggestion_schema

        self.pa = pa
        self.nested = self._table(self.output, suggestion_schema())
        self.flat_lines = self._table(sibling(self.output, ".lines.parquet"), pa.schema([
            ("note_id", pa.string()), ("cpt", pa.string()), ("units", pa.int64()),
            ("modifiers", pa.list_(pa.string())), ("minutes", pa.int64()), ("icd10", pa.list_(pa.string())),
            ("confidence", pa.float64())]))
        self.flat_warnings = self._table(sibling(self.output, ".warnings.parquet"), pa.schema([
            ("note_id", pa.string()), ("code", pa.string()), ("severity", pa.string()), ("cpt", pa.string()),
            ("message", pa.string())]))

    def _table(self, url: str, schema: Any) -> _ParquetTable:
        table = _ParquetTable(self._open(url), schema)
        self._stack.callback(table.close)
        return table

    def write(self, record: dict[str, Any], jsonl: bytes) -> None:
        from api.batch.arrow_schema import to_arrow_row

        self.nested.add([to_arrow_row(record, self.nested.schema)])
        self.flat_lines.add(line_rows(record))
        self.flat_warnings.add(warning_rows(record))

    def finish(self) -> None:
        for table in (self.nested, self.flat_lines, self.flat_warnings):
            table.flush()


class _ParquetTable:
    """Rows buffered into fixed-size row groups, so the same records always give the same file."""

    def __init__(self, handle: IO[bytes], schema: Any) -> None:
        import pyarrow.parquet as pq

        self.schema = schema
        self.rows: list[dict[str, Any]] = []
        self.writer = pq.ParquetWriter(handle, schema, compression="zstd")
        self.closed = False

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= PARQUET_ROWS_PER_GROUP:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()


def open_writer(output: str, output_format: str) -> OutputWriter:
    kinds: dict[str, type[OutputWriter]] = {"jsonl": JsonlWriter, "csv": CsvWriter, "parquet": ParquetWriter}
    return kinds[output_format](output)
