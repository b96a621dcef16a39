"""Minutes written once per code in a summary, apart from the work they time: "TE 15 / MT 10 / NMR 6." then
"TE: scap rows ... MT: post cap mobs ... NMR: rhythmic stab ...", or a billing table with a minutes column
("CPT  Description  Min  Units" / "97110  Ther ex  20  2"). Each summary figure goes to the one block of its
code that has no minutes of its own; the summary itself is not a block of work."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace

from nlp.blocks import Block, is_billing
from nlp.layout import Clause
from nlp.patterns import Patterns
from nlp.spans import SortedSpans
from nlp.timewords import Minutes

MAX_ITEM_MINUTES = 90


@dataclass(frozen=True)
class SummaryItem:
    code: str
    minutes: int
    units: int | None = None  # a billing table's units column, checked against the minutes later
    span: tuple[int, int] | None = None  # the item's own text ("MT 8" in "TE 15 | MT 8 | Gait 7 | Tot 30")


@dataclass(frozen=True)
class CodeSummary:
    start: int
    end: int
    items: tuple[SummaryItem, ...]
    subtotal: bool = False  # "Total TE<TAB>22" under a table's exercise rows: the time of the block just above


def find_code_summaries(text: str, patterns: Patterns) -> list[CodeSummary]:
    summaries = []
    for run in patterns.code_summary.finditer(text):
        items = []
        for item in patterns.summary_item.finditer(text, run.start(), run.end()):
            minutes = int(item.group("minutes"))
            if not 0 < minutes <= MAX_ITEM_MINUTES:
                break
            items.append(SummaryItem(patterns.heading_code(item), minutes, span=item.span()))
        else:
            summaries.append(CodeSummary(*_with_label_and_sum(text, run.start(), run.end()), tuple(items)))
    for run in CPT_SUMMARY.finditer(text):  # "Time summary: 97535 22 / 97530 15 / total 37"
        items = [SummaryItem(item.group("code"), int(item.group("minutes")), span=item.span())
                 for item in CPT_SUMMARY_ITEM.finditer(text, run.start(), run.end())]
        says_time = TIME_WORD.search(_line_of(text, run.start(), run.end()))
        if says_time and all(0 < item.minutes <= MAX_ITEM_MINUTES for item in items):
            summaries.append(CodeSummary(*_with_label_and_sum(text, run.start(), run.end()), tuple(items)))
    for line in CODE_TOTAL_LINE.finditer(text):  # "TherEx total<TAB>18", "Total TE<TAB>22" under the rows it times
        code = patterns.code_named(line.group("head") or line.group("head_after"))
        minutes = int(line.group("minutes"))
        if code is not None and 0 < minutes <= MAX_ITEM_MINUTES:
            summaries.append(CodeSummary(line.start(), line.end(), (SummaryItem(code, minutes),), subtotal=True))
    for line in TIME_BREAKDOWN.finditer(text):  # "Time: 30 min re-eval + 20 min TherEx = 50 min total"
        parts = list(MINUTES_THEN_NAME.finditer(text, line.start("rest"), line.end("rest")))
        named = [(patterns.code_named(part.group("name")), int(part.group("minutes"))) for part in parts]
        items = [SummaryItem(code, minutes) for code, minutes in named if code is not None]
        if len(parts) >= 2 and items and all(0 < item.minutes <= MAX_ITEM_MINUTES for item in items):
            summaries.append(CodeSummary(line.start(), line.end(), tuple(items)))
    for line in BILLING_LINE.finditer(text):  # "Billing - Therapeutic exercise 16 min; Manual therapy 8 min"
        items = [SummaryItem(patterns.heading_code(item), int(item.group("minutes")))
                 for item in patterns.summary_item.finditer(text, line.start("rest"), line.end("rest"))]
        if items and all(0 < item.minutes <= MAX_ITEM_MINUTES for item in items):
            summaries.append(CodeSummary(line.start(), line.end("rest"), tuple(items)))
    return summaries


# Code numbers with bare figures are minutes only on a line that says it times: "97110 2 / 97140 1" may be units
_CPT_ITEM = (r"(?<![\w/])(?P<code>97\d{3}|9250[7]|92526|G0283)[ \t]*[:=-]?[ \t]*(?P<minutes>\d{1,3})\b"
             r"(?![\w'%#°/-]|\.\d)")
CPT_SUMMARY_ITEM = re.compile(_CPT_ITEM)
_CPT_ITEM_UNNAMED = re.sub(r"\(\?P<\w+>", "(?:", _CPT_ITEM)
# "97110 - 15 min / 97140 - 12 min"
CPT_SUMMARY = re.compile(_CPT_ITEM + r"(?:(?:[ \t]*min\w*\.?)?[ \t]*[/,;|][ \t]*" + _CPT_ITEM_UNNAMED + r")+")
TIME_WORD = re.compile(r"\b(?:min\w*|time|timed)\b", re.IGNORECASE)


_CODE_NAME = r"[A-Za-z][\w .&/-]{0,30}?"
CODE_TOTAL_LINE = re.compile(rf"^[ \t]*(?:(?P<head>{_CODE_NAME})[ \t]+total|total[ \t]+(?P<head_after>{_CODE_NAME}))"
                             r"[ \t:=-]*(?P<minutes>\d{1,3})[ \t]*(?:min\w*|')?[ \t]*$", re.IGNORECASE | re.MULTILINE)


TIME_BREAKDOWN = re.compile(r"^[ \t]*(?:time|minutes|mins|time breakdown)[ \t]*:[ \t]*(?P<rest>.+)$",
                            re.IGNORECASE | re.MULTILINE)
MINUTES_THEN_NAME = re.compile(r"(?P<minutes>\d{1,3})[ \t]*(?:min\w*|')[ \t]+"
                               r"(?P<name>[A-Za-z][\w/.-]*(?: [A-Za-z][\w/.-]*){0,3}?)[ \t]*(?=[+,;/=]|$)",
                               re.MULTILINE)


def _line_of(text: str, start: int, end: int) -> str:
    line_end = text.find("\n", end)
    return text[text.rfind("\n", 0, start) + 1:line_end if line_end >= 0 else len(text)]


BILLING_LINE = re.compile(r"^[ \t]*(?:billing|billed|charges?|charge summary|billing summary)[ \t]*[-–—:][ \t]*"
                          r"(?P<rest>.*)$", re.IGNORECASE | re.MULTILINE)


# "Summary: ", "Timed: ", opening its line or a sentence ("... Pain 5/10 with pinch. Time: ther ex 15, manual 10")
SUMMARY_LABEL = re.compile(r"(?:^|[.;][ \t]+)[ \t]*(?P<label>[A-Za-z][A-Za-z /]{0,20}:[ \t]*)$")
# "... GT 12 = 42 min", "TE 15 / MT 10 / NMR 6 — 31 min total (all timed)", "MT 10 / TE 19 / TA 9  (total 38)"
RESTATED_SUM = re.compile(r"[ \t]*(?:=|[—–-]+)[ \t]*\d{1,3}[ \t]*(?:min\w*|')?(?:[ \t]+total\b)?\.?"
                          r"(?:[ \t]*\([^()\n]*\))?"
                          r"|[ \t]*\([ \t]*(?:total|tot)\.?[ \t:=]*\d{1,3}[ \t]*(?:min\w*|')?[ \t]*\)", re.IGNORECASE)


def _with_label_and_sum(text: str, start: int, end: int) -> tuple[int, int]:
    """The summary's whole text: a label opening its line ("Timed: TE 20, MT 10, GT 12") and the sum after it
    ("= 42 min") are part of it, so no block is read from them."""
    line_start = text.rfind("\n", 0, start) + 1
    if label := SUMMARY_LABEL.search(text[line_start:start]):
        start = line_start + (label.start() if label.start() == 0 else label.start("label"))
    restated = RESTATED_SUM.match(text, end)
    return start, restated.end() if restated else end


BILLING_HEADER = re.compile(r"^(?=.*\b(?:cpt|codes?|hcpcs)\b)(?=.*\bmin(?:s|utes)?\b).*$", re.IGNORECASE | re.MULTILINE)
COLUMN_GAP = re.compile(r"\t+|\s*\|\s*|\s{2,}")  # columns: tabs, pipes or two spaces and more
CODE_ROW = re.compile(r"^\s*(?:\d{5}|G\d{4})\b")
MINUTE_COLUMNS = frozenset({"min", "mins", "minutes", "min.", "time (min)"})


def find_billing_table_minutes(text: str) -> list[CodeSummary]:
    """A billing table whose header names a code column and a minutes column: each code row's minutes, one
    summary a row, so that a row whose figure times work described above it can be dropped as a restatement."""
    summaries = []
    for header in BILLING_HEADER.finditer(text):
        names = [cell.strip().lower() for cell in COLUMN_GAP.split(header.group(0).strip())]
        column = next((i for i, name in enumerate(names) if name in MINUTE_COLUMNS), None)
        units_column = next((i for i, name in enumerate(names) if name in ("units", "unit", "u")), None)
        if column is None:
            continue
        end = header.end()
        for line in text[header.end() + 1:].split("\n"):
            if not CODE_ROW.match(line):
                break
            start, end = end + 1, end + 1 + len(line)
            cells = COLUMN_GAP.split(line.strip())
            if len(cells) == len(names) and cells[column].isdigit() and 0 < int(cells[column]) <= MAX_ITEM_MINUTES * 2:
                units = cells[units_column] if units_column is not None else ""
                item = SummaryItem(cells[0], int(cells[column]), int(units) if units.isdigit() else None)
                summaries.append(CodeSummary(start, end, (item,)))
    return summaries


def find_billed_minutes(text: str, clauses: list[Clause], minutes: SortedSpans[Minutes],
                        patterns: Patterns) -> list[CodeSummary]:
    """A charges list's minutes ("97110 Ther ex   20 min" under "Charges:"): per code, like a summary."""
    summaries = []
    for clause in clauses:
        if not is_billing(text, clause, patterns):
            continue
        written = patterns.cpt_written.search(text, clause.start, clause.end)
        if written:
            code, after = written.group(1), written.end()
        else:
            named = patterns.code_heading.match(text[clause.start:clause.end])
            if not named:
                continue  # "Ther Ex ........ 17 min" under "Billing:" names its code by a heading
            code, after = patterns.heading_code(named), clause.start + named.end()
        spans = minutes.starting_in(after, clause.end)
        value = spans[0].value if spans else _bare_minutes(text[after:clause.end])
        if value is not None and 0 < value <= MAX_ITEM_MINUTES * 2:
            summaries.append(CodeSummary(clause.start, clause.end, (SummaryItem(code, value),)))
    return summaries


