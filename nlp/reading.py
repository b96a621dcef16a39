"""Everything the pipeline reads from one note, before intent is decided (`Reading`), and the steps that
fill it. The spaCy components in `nlp.components` call these steps and mirror the results in span groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nlp.blocks import BRACKETED, Block, attach_billed_units, billed_units, build_blocks
from nlp.code_summary import (
    CodeSummary,
    find_billed_minutes,
    find_billing_table_minutes,
    find_code_summaries,
    place_summaries,
    without_summaries,
)
from nlp.findings import (
    Found,
    MeasurementFound,
    ParameterFound,
    find_diagnoses,
    find_measurements,
    find_parameter_spans,
    find_providers,
    has_functional_goal,
)
from nlp.layout import (
    Clause,
    Section,
    find_clauses,
    find_sections,
    split_at_totals,
    split_narrative,
    split_plan_items,
)
from nlp.patterns import Patterns
from nlp.spans import SortedSpans
from nlp.timewords import (
    Minutes,
    TotalTime,
    find_aligned_minutes,
    find_log_minutes,
    find_minutes,
    find_table_minutes,
    find_totals,
)
from nlp.unwrap import unwrap_soft_breaks

NO_MEASURE_SECTIONS = frozenset({"goals"})


@dataclass
class Reading:
    text: str  # what the stages read: the note with its soft line breaks as spaces (`nlp.unwrap`), same offsets
    discipline: str = "OT"
    source: str = ""  # the note as written, for the evidence shown to coders
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    minutes: SortedSpans[Minutes] = field(default_factory=lambda: SortedSpans([]))  # not totals, not tests
    totals: SortedSpans[TotalTime] = field(default_factory=lambda: SortedSpans([]))
    measurements: SortedSpans[MeasurementFound] = field(default_factory=lambda: SortedSpans([]))
    parameters: SortedSpans[ParameterFound] = field(default_factory=lambda: SortedSpans([]))
    diagnoses: list[Found] = field(default_factory=list)
    providers: list[Found] = field(default_factory=list)
    functional_goal: bool = False
    cotreatment: bool = False
    blocks: list[Block] = field(default_factory=list)
    summaries: list[CodeSummary] = field(default_factory=list)  # per-code minutes not yet given to a block
    billed_units: dict[str, int] = field(default_factory=dict)  # "Charges: 97110 x2, 97116 x1", by code
    # this note's literal scans (`nlp.literal_scan.reading_note`), kept while its stages read it
    literal_scans: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.source = self.source or self.text

    @classmethod
    def of(cls, text: str, discipline: str) -> Reading:
        return cls(unwrap_soft_breaks(text), discipline=discipline, source=text)

    def total(self, kind: str) -> int | None:
        """The first explicit total of this kind ("Total treatment time"), else the first implied one
        ("seen for 45 min")."""
        ranked = sorted((t for t in self.totals if t.kind == kind), key=lambda t: (not t.explicit, t.start))
        return ranked[0].value if ranked else None


def read_layout(reading: Reading, patterns: Patterns) -> None:
    reading.sections = find_sections(reading.text, patterns)
    reading.clauses = find_clauses(reading.text, patterns, reading.sections)


def read_findings(reading: Reading, patterns: Patterns) -> None:
    text = reading.text
    all_minutes = find_minutes(text, patterns)
    tables = find_table_minutes(text) + find_aligned_minutes(text)
    all_minutes = sorted(all_minutes + tables, key=lambda m: m.start)
    all_minutes = sorted(all_minutes + find_log_minutes(text, all_minutes), key=lambda m: m.start)
    reading.totals = SortedSpans(find_totals(text, patterns, all_minutes))
    goals = [s for s in reading.sections if s.label in NO_MEASURE_SECTIONS]
    reading.measurements = SortedSpans([m for m in find_measurements(text, patterns)
                                        if not any(s.start <= m.start < s.end for s in goals)
                                        and not _cuts_a_duration(text, m.start, m.end)
                                        and not _cuts_a_time(text, all_minutes, m.start, m.end)])
    taken = SortedSpans([*reading.totals, *reading.measurements])
    reading.minutes = SortedSpans([m for m in all_minutes if not taken.overlapping(m.start, m.end)
                                   and not INCLUDED_PART.match(text, m.end)])
    reading.parameters = SortedSpans(find_parameter_spans(text, patterns))
    reading.diagnoses = find_diagnoses(text, patterns)
    reading.providers = find_providers(text, patterns)
    reading.functional_goal = has_functional_goal(text, patterns)
    reading.cotreatment = bool(patterns.cotreat.search(text))


def _cuts_a_time(text: str, minutes: list[Minutes], start: int, end: int) -> bool:
    """'NM 6m: rhythmic stab': a value cut off from the unit written onto it ('6m') is a time, not a score."""
    return text[end:end + 1].isalpha() and any(start <= m.start < end < m.end for m in minutes)


MINUTES_UNIT_AFTER = re.compile(r"\s?min(?:ute)?s?\b", re.IGNORECASE)
DURATION_AFTER = re.compile(r"\d*\s*(?:min\w*|')", re.IGNORECASE)
OPEN_BRACKET_NUMBER = re.compile(r"\(\s*\d+$")


def _cuts_a_duration(text: str, start: int, end: int) -> bool:
    """'AROM, composite grip w/ soft foam 10-12 min': a value cut off inside a number of minutes is the
    work's time, not a measurement; so is a value in minutes at the end of a list ('star excursion reaching,
    perturbations (NMR) 18 min') or in brackets."""
    if end >= len(text) or not text[end - 1].isdigit():
        return False
    ends_a_list = "," in text[start:end]  # "..., perturbations (NMR) 18 min"
    opens_a_bracket = OPEN_BRACKET_NUMBER.search(text, start, end)  # "star excursion reach (10 min)"
    if MINUTES_UNIT_AFTER.match(text, end) and (ends_a_list or opens_a_bracket):
        return True
    return text[end].isdigit() and bool(DURATION_AFTER.match(text, end))


