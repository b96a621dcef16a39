"""The code table: every CPT/HCPCS code notecode can emit, read from `rules/data/codes.json`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

FAMILIES = {"timed", "untimed", "evaluation", "supervised_modality", "attended_modality", "slp"}
DISCIPLINES = {"OT", "PT", "SLP"}


@dataclass(frozen=True)
class DailyLimit:
    units: int
    source: str
    overflow_to: str | None = None


@dataclass(frozen=True)
class Code:
    code: str
    description: str
    timed: bool
    disciplines: frozenset[str]
    family: str
    source: str
    medicare_pays_separately: bool
    valid_from: dt.date | None = None
    daily_limit: DailyLimit | None = None

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from is None or day >= self.valid_from


class CodeTableError(ValueError):
    """The code table file is malformed; raised at load time, never mid-request."""


def _parse(row: dict[str, object]) -> Code:
    known = {"code", "description", "timed", "disciplines", "family", "source", "medicare_pays_separately",
             "medicare_payment_source", "valid_from", "valid_from_source", "daily_limit"}
    unknown = set(row) - known
    code = str(row.get("code"))
    if unknown:
        raise CodeTableError(f"code {code}: unknown keys {sorted(unknown)}")
    if row["family"] not in FAMILIES:
        raise CodeTableError(f"code {code}: unknown family {row['family']!r}")
    disciplines = frozenset(str(d) for d in row["disciplines"])  # type: ignore[attr-defined]
    if not disciplines <= DISCIPLINES:
        raise CodeTableError(f"code {code}: unknown discipline in {sorted(disciplines)}")
    limit = row.get("daily_limit")
    return Code(
        code=code,
        description=str(row["description"]),
        timed=bool(row["timed"]),
        disciplines=disciplines,
        family=str(row["family"]),
        source=str(row["source"]),
        medicare_pays_separately=bool(row["medicare_pays_separately"]),
        valid_from=dt.date.fromisoformat(str(row["valid_from"])) if row.get("valid_from") else None,
        daily_limit=DailyLimit(**limit) if isinstance(limit, dict) else None,
    )


@cache
def code_table() -> dict[str, Code]:
    raw = json.loads(files("rules").joinpath("data/codes.json").read_text(encoding="utf-8"))
    table = {row["code"]: _parse(row) for row in raw["codes"]}
    for entry in table.values():
        limit = entry.daily_limit
        if limit and limit.overflow_to and limit.overflow_to not in table:
            raise CodeTableError(f"code {entry.code}: overflow code {limit.overflow_to} is not in the table")
    return table


def lookup(code: str) -> Code | None:
    return code_table().get(code)


def timed_codes() -> frozenset[str]:
    return frozenset(c.code for c in code_table().values() if c.timed)