def _bare_minutes(rest: str) -> int | None:
    """'97110 .... 18' under 'Billing': a bare figure after the code. Below 8 it would be units ('97110  2'):
    no timed unit is billed for fewer than 8 minutes, so only 8 or more are read as minutes."""
    bare = BARE_FIGURE.fullmatch(rest)
    return int(bare.group(1)) if bare and int(bare.group(1)) >= MIN_BARE_MINUTES else None


MIN_BARE_MINUTES = 8
# "97110 .... 18", "97140 Manual ........ 12": the code, perhaps its name, then only the figure
BARE_FIGURE = re.compile(r"(?:[ \t]+[A-Za-z][A-Za-z /&-]{0,30}?)?[\s.|:=-]*(\d{1,3})[\s.]*")


def summaries_as_work(text: str, blocks: list[Block],
                      unplaced: list[CodeSummary]) -> tuple[list[Block], list[CodeSummary]]:
    """A summary may be the only record of the work: a billing table's row ("97110 | Ther ex - RC/scap program |
    25 | 2" and no description above), or a flowsheet's cells ("TE 15 | MT 8 | Gait 7 | Tot 30"). An item whose
    code no block has is that work, timed by its own figure. Returns the blocks with those items and the figures
    still unplaced."""
    coded = {block.code for block in blocks if block.done_in_session}  # "HEP reviewed" does not time "TE 15"
    work, left = [], []
    for summary in unplaced:
        row = len(summary.items) == 1 and CODE_ROW.match(text[summary.start:summary.end])
        spans = [(summary.start, summary.end)] if row else [item.span for item in summary.items]
        kept = []
        for item, span in zip(summary.items, spans, strict=True):
            if span is None or summary.subtotal or item.code in coded:
                kept.append(item)
                continue
            coded.add(item.code)  # a row may be read twice (as a table row and as a charges line)
            work.append(_summary_block(text, item, *span))
        if kept:
            left.append(replace(summary, items=tuple(kept)))
    return sorted(blocks + work, key=lambda block: block.start), left


