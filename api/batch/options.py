"""What a batch run is asked to do, and the errors that stop it before or during the run."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from api.batch.mapping import ColumnMapping

INPUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
OUTPUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
COMPRESSIONS = {".gz": "gzip", ".bz2": "bz2", ".xz": "lzma"}  # for JSONL and CSV input; Python's own
DEFAULT_CHUNK_ROWS = 256


class BatchUsageError(Exception):
    """Bad options or a wholly wrong input file: one line for the user, exit code 2."""


class BatchStopped(Exception):
    """The run stopped part way (disk full, unreadable input, a worker died): finished chunks are kept and
    `--resume` carries on from them. Exit code 3."""


def format_of(path: str, formats: dict[str, str], role: str) -> str:
    name = PurePosixPath(path.split("?", 1)[0])
    suffix = name.suffix.lower()
    if role == "input" and suffix in COMPRESSIONS and name.stem.lower().endswith((".jsonl", ".ndjson", ".csv")):
        suffix = PurePosixPath(name.stem).suffix.lower()  # notes.csv.gz is a CSV file, compressed
    if suffix not in formats:
        known = ", ".join(sorted(formats))
        raise BatchUsageError(f"{role} {path}: unknown file type {suffix or '(none)'!r}; use one of {known}")
    return formats[suffix]


@dataclass
class BatchOptions:
    source: str
    output: str
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    report: str | None = None  # default: OUTPUT.report.html beside the output
    dask: str | None = None  # "local" or a scheduler address
    progress_seconds: float = 10.0  # how often the plain (non-terminal) progress line is printed
    run_date: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        if self.jobs < 1:
            raise BatchUsageError(f"-j/--jobs: must be 1 or more, got {self.jobs}")
        if self.chunk_rows < 1:
            raise BatchUsageError(f"--chunk-rows: must be 1 or more, got {self.chunk_rows}")

    @property
    def output_format(self) -> str:
        return format_of(self.output, OUTPUT_FORMATS, "output")

    @property
    def report_path(self) -> str:
        return self.report or sibling(self.output, ".report.html")


def sibling(output: str, suffix: str) -> str:
    """out.csv -> out.warnings.csv: a file that belongs to the output, next to it."""
    stem, dot, _ = output.rpartition(".")
    return f"{stem if dot else output}{suffix}"
