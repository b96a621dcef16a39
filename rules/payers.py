"""Payer profiles: one JSON file per payer in `rules/data/payers/`.

A user adds a payer by dropping a file into that folder or into the folder named by the
`NOTECODE_PAYERS_DIR` environment variable. Files are validated when they load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

UNIT_METHODS = {"cms", "per_code"}
DISTINCT_STYLES = {"X", "59"}
_KEYS = {
    "name", "description", "unit_method", "unit_method_source", "discipline_modifiers",
    "discipline_modifiers_source", "assistant_modifiers", "kx", "bundled_codes", "distinct_modifier_style",
    "distinct_modifier_source", "ncci", "code_substitutions", "code_substitutions_source",
}


class PayerProfileError(ValueError):
    """A payer file is malformed."""


@dataclass(frozen=True)
class KxThreshold:
    year: int
    amounts: dict[str, float]
    source: str


@dataclass(frozen=True)
class MedicalReview:
    from_year: int
    to_year: int
    amount: float
    source: str


@dataclass(frozen=True)
class KxRules:
    buckets: dict[str, str]
    rule_source: str
    thresholds: dict[int, KxThreshold]
    medical_review: list[MedicalReview]

    def medical_review_for(self, year: int) -> MedicalReview | None:
        return next((m for m in self.medical_review if m.from_year <= year <= m.to_year), None)


@dataclass(frozen=True)
class AssistantModifiers:
    modifiers: dict[str, str]
    valid_from: dt.date
    source: str


@dataclass(frozen=True)
class PayerProfile:
    name: str
    description: str
    unit_method: str
    unit_method_source: str
    discipline_modifiers: dict[str, str] | None
    discipline_modifiers_source: str
    assistant_modifiers: AssistantModifiers | None
    kx: KxRules | None
    bundled_codes: dict[str, str] = field(default_factory=dict)
    distinct_modifier_style: str = "59"
    distinct_modifier_source: str = ""
    ncci: bool = True
    code_substitutions: dict[str, str] = field(default_factory=dict)


def _profile(raw: dict[str, Any], origin: str) -> PayerProfile:
    unknown = set(raw) - _KEYS
    if unknown:
        raise PayerProfileError(f"{origin}: unknown keys {sorted(unknown)}")
    try:
        if raw["unit_method"] not in UNIT_METHODS:
            raise PayerProfileError(f"{origin}: unit_method must be one of {sorted(UNIT_METHODS)}")
        if raw.get("distinct_modifier_style", "59") not in DISTINCT_STYLES:
            raise PayerProfileError(f"{origin}: distinct_modifier_style must be one of {sorted(DISTINCT_STYLES)}")
        kx = raw.get("kx")
        assistants = raw.get("assistant_modifiers")
        return PayerProfile(
            name=str(raw["name"]).lower(),
            description=raw.get("description", ""),
            unit_method=raw["unit_method"],
            unit_method_source=raw.get("unit_method_source", ""),
            discipline_modifiers=raw.get("discipline_modifiers"),
            discipline_modifiers_source=raw.get("discipline_modifiers_source", ""),
            assistant_modifiers=AssistantModifiers(
                modifiers=assistants["modifiers"],
                valid_from=dt.date.fromisoformat(assistants["valid_from"]),
                source=assistants["source"],
            ) if assistants else None,
            kx=KxRules(
                buckets=kx["buckets"],
                rule_source=kx["rule_source"],
                thresholds={t["year"]: KxThreshold(**t) for t in kx["thresholds"]},
                medical_review=[MedicalReview(**m) for m in kx.get("medical_review", [])],
            ) if kx else None,
            bundled_codes={b["code"]: b["source"] for b in raw.get("bundled_codes", [])},
            distinct_modifier_style=raw.get("distinct_modifier_style", "59"),
            distinct_modifier_source=raw.get("distinct_modifier_source", ""),
            ncci=bool(raw.get("ncci", True)),
            code_substitutions=dict(raw.get("code_substitutions", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PayerProfileError):
            raise
        raise PayerProfileError(f"{origin}: {type(exc).__name__}: {exc}") from exc


def _extra_dir() -> Path | None:
    extra = os.environ.get("NOTECODE_PAYERS_DIR")
    return Path(extra) if extra else None


@cache
def _load(extra_dir: Path | None) -> dict[str, PayerProfile]:
    profiles: dict[str, PayerProfile] = {}
    builtin = files("rules").joinpath("data/payers")
    sources: list[tuple[str, str]] = [
        (entry.name, entry.read_text(encoding="utf-8")) for entry in builtin.iterdir() if entry.name.endswith(".json")
    ]
    if extra_dir is not None:
        sources += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(extra_dir.glob("*.json"))]
    for origin, text in sources:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PayerProfileError(f"{origin}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
        profile = _profile(raw, origin)
        profiles[profile.name] = profile
    return profiles


def payer_profiles() -> dict[str, PayerProfile]:
    return _load(_extra_dir())


def known_payers() -> frozenset[str]:
    return frozenset(payer_profiles())


def get_payer(name: str) -> PayerProfile:
    return payer_profiles()[name.lower()]
