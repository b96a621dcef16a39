"""Agreement figures: how often coders accept the suggestions unchanged, overall, by code and by warning.

Counted over the decision in force for each decided note.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pydantic import BaseModel, Field

from api.review.decisions import latest_decisions, line_changes
from api.review.store import ReviewStore


class CodeAgreement(BaseModel):
    code: str
    suggested: int = Field(description="lines suggested with this code on decided notes")
    unchanged: int = Field(description="kept as suggested: same code, units and modifiers")
    changed: int
    removed: int
    added: int = Field(description="lines with this code that coders added")
    share_unchanged: float | None


class WarningAgreement(BaseModel):
    code: str
    shown: int = Field(description="times the warning was shown on decided notes")
    dismissed: int
    share_kept: float | None = Field(description="share not dismissed")
    share_notes_accepted: float | None = Field(description="share of notes with this warning accepted unchanged")


class Agreement(BaseModel):
    decided: int = Field(description="notes with a decision")
    accepted_unchanged: int
    share_accepted_unchanged: float | None
    by_code: list[CodeAgreement]
    by_warning: list[WarningAgreement]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def agreement(store: ReviewStore) -> Agreement:
    lines: dict[str, Counter[str]] = {}
    warnings: dict[str, Counter[str]] = {}
    decided = accepted = 0
    with store.session() as session:
        for _, decision in latest_decisions(session):
            decided += 1
            accepted += decision.outcome == "accepted"
            for change in line_changes(decision.suggestion, decision.final_lines):
                line = change["suggested"] or change["final"]
                counts = lines.setdefault(line["cpt"], Counter())
                counts[change["change"]] += 1
            _count_warnings(warnings, decision.suggestion, decision.dismissed_warnings, decision.outcome)
    by_code = [CodeAgreement(code=code, suggested=c["unchanged"] + c["changed"] + c["removed"],
                             unchanged=c["unchanged"], changed=c["changed"], removed=c["removed"], added=c["added"],
                             share_unchanged=_share(c["unchanged"], c["unchanged"] + c["changed"] + c["removed"]))
               for code, c in sorted(lines.items())]
    by_warning = [WarningAgreement(code=code, shown=c["shown"], dismissed=c["dismissed"],
                                   share_kept=_share(c["shown"] - c["dismissed"], c["shown"]),
                                   share_notes_accepted=_share(c["accepted_notes"], c["notes"]))
                  for code, c in sorted(warnings.items())]
    return Agreement(decided=decided, accepted_unchanged=accepted, share_accepted_unchanged=_share(accepted, decided),
                     by_code=by_code, by_warning=by_warning)


def _count_warnings(warnings: dict[str, Counter[str]], suggestion: dict[str, Any], dismissed: list[dict[str, Any]],
                    outcome: str) -> None:
    dismissed_indexes = {d["index"] for d in dismissed}
    for index, warning in enumerate(suggestion.get("warnings", [])):
        counts = warnings.setdefault(warning["code"], Counter())
        counts["shown"] += 1
        counts["dismissed"] += index in dismissed_indexes
    for code in {w["code"] for w in suggestion.get("warnings", [])}:
        warnings[code]["notes"] += 1
        warnings[code]["accepted_notes"] += outcome == "accepted"