def read_blocks(reading: Reading, patterns: Patterns) -> None:
    clauses = [piece for clause in reading.clauses
               for piece in split_narrative(reading.text, clause, reading.minutes, patterns)]
    clauses = [piece for clause in clauses for piece in split_plan_items(reading.text, clause, patterns)]
    clauses = [piece for clause in clauses
               for piece in split_at_totals(reading.text, clause, reading.minutes, reading.totals)]
    clauses = [c for c in clauses if not _is_total_statement(c, reading, patterns) and not _unchecked(reading.text, c)]
    blocks = build_blocks(reading.text, clauses, reading.minutes, patterns, reading.discipline,
                          reading.measurements, reading.parameters)
    reading.billed_units = billed_units(reading.text, clauses, patterns)
    attach_billed_units(blocks, reading.billed_units)
    code_summaries = find_code_summaries(reading.text, patterns)
    reading.blocks = without_summaries(blocks, code_summaries)  # a billing table's rows may be the work itself
    summaries = code_summaries + find_billing_table_minutes(reading.text) + find_billed_minutes(
        reading.text, clauses, reading.minutes, patterns)
    reading.blocks, reading.summaries = place_summaries(reading.blocks, summaries, lambda block: block.label_code)
    _minutes_from_shares(reading)
    _apply_corrections(reading)


SHARE_BEFORE = re.compile(r"(\d{1,3})\s*%\s*(?:of\s+(?:the\s+)?(?:time|session)\s+)?$")
SHARE_REACH = 24


def _minutes_from_shares(reading: Reading) -> None:
    """'Session 40 min: approx 60% ther ex (...) / 40% NMR (...)': each block takes its share of the stated
    total (rounded down: the least the note supports), when the shares before untimed blocks add up to 100."""
    shared = [(block, int(share.group(1))) for block in reading.blocks
              if block.minutes is None and block.status.status == "performed"
              and (share := SHARE_BEFORE.search(reading.text, max(0, block.start - SHARE_REACH), block.start))]
    total = reading.total("timed") or reading.total("treatment")
    if len(shared) < 2 or total is None or sum(percent for _, percent in shared) != 100:
        return
    for block, percent in shared:
        block.minutes = total * percent // 100


# "Correction 05/09: TherEx was 18 min not 15; total 36 min", "gait training was 12 min, not 22"
CORRECTION = re.compile(r"\bwas\s+(\d{1,3})\s*(?:min\w*|')?,?\s+not\s+(\d{1,3})\b", re.IGNORECASE)


def _apply_corrections(reading: Reading) -> None:
    """A late correction of a block's minutes: the block takes the corrected minutes, the correction is no
    block of its own, and a total stated on the correction's line replaces the earlier one of its kind."""
    for match in CORRECTION.finditer(reading.text):
        corrected, wrong = int(match.group(1)), int(match.group(2))
        holder = next((b for b in reading.blocks if b.start <= match.start() < b.end), None)
        target = next((b for b in reading.blocks if b is not holder and b.end <= match.start() and b.minutes == wrong
                       and (holder is None or holder.code is None or b.code == holder.code)), None)
        if target is None:
            continue
        target.minutes = corrected
        reading.blocks = [b for b in reading.blocks if b is not holder]
        line_start = reading.text.rfind("\n", 0, match.start()) + 1
        line_end = reading.text.find("\n", match.end())
        restated = reading.totals.starting_in(line_start, len(reading.text) if line_end == -1 else line_end)
        kinds = {t.kind for t in restated}
        reading.totals = SortedSpans([t for t in reading.totals
                                      if t in restated or t.kind not in kinds or t.start > match.start()])


# "bike 6 min (incl)": minutes already counted in the block's own time
INCLUDED_PART = re.compile(r"\s*\(\s*incl(?:uded|\.)?\s*(?:in\b[^)]{0,20})?\)", re.IGNORECASE)
UNCHECKED_BOX = re.compile(r"[ \t]*(?:[-*•]\s*)?(?:\[ ?\]|☐|\( \))")


def _unchecked(text: str, clause: Clause) -> bool:
    """A template's unchecked box ("[ ] 97018 Paraffin"): a service offered on the form, not one given."""
    return bool(UNCHECKED_BOX.match(text, text.rfind("\n", 0, clause.start) + 1))


SENTENCE_BREAK = re.compile(r"[.;:]\s")


def _is_total_statement(clause: Clause, reading: Reading, patterns: Patterns) -> bool:
    """'TTT 40 min' or 'Total timed minutes 38' on its own is a total, not an intervention."""
    if clause.heading_code:
        return False
    totals = reading.totals.starting_in(clause.start, clause.end)
    if not totals or reading.minutes.starting_in(clause.start, clause.end):
        return False
    # "Session 40 min: approx 60% ther ex (...) / 40% NMR (...)": the total of the work it goes on to name; not
    # "Total time 45 min (eval 35, ther ex 10)", whose brackets break the total down
    named_after = BRACKETED.sub("", reading.text[totals[-1].end:clause.end])
    if patterns.any_named_code.search(named_after):
        return False
    # "Telehealth OT f/u (video). Ther ex via video: nerve glides 2x10, ... 20 min total.": the work, then its total
    before = reading.text[clause.start:totals[0].start]
    return not (SENTENCE_BREAK.search(before) and patterns.any_named_code.search(before))
