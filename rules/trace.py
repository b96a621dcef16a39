"""Provenance: which rule (id, version, source) produced a line or a warning."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rules.warning_codes import WarningCode


@dataclass(frozen=True)
class Trace:
    rule: str
    version: str
    source: str


@dataclass(frozen=True)
class Finding:
    """A warning before it is rendered: its code, the values for its message, the rule that fired."""

    code: WarningCode
    values: dict[str, Any]
    trace: Trace
    cpt: str | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)

    @property
    def message(self) -> str:
        return self.code.message(**self.values)
