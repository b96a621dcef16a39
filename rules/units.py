"""Unit counting for 15-minute timed codes.

Two methods:
- "cms": the Medicare 8-minute rule (MCPM Pub. 100-04 Ch. 5 §20.2). Minutes of all timed codes are
  pooled; the pool sets the number of units; each code first gets one unit per full 15 minutes; the units
  left go to the codes with the most remaining minutes.
- "per_code": the AMA/CPT midpoint rule most commercial payers use: each code counted on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

UNIT_MINUTES = 15
MIDPOINT = 8  # a unit is reached once the midpoint (more than 7 minutes) is passed


def units_for_minutes(minutes: int) -> int:
    """The §20.2 C unit table in closed form: 8-22 -> 1, 23-37 -> 2, ... (the pattern continues)."""
    return (minutes + UNIT_MINUTES - MIDPOINT) // UNIT_MINUTES if minutes >= 0 else 0


@dataclass(frozen=True)
class Allocation:
    code: str
    minutes: int
    units: int
    explanation: str
    tie: bool = False


def allocate(minutes_by_code: dict[str, int], method: str, pool_limit: int | None = None) -> dict[str, Allocation]:
    """Units per code. `pool_limit`: the day's total timed minutes as documented, when the intervention minutes
    add up to more; under the CMS method it caps the pool (§20.2 C: "the total number of timed units that can
    be billed is constrained by the total treatment minutes for that day")."""
    if method == "cms":
        return _allocate_cms(minutes_by_code, pool_limit)
    if method == "per_code":
        return _allocate_per_code(minutes_by_code)
    raise ValueError(f"unknown unit method {method!r}")


def _allocate_per_code(minutes_by_code: dict[str, int]) -> dict[str, Allocation]:
    return {
        code: Allocation(
            code, minutes, units_for_minutes(minutes),
            f"per-code midpoint rule: {minutes} min of {code} alone -> {units_for_minutes(minutes)} unit(s)",
        )
        for code, minutes in minutes_by_code.items()
    }


def _most_time_first(minutes_by_code: dict[str, int], units: int) -> dict[str, int]:
    """`units` units, each to the code with the most minutes not yet covered by its units ("bill the procedures
    you spent the most time providing", §20.2 example 4); equal minutes go by more total minutes, then code."""
    given = dict.fromkeys(minutes_by_code, 0)
    for _ in range(units):
        code = min(given, key=lambda c: (given[c] * UNIT_MINUTES - minutes_by_code[c], -minutes_by_code[c], c))
        given[code] += 1
    return given


def _allocate_cms(minutes_by_code: dict[str, int], pool_limit: int | None = None) -> dict[str, Allocation]:
    total = sum(minutes_by_code.values())
    pooled = min(total, pool_limit) if pool_limit is not None else total
    capped = pooled < total
    allowed = units_for_minutes(pooled)
    base = {code: minutes // UNIT_MINUTES for code, minutes in minutes_by_code.items()}
    most_time_first = sum(base.values()) > allowed  # only when capped: full 15-minute units exceed the total
    if most_time_first:
        base = _most_time_first(minutes_by_code, allowed)
    left = allowed - sum(base.values())
    remainder = {code: minutes_by_code[code] - UNIT_MINUTES * base[code] for code in minutes_by_code}
    # Most remaining minutes first; equal remainders are the clinician's choice (§20.2 examples 2 and 5):
    # we break them by more total minutes, then by code, and say so.
    order = sorted(minutes_by_code, key=lambda c: (-remainder[c], -minutes_by_code[c], c))
    extra = set(order[:left]) if left > 0 else set()
    tied: set[str] = set()
    if 0 < left < len(order):
        cut = remainder[order[left - 1]]
        if remainder[order[left]] == cut and cut > 0:
            tied = {c for c in order if remainder[c] == cut}
    result: dict[str, Allocation] = {}
    for code, minutes in minutes_by_code.items():
        units = base[code] + (1 if code in extra else 0)
        parts = [f"CMS 8-minute rule: {minutes} of {total} pooled timed minutes; the pool allows {allowed} unit(s)"]
        if capped:
            parts[0] = (f"CMS 8-minute rule: {minutes} of {total} timed minutes, but the note's total timed "
                        f"minutes ({pooled}) allow only {allowed} unit(s) (§20.2 C: units are constrained by the "
                        "day's total treatment minutes)")
        if most_time_first:
            parts.append(f"{base[code]} unit(s): the allowed units go to the codes with the most minutes")
        elif base[code]:
            parts.append(f"{base[code]} full 15-minute unit(s)")
        if code in extra:
            parts.append(f"+1 for the {remainder[code]} remaining minute(s), among the largest remainders")
        elif remainder[code] > 0 and left >= 0 and not most_time_first:
            parts.append(f"{remainder[code]} remaining minute(s) not billed: the pool's units went to "
                         "larger remainders")
        if code in tied:
            parts.append("tie: clinician may choose which of the tied codes gets the unit")
        result[code] = Allocation(code, minutes, units, "; ".join(parts), tie=code in tied)
    return result