def _summary_block(text: str, item: SummaryItem, start: int, end: int) -> Block:
    line = text.count("\n", 0, start) + 1
    clause = Clause(start, end, "billing", line, True, False, False)
    return Block(start, end, start, "billing", line, line, [clause], label_code=item.code, code=item.code,
                 code_rule="cpt", minutes=item.minutes, stated_units=item.units)


def without_summaries(blocks: list[Block], summaries: list[CodeSummary]) -> list[Block]:
    """The blocks that are not a summary's own text ("TE 15 / MT 10" names codes but is no work)."""
    ordered = sorted(summaries, key=lambda s: s.start)  # they never overlap: one bisection finds the candidate
    starts = [s.start for s in ordered]

    def inside(block: Block) -> bool:
        at = bisect_right(starts, block.start) - 1
        return at >= 0 and block.end <= ordered[at].end + 1

    return [b for b in blocks if not inside(b)]


def place_summaries(blocks: list[Block], summaries: list[CodeSummary],
                    code_of: Callable[[Block], str | None]) -> tuple[list[Block], list[CodeSummary]]:
    """Each summary figure to its block (`apply_code_summaries`); a summary placed in full restates that work, so
    a block read from its own text (a billing table's row "97110     20") goes. Returns the blocks and the
    figures still unplaced."""
    unplaced = apply_code_summaries(blocks, summaries, code_of)
    left = {(s.start, s.end) for s in unplaced}
    return without_summaries(blocks, [s for s in summaries if (s.start, s.end) not in left]), unplaced


