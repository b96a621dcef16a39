"""Doubts about a reading: signs in the Suggestion itself that its billed lines may be wrong, so a coder should
read the note before accepting them.

On notes from clinics the reader has never seen, about one note in seven is billed wrong, and most of those
show one of these signs. The signs were chosen on the first looks at twelve blind splits (dev18 to dev29, each
scored before anyone read it). On six later blind splits (dev30 to dev35, 330 notes) 76% of notes were not
flagged and .940 of those were billed exactly (all notes: .858). Each sign names a count or a warning code, never
the note's words (notes are PHI).

A note in doubt gets its reasons in `Suggestion.review` and each line's confidence capped at
`DOUBT_CONFIDENCE`, with a trace step saying why."""

from __future__ import annotations

from rules.codes import lookup
from rules.contract import Line, Suggestion, TraceStep

DOUBT_CONFIDENCE = 0.5
REVIEW_BELOW = 0.6  # a line under this confidence (a doubt, or an unsure intent model) asks for a coder's review
MINUTES_READ_SHARE = 0.7  # minutes read below this share of the stated total: some block's minutes were missed
LONG_UNSTATED_MINUTES = 60  # an hour of timed work and no total: minutes are often counted twice
DOUBTS_VERSION = "2026-11-30"
WARNING_DOUBTS = {
    "MISSING_TIMED_MINUTES": "a timed service was read without its minutes",
    "TIME_INCONSISTENT": "the minutes read exceed the note's stated total",
    "AMBIGUOUS_INTENT": "the intent model is unsure of a code",
    "INTENT_MISMATCH": "a heading's code and what it describes disagree",
    "NO_BILLABLE_SERVICES": "no billable service was read",
}


def reading_doubts(suggestion: Suggestion) -> list[str]:
    """Why this reading may be wrong, in plain words; empty when nothing suggests it."""
    found = {w.code for w in suggestion.warnings}
    reasons = [reason for code, reason in WARNING_DOUBTS.items() if code in found]
    total = suggestion.totals.total_treatment_minutes
    timed = suggestion.totals.timed_minutes
    read = timed + _untimed_minutes(suggestion)
    if total and read < MINUTES_READ_SHARE * total:
        reasons.append(f"the minutes read ({read}) are well under the stated total ({total})")
    if total is None and timed >= LONG_UNSTATED_MINUTES:
        reasons.append(f"{timed} timed minutes read and no total stated to check them")
    if any(line.confidence < REVIEW_BELOW for line in suggestion.lines):
        reasons.append("a line's code is uncertain")
    return list(dict.fromkeys(reasons))


def _untimed_minutes(suggestion: Suggestion) -> int:
    """Minutes of performed untimed services (a hot pack's 10 min): part of the total, not of the timed minutes."""
    return sum(i.minutes or 0 for i in suggestion.interventions
               if i.status == "performed" and (code := lookup(i.cpt or "")) is not None and not code.timed)


def with_doubts(suggestion: Suggestion) -> Suggestion:
    """The Suggestion with its doubts in `review` and, when there are any, each line's confidence capped."""
    reasons = reading_doubts(suggestion)
    if not reasons:
        return suggestion
    step = TraceStep(rule="review.reading_doubt", version=DOUBTS_VERSION, source="; ".join(reasons))
    lines = [_doubted(line, step) for line in suggestion.lines]
    return suggestion.model_copy(update={"review": reasons, "lines": lines})


def _doubted(line: Line, step: TraceStep) -> Line:
    return line.model_copy(update={"confidence": min(line.confidence, DOUBT_CONFIDENCE),
                                   "trace": [*line.trace, step]})
