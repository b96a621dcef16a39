"""Stream the input's rows, one at a time, from JSONL, CSV or Parquet (a local path or any fsspec URL).

A reader yields `Row`s: the row's place in the input (`number`: its line in JSONL and CSV, its 1-based row in
Parquet), its payload (a JSONL line as text, or a dict of column -> value) and how far into the input it
ends (bytes for text files, rows for Parquet), for the progress bar. Nothing is parsed beyond that here:
the workers turn payloads into Notes.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import fsspec
import fsspec.compression

from api.batch.files import absolute
from api.batch.mapping import NOTE_FIELDS, ROW_ERROR, ColumnMapping
from api.batch.options import COMPRESSIONS, INPUT_FORMATS, BatchUsageError, format_of

PARQUET_BATCH_ROWS = 1024
FINGERPRINT_BYTES = 1 << 20

# A note may be far longer than csv's default 128 KiB field limit; the note-length limit applies later.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class Row:
    number: int
    payload: str | dict[str, Any]
    position: int


class Source:
    """One input file. `size` is in the unit of `Row.position`."""

    format = ""
    folders_allowed = False

    def __init__(self, url: str, mapping: ColumnMapping) -> None:
        self.url = absolute(url)
        self.mapping = mapping
        self.fs, self.path = fsspec.core.url_to_fs(url)
        try:
            self.info = self.fs.info(self.path)
        except FileNotFoundError:
            raise BatchUsageError(f"{url}: no such file") from None
        if self.info.get("type") == "directory" and not self.folders_allowed:
            raise BatchUsageError(f"{url}: is a folder; give one input file (folders of Parquet files are read)")
        self.size = int(self.info.get("size") or 0)

    def rows(self) -> Iterator[Row]:
        raise NotImplementedError

    def fingerprint(self) -> dict[str, Any]:
        """Enough to tell a changed input: its size and a hash of its first and last MiB."""
        digest = hashlib.sha256()
        with self.fs.open(self.path, "rb") as handle:
            digest.update(handle.read(FINGERPRINT_BYTES))
            if self.size > 2 * FINGERPRINT_BYTES:
                handle.seek(self.size - FINGERPRINT_BYTES)
                digest.update(handle.read(FINGERPRINT_BYTES))
        return {"url": self.url, "size": self.info.get("size"), "sha256_head_tail": digest.hexdigest()}


class _Lines:
    """The lines of a text file, compressed or not, as bytes, with how far into the file they reach (in the
    file's own bytes, so progress is right for a compressed file too)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.position = 0

    def __iter__(self) -> Iterator[bytes]:
        suffix = "." + self.source.path.rsplit(".", 1)[-1].lower()
        with self.source.fs.open(self.source.path, "rb") as raw:
            if suffix in COMPRESSIONS:
                stream = fsspec.compression.compr[COMPRESSIONS[suffix]](raw, mode="rb")
                for line in stream:
                    self.position = raw.tell()
                    yield line
            else:
                for line in raw:
                    self.position += len(line)
                    yield line

    def text(self) -> Iterator[str]:
        """Decoded; bytes that are not UTF-8 are kept as lone surrogates, for the row's error record."""
        for index, line in enumerate(self):
            text = line.decode("utf-8", "surrogateescape")
            yield text.removeprefix("\ufeff") if index == 0 else text  # a byte-order mark from Excel


class JsonlSource(Source):
    format = "jsonl"

    def rows(self) -> Iterator[Row]:
        lines = _Lines(self)
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield Row(number, line.decode("utf-8", "surrogateescape"), lines.position)


class CsvSource(Source):
    format = "csv"

    def __init__(self, url: str, mapping: ColumnMapping) -> None:
        super().__init__(url, mapping)
        header = next(csv.reader(_Lines(self).text()), None)
        if header is None:
            raise BatchUsageError(f"{url}: empty file (no header row)")
        self.header = [name.strip() for name in header]
        check_columns(self.header, mapping, url)

    def rows(self) -> Iterator[Row]:
        lines = _Lines(self)
        reader = csv.reader(lines.text())
        next(reader)
        wanted = [(index, name) for index, name in enumerate(self.header) if name in _wanted(self.mapping)]
        start = reader.line_num + 1
        for cells in reader:
            if cells:
                if len(cells) != len(self.header):
                    payload: dict[str, Any] = {ROW_ERROR: f"row has {len(cells)} fields, the header has "
                                               f"{len(self.header)}", **_id_cell(cells, self.header, self.mapping)}
                else:
                    payload = {name: cells[index] for index, name in wanted}
                yield Row(start, payload, lines.position)
            start = reader.line_num + 1


class ParquetSource(Source):
    """One Parquet file, or a folder of them (a Dask or Spark dataset): its `*.parquet` files in name order,
    read as one table. Rows are addressed by their 0-based place in that table."""

    format = "parquet"
    folders_allowed = True

    def __init__(self, url: str, mapping: ColumnMapping) -> None:
        super().__init__(url, mapping)
        if self.info.get("type") == "directory":
            self.files = sorted(self.fs.glob(f"{self.path.rstrip('/')}/**/*.parquet"))
            if not self.files:
                raise BatchUsageError(f"{url}: a folder with no .parquet files")
        else:
            self.files = [self.path]
        self.pieces: list[tuple[str, int, int]] = []  # (file, row group, rows) in reading order
        header: list[str] | None = None
        for path in self.files:
            metadata = self._metadata(path, url)
            self.pieces += [(path, group, metadata.row_group(group).num_rows)
                            for group in range(metadata.num_row_groups)]
            names = list(dict.fromkeys(metadata.schema.column(i).path.split(".")[0]
                                       for i in range(metadata.num_columns)))
            header = header or names
        assert header is not None
        check_columns(header, mapping, url)
        self.columns = [name for name in header if name in _wanted(mapping)]
        self.size = sum(rows for _, _, rows in self.pieces)

    def _metadata(self, path: str, url: str) -> Any:
        import pyarrow.parquet as pq

        try:
            with self.fs.open(path, "rb") as handle:
                return pq.ParquetFile(handle).metadata
        except Exception as exc:  # noqa: BLE001 -- pyarrow raises several types for a file that is not Parquet
            where = url if path == self.path else f"{url} ({path.rsplit('/', 1)[-1]})"
            raise BatchUsageError(f"{where}: not a readable Parquet file ({type(exc).__name__})") from None

    def fingerprint(self) -> dict[str, Any]:
        if self.files == [self.path]:
            return super().fingerprint()
        listing = [(path.rsplit("/", 1)[-1], self.fs.size(path)) for path in self.files]
        return {"url": self.url, "files": listing, "rows": self.size}

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[Row]:
        """Rows [start, stop) (0-based); row groups wholly before `start` are not read at all."""
        stop = self.size if stop is None else min(stop, self.size)
        first_row = 0
        for path, group, group_rows in self.pieces:
            if first_row >= stop:
                return
            if first_row + group_rows > start:
                yield from self._group_rows(path, group, first_row, start, stop)
            first_row += group_rows

    def _group_rows(self, path: str, group: int, first_row: int, start: int, stop: int) -> Iterator[Row]:
        import pyarrow.parquet as pq

        index = first_row
        with self.fs.open(path, "rb") as handle:
            batches = pq.ParquetFile(handle).iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=[group],
                                                          columns=self.columns, use_threads=False)
            for batch in batches:
                if index + batch.num_rows <= start:  # skipped without converting to Python objects
                    index += batch.num_rows
                    continue
                for record in batch.to_pylist():
                    if start <= index < stop:
                        yield Row(index + 1, record, index + 1)
                    index += 1
                if index >= stop:
                    return