def apply_code_summaries(blocks: list[Block], summaries: list[CodeSummary],
                         code_of: Callable[[Block], str | None]) -> list[CodeSummary]:
    """Each summary figure to the one performed block without minutes whose code (`code_of`: the note's
    label before the intent model decides, the decided code after) is the figure's; the figures still
    unplaced are returned."""
    untimed: dict[str | None, list[Block]] = {}
    items_timed: dict[str | None, list[Block]] = {}  # "Therex: ... UBE 5 min": only an item inside is timed
    timed: set[str | None] = set()  # codes with a block timed as a whole
    for block in blocks:
        if block.status.status != "performed":
            continue
        if block.minutes is None:
            untimed.setdefault(code_of(block), []).append(block)
        elif block.heading_code and all(span.start >= block.content_start for span in block.minute_spans):
            items_timed.setdefault(code_of(block), []).append(block)
        else:
            timed.add(code_of(block))
    unplaced = []
    for summary in summaries:
        above = _block_just_above(blocks, summary.start) if summary.subtotal else None
        if above is not None and code_of(above) == summary.items[0].code and above.status.status == "performed":
            above.minutes = summary.items[0].minutes  # its rows' times ("Bike 8 min") are inside the subtotal
            untimed[summary.items[0].code] = [b for b in untimed.get(summary.items[0].code, []) if b is not above]
            continue
        left = []
        for item in summary.items:
            targets = untimed.get(item.code, [])
            inner = items_timed.get(item.code, [])
            if not targets and item.code not in timed and len(inner) == 1 and (inner[0].minutes or 0) < item.minutes:
                targets = inner  # "TE 18" in the summary is the block's time, its "UBE 5 min" one item's
            if len(targets) == 1:
                untimed[item.code] = items_timed[item.code] = []  # timed now
                targets[0].minutes = item.minutes
                if targets[0].stated_units is None:
                    targets[0].stated_units = item.units
            else:
                left.append(item)
        if left:
            unplaced.append(replace(summary, items=tuple(left)))
    return unplaced


def _block_just_above(blocks: list[Block], at: int) -> Block | None:
    before = [block for block in blocks if block.end <= at]
    return before[-1] if before else None
