"""Counts over the output records, kept while the output is written: the terminal summary and the HTML
report are built from these, so they say exactly what the output file holds. Memory stays bounded: counters
by code, a histogram of units per visit, and only the few notes with the most serious gaps."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
NUMBER = re.compile(r"\d+")


def failed_field(error: str) -> str:
    """'services.2.minutes: ...' -> 'services.N.minutes', 'line 7: not valid JSON' -> 'line N': a bounded set."""
    return NUMBER.sub("N", error.split(":", 1)[0].split(" (", 1)[0])


@dataclass(order=True)
class Gap:
    """A note with serious documentation gaps; sorted by errors, then warnings, then earliest in the input."""

    errors: int
    warnings: int
    order: int  # negated input position, so that among equals the earlier note ranks higher
    note_id: str = field(compare=False)
    codes: tuple[str, ...] = field(compare=False)


@dataclass
class Tally:
    top: int = 20
    notes: int = 0
    failed: int = 0
    lines: Counter[str] = field(default_factory=Counter)  # cpt -> lines
    units: Counter[str] = field(default_factory=Counter)  # cpt -> units
    warnings: Counter[tuple[str, str]] = field(default_factory=Counter)  # (code, severity) -> count
    units_per_visit: Counter[int] = field(default_factory=Counter)
    failures_by_field: Counter[str] = field(default_factory=Counter)
    to_review: int = 0  # notes whose reading is in doubt (Suggestion.review)
    review_reasons: Counter[str] = field(default_factory=Counter)  # reason, its counts as N -> notes
    first_failures: list[dict[str, Any]] = field(default_factory=list)
    _gaps: list[Gap] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.notes += 1
        if "error" in record:
            self.failed += 1
            self.failures_by_field[failed_field(record["error"])] += 1
            if len(self.first_failures) < self.top:
                self.first_failures.append({k: record.get(k) for k in ("id", "line", "error")})
            return
        visit_units = 0
        for line in record["lines"]:
            self.lines[line["cpt"]] += 1
            self.units[line["cpt"]] += line["units"]
            visit_units += line["units"]
        self.units_per_visit[visit_units] += 1
        reasons = record.get("review") or []
        self.to_review += bool(reasons)
        self.review_reasons.update({NUMBER.sub("N", reason) for reason in reasons})
        severities = Counter(warning["severity"] for warning in record["warnings"])
        for warning in record["warnings"]:
            self.warnings[(warning["code"], warning["severity"])] += 1
        if severities["error"] or severities["warning"]:
            codes = tuple(sorted({w["code"] for w in record["warnings"] if w["severity"] != "info"}))
            gap = Gap(severities["error"], severities["warning"], -self.notes, str(record.get("id")), codes)
            if len(self._gaps) < self.top:
                heapq.heappush(self._gaps, gap)
            elif gap > self._gaps[0]:
                heapq.heapreplace(self._gaps, gap)

    @property
    def suggested(self) -> int:
        return self.notes - self.failed

    @property
    def total_units(self) -> int:
        return sum(self.units.values())

    def gaps(self) -> list[Gap]:
        """The notes with the most serious gaps, most serious first."""
        return sorted(self._gaps, reverse=True)

    def by_severity(self) -> dict[str, int]:
        counts = Counter({severity: 0 for severity in SEVERITIES})
        for (_, severity), count in self.warnings.items():
            counts[severity] += count
        return dict(counts)
