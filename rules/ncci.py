"""NCCI procedure-to-procedure (PTP) edits and medically unlikely edits (MUE).

Two sources, never mixed:
- the official CMS quarterly practitioner files, when configured (`NOTECODE_NCCI_DIR`: a folder with
  `ptp/*.txt` -- the tab-delimited practitioner PTP files, all parts -- and `mue/*.csv` -- practitioner MUE
  files whose names carry their effective date, e.g. `..._Eff_2026-10-01.csv`);
- otherwise a small bundled table (`rules/data/*_bundled.csv`) holding only pairs and values that the
  facts sheet supports, each row with its source and how sure it is. No pair or value is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

CODE_RE = re.compile(r"^[0-9A-Z][0-9]{3}[0-9A-Z]$")
DATE_IN_NAME = re.compile(r"(20\d\d)-?([01]\d)-?([0-3]\d)")


class NcciFileError(ValueError):
    """An NCCI file could not be read; names the file and the line."""


@dataclass(frozen=True)
class PtpEdit:
    column1: str
    column2: str
    effective: dt.date | None
    deletion: dt.date | None
    modifier_indicator: int  # 0 = no bypass, 1 = PTP-associated modifier may bypass, 9 = not applicable
    source: str
    confidence: str

    def in_force(self, day: dt.date) -> bool:
        if self.effective and day < self.effective:
            return False
        return not (self.deletion and day >= self.deletion)


@dataclass(frozen=True)
class MueValue:
    code: str
    units: int
    adjudication: int  # MAI 1 = claim line, 2 = date of service (policy), 3 = date of service (clinical)
    source: str
    confidence: str


@dataclass(frozen=True)
class EditTables:
    ptp: dict[frozenset[str], list[PtpEdit]]
    mue: dict[str, MueValue]
    origin: str

    def ptp_edit(self, a: str, b: str, day: dt.date) -> PtpEdit | None:
        edits = self.ptp.get(frozenset((a, b)), [])
        return next((e for e in edits if e.in_force(day) and e.modifier_indicator != 9), None)


def _cms_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value or value == "*":
        return None
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unreadable date {value!r}")


def parse_ptp_lines(lines: Iterable[str], origin: str) -> Iterator[PtpEdit]:
    """Rows of a CMS practitioner PTP text file: tab-delimited Column 1, Column 2, prior-to-1996 flag,
    effective date, deletion date ('*' = none), modifier indicator, rationale. Preamble and header
    lines (anything whose first two fields are not codes) are skipped."""
    for number, line in enumerate(lines, 1):
        fields = [f.strip() for f in (line.split("\t") if "\t" in line else next(csv.reader([line])))]
        if len(fields) < 6 or not (CODE_RE.match(fields[0]) and CODE_RE.match(fields[1])):
            continue
        try:
            indicator = int(fields[5])
            if indicator not in (0, 1, 9):
                raise ValueError(f"modifier indicator {indicator} is not 0, 1 or 9")
            yield PtpEdit(
                column1=fields[0], column2=fields[1], effective=_cms_date(fields[3]),
                deletion=_cms_date(fields[4]), modifier_indicator=indicator,
                source=f"{origin}: {fields[6] if len(fields) > 6 else 'CMS PTP file'}", confidence="official CMS file",
            )
        except ValueError as exc:
            raise NcciFileError(f"{origin} line {number}: {exc}") from exc


def parse_mue_lines(lines: Iterable[str], origin: str) -> Iterator[MueValue]:
    """Rows of a CMS practitioner MUE CSV: code, MUE value, adjudication indicator ('3 Date of Service
    Edit: Clinical'), rationale. Preamble and header lines are skipped."""
    for number, fields in enumerate(csv.reader(lines), 1):
        if len(fields) < 3 or not CODE_RE.match(fields[0].strip()):
            continue
        try:
            mai = re.match(r"\s*(\d)", fields[2])
            if mai is None:
                raise ValueError(f"adjudication indicator {fields[2]!r} does not start with 1, 2 or 3")
            yield MueValue(
                code=fields[0].strip(), units=int(fields[1]), adjudication=int(mai.group(1)),
                source=f"{origin}: {fields[3].strip() if len(fields) > 3 else 'CMS MUE file'}",
                confidence="official CMS file",
            )
        except ValueError as exc:
            raise NcciFileError(f"{origin} line {number}: {exc}") from exc


def _index(edits: Iterable[PtpEdit]) -> dict[frozenset[str], list[PtpEdit]]:
    table: dict[frozenset[str], list[PtpEdit]] = {}
    for edit in edits:
        table.setdefault(frozenset((edit.column1, edit.column2)), []).append(edit)
    return table


@cache
def bundled_tables() -> EditTables:
    data = files("rules").joinpath("data")
    ptp_rows = csv.DictReader(io.StringIO(data.joinpath("ncci_ptp_bundled.csv").read_text(encoding="utf-8")))
    mue_rows = csv.DictReader(io.StringIO(data.joinpath("mue_bundled.csv").read_text(encoding="utf-8")))
    edits = [
        PtpEdit(r["column1"], r["column2"], _cms_date(r["effective"]), _cms_date(r["deletion"]),
                int(r["modifier_indicator"]), r["source"], r["confidence"])
        for r in ptp_rows
    ]
    mues = {
        r["code"]: MueValue(r["code"], int(r["mue"]), int(r["mai"]), r["source"], r["confidence"]) for r in mue_rows
    }
    return EditTables(ptp=_index(edits), mue=mues, origin="bundled")


def _effective_of(path: Path) -> dt.date:
    match = DATE_IN_NAME.search(path.name)
    if not match:
        raise NcciFileError(f"{path.name}: MUE file name must carry its effective date (YYYY-MM-DD)")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


@cache
def official_tables(folder: Path, day: dt.date) -> EditTables:
    """Official files from `folder`; the MUE file is the latest one effective on `day`."""
    edits: list[PtpEdit] = []
    for path in sorted((folder / "ptp").glob("*.txt")):
        with path.open(encoding="latin-1") as handle:
            edits.extend(parse_ptp_lines(handle, path.name))
    mue_files = sorted((p for p in (folder / "mue").glob("*.csv") if _effective_of(p) <= day), key=_effective_of)
    mues: dict[str, MueValue] = {}
    if mue_files:
        with mue_files[-1].open(encoding="latin-1", newline="") as handle:
            mues = {m.code: m for m in parse_mue_lines(handle, mue_files[-1].name)}
    return EditTables(ptp=_index(edits), mue=mues, origin=f"official CMS files in {folder}")


def edit_tables(day: dt.date) -> EditTables:
    folder = os.environ.get("NOTECODE_NCCI_DIR")
    return official_tables(Path(folder), day) if folder else bundled_tables()
