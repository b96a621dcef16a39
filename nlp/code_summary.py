"""Minutes written once per code in a summary, apart from the work they time: "TE 15 / MT 10 / NMR 6." then
"TE: scap rows ... MT: post cap mobs ... NMR: rhythmic stab ...". Each summary figure goes to the one
block of its code that has no minutes of its own; the summary itself is not a block of work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.blocks import Block
from nlp.patterns import Patterns

MIN_ITEMS = 2  # one "balance 4" is a score or a grade; a run of code-and-number pairs is a summary
MAX_ITEM_MINUTES = 90


@dataclass(frozen=True)
class SummaryItem:
    code: str
    minutes: int


@dataclass(frozen=True)
class CodeSummary:
    start: int
    end: int
    items: tuple[SummaryItem, ...]


@cache
def _compiled(patterns: Patterns) -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(f"(?P<h{i}>{pattern})" for i, (_, pattern) in enumerate(patterns.raw["headings"]))
    item = rf"(?:{names})\s*[:=]?\s*(?P<minutes>\d{{1,3}})\b(?![\w'%#°/-]|\.\d)"
    plain_item = re.sub(r"\(\?P<\w+>", "(?:", item)  # the run repeats the item: no named groups twice
    run = rf"(?<![\w/]){plain_item}(?:[ \t]*[/,;|][ \t]*{plain_item}){{{MIN_ITEMS - 1},}}"
    return re.compile(run, re.IGNORECASE), re.compile(item, re.IGNORECASE)


def find_code_summaries(text: str, patterns: Patterns) -> list[CodeSummary]:
    run_pattern, item_pattern = _compiled(patterns)
    summaries = []
    for run in run_pattern.finditer(text):
        items = []
        for item in item_pattern.finditer(text, run.start(), run.end()):
            minutes = int(item.group("minutes"))
            if not 0 < minutes <= MAX_ITEM_MINUTES:
                break
            items.append(SummaryItem(patterns.heading_code(item), minutes))
        else:
            summaries.append(CodeSummary(run.start(), run.end(), tuple(items)))
    return summaries


def apply_code_summaries(blocks: list[Block], summaries: list[CodeSummary]) -> list[Block]:
    """The blocks without the summaries' own, each summary figure given to its code's one untimed block."""
    inside = [b for b in blocks if any(s.start <= b.start and b.end <= s.end + 1 for s in summaries)]
    kept = [b for b in blocks if b not in inside]
    for summary in summaries:
        for item in summary.items:
            targets = [b for b in kept if (b.label_code or b.code) == item.code and b.minutes is None
                       and b.status.status == "performed"]
            if len(targets) == 1:
                targets[0].minutes = item.minutes
    return kept
