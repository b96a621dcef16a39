"""Status of an intervention, ConText-style: trigger phrases in the same clause set performed / declined /
held / planned / historical / home program, and the section can too (everything in Plan is planned).

Each decision keeps its provenance: the trigger text, its offsets, and the rule that fired.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.patterns import Patterns, ReadStatus

# When several triggers fire in one clause, the strongest wins: a declined home program is declined.
PRECEDENCE: tuple[ReadStatus, ...] = ("declined", "held", "historical", "planned", "home_program")
SECTION_STATUS: dict[str, ReadStatus] = {"plan": "planned", "goals": "planned", "subjective": "historical",
                                         "history": "historical"}


@dataclass(frozen=True)
class StatusDecision:
    status: ReadStatus
    trigger: str | None = None  # the words that set it, e.g. "declined" or "section:plan"
    start: int | None = None
    end: int | None = None


def decide_status(text: str, start: int, end: int, section: str, patterns: Patterns) -> StatusDecision:
    found: dict[ReadStatus, StatusDecision] = {}
    for trigger in patterns.status_triggers:
        match = trigger.pattern.search(text, start, end)
        if match and trigger.status not in found:
            found[trigger.status] = StatusDecision(trigger.status, match.group(0), match.start(), match.end())
    home = found.get("home_program")
    if (home is not None and home.trigger is not None and home.trigger.lower() == "at home"
            and patterns.patient_report.search(text, start, end)):
        del found["home_program"]  # "Pt reports freezing at doorways at home": what happens at home, no program
    for status in PRECEDENCE:
        if status in found:
            return found[status]
    if "performed" in found:
        return found["performed"]
    if section in SECTION_STATUS:
        return StatusDecision(SECTION_STATUS[section], f"section:{section}")
    return StatusDecision("performed")