def _wanted(mapping: ColumnMapping) -> set[str]:
    return {mapping.column(name) for name in NOTE_FIELDS}


def _id_cell(cells: list[str], header: list[str], mapping: ColumnMapping) -> dict[str, str]:
    column = mapping.column("id")
    if column in header and header.index(column) < len(cells):
        return {column: cells[header.index(column)]}
    return {}


def check_columns(header: list[str], mapping: ColumnMapping, url: str) -> None:
    """A wholly wrong file (a named column that is not there, or no id or text) stops before any work."""
    present = set(header)
    for name, column in mapping.as_dict().items():
        if column not in present:
            raise BatchUsageError(f"{url}: no column {column!r} (given for {name}); columns: {_listed(header)}")
    if mapping.column("id") not in present:
        raise BatchUsageError(f"{url}: no column {mapping.column('id')!r} for the note id; name it with "
                              f"--id-column (columns: {_listed(header)})")
    if mapping.column("text") not in present and mapping.column("services") not in present:
        raise BatchUsageError(f"{url}: no column {mapping.column('text')!r} for the note text; name it with "
                              f"--text-column (columns: {_listed(header)})")


def _listed(header: list[str], limit: int = 12) -> str:
    shown = ", ".join(header[:limit])
    return shown + (f", ... ({len(header)} in all)" if len(header) > limit else "")


def input_format_of(url: str) -> str:
    """By the extension; a folder is a Parquet dataset."""
    try:
        return format_of(url, INPUT_FORMATS, "input")
    except BatchUsageError:
        fs, path = fsspec.core.url_to_fs(url)
        if fs.isdir(path):
            return "parquet"
        raise


def open_source(url: str, mapping: ColumnMapping, input_format: str) -> Source:
    kinds: dict[str, type[Source]] = {"jsonl": JsonlSource, "csv": CsvSource, "parquet": ParquetSource}
    return kinds[input_format](url, mapping)
