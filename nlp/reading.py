"""Everything the pipeline reads from one note, before intent is decided (`Reading`), and the steps that
fill it. The spaCy components in `nlp.components` call these steps and mirror the results in span groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.blocks import Block, build_blocks
from nlp.findings import (
    Found,
    MeasurementFound,
    find_diagnoses,
    find_measurements,
    find_providers,
    has_functional_goal,
)
from nlp.layout import Clause, Section, find_clauses, find_sections, split_narrative
from nlp.patterns import Patterns
from nlp.timewords import Minutes, TotalTime, find_minutes, find_totals

NO_MEASURE_SECTIONS = frozenset({"goals"})


@dataclass
class Reading:
    text: str
    discipline: str = "OT"
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    minutes: list[Minutes] = field(default_factory=list)  # intervention minutes: not totals, not tests
    totals: list[TotalTime] = field(default_factory=list)
    measurements: list[MeasurementFound] = field(default_factory=list)
    diagnoses: list[Found] = field(default_factory=list)
    providers: list[Found] = field(default_factory=list)
    functional_goal: bool = False
    cotreatment: bool = False
    blocks: list[Block] = field(default_factory=list)

    def total(self, kind: str) -> int | None:
        """The first explicit total of this kind ("Total treatment time"), else the first implied one
        ("seen for 45 min")."""
        ranked = sorted((t for t in self.totals if t.kind == kind), key=lambda t: (not t.explicit, t.start))
        return ranked[0].value if ranked else None

    def section_at(self, position: int) -> str:
        return next((s.label for s in self.sections if s.start <= position < s.end), "none")


def read_layout(reading: Reading, patterns: Patterns) -> None:
    reading.sections = find_sections(reading.text, patterns)
    reading.clauses = find_clauses(reading.text, patterns, reading.sections)


def read_findings(reading: Reading, patterns: Patterns) -> None:
    text = reading.text
    all_minutes = find_minutes(text, patterns)
    reading.totals = find_totals(text, patterns, all_minutes)
    reading.measurements = [m for m in find_measurements(text, patterns)
                            if reading.section_at(m.start) not in NO_MEASURE_SECTIONS]
    taken = [(t.start, t.end) for t in reading.totals] + [(m.start, m.end) for m in reading.measurements]
    reading.minutes = [m for m in all_minutes if not any(s < m.end and m.start < e for s, e in taken)]
    reading.diagnoses = find_diagnoses(text, patterns)
    reading.providers = find_providers(text, patterns)
    reading.functional_goal = has_functional_goal(text, patterns)
    reading.cotreatment = bool(patterns.cotreat.search(text))


def read_blocks(reading: Reading, patterns: Patterns) -> None:
    clauses = [piece for clause in reading.clauses
               for piece in split_narrative(reading.text, clause, reading.minutes, patterns)]
    clauses = [c for c in clauses if not _is_total_statement(c, reading)]
    measured = [(m.start, m.end) for m in reading.measurements]
    reading.blocks = build_blocks(reading.text, clauses, reading.minutes, patterns, reading.discipline, measured)


def _is_total_statement(clause: Clause, reading: Reading) -> bool:
    """'TTT 40 min' or 'Total timed minutes 38' on its own is a total, not an intervention."""
    if clause.heading_code:
        return False
    covered = [t for t in reading.totals if clause.start <= t.start < clause.end]
    if not covered:
        return False
    own_minutes = [m for m in reading.minutes if clause.start <= m.start < clause.end]
    return not own_minutes
