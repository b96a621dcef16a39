"""Minutes and total times written in a note: "15 min", "15'", "(12 min)", "twenty minutes",
"0900-0930", "8:30-9:15", "TTT 40'", "Total timed minutes 38".

Never minutes: reps, sets, seconds, pounds, degrees, levels, scores ("15 reps x 2 sets",
"3 x 30 sec holds", "level 2", "4-/5"), feet in gait ("ambulated 150'"), or "min A" (minimal assist).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from nlp.patterns import Patterns
from nlp.regex_gate import compile_gated
from nlp.spans import SortedSpans
from rules.codes import code_table

MAX_SESSION_MINUTES = 300  # a clock range longer than this is not a treatment time
# "3 x 3 minutes": an interval scheme ("97116 x1 - 12 min" is none; "1.5 W/cm2 x 8 min" is a setting, then the time)
SETS_OF = re.compile(r"(?<!\d{4})(?<![A-Za-z/])\d\s*[x×]\s*$")
SETS_AND_REPS_THEN = re.compile(r"\d\s*[x×]\s*\d{1,3}\s*[x×]\s*$")  # "band 3x10 x 15 min": sets and reps, then the time
SETTING_TIMES = re.compile(r"\b(?:level|lvl|resistance|setting|speed|incline|grade)\s*\d+\s*[x×]\s*$",
                           re.IGNORECASE)  # "NuStep level 3 x 10 min": a setting, then the time
REPS_BEFORE = re.compile(r"(?<![a-z])[x×]\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Minutes:
    start: int
    end: int
    value: int
    kind: str  # numeric | apostrophe | word | clock


@dataclass(frozen=True)
class TotalTime:
    start: int
    end: int
    value: int
    kind: str  # treatment | timed | untimed
    explicit: bool = True  # "Total treatment time 45 min" rather than "seen for 45 min"


def _word_value(words: dict[str, int], phrase: str) -> int:
    return sum(words.get(part, 0) for part in phrase.lower().replace("-", " ").split())


def _clock_minutes(h1: str, m1: str, h2: str, m2: str) -> int | None:
    start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
    if int(m1) > 59 or int(m2) > 59:
        return None
    if end <= start and int(h2) < 13:  # 12-hour clock across noon: 11:45-12:30 is fine, 1:15 after 12:40
        end += 12 * 60
    minutes = end - start
    return minutes if 0 < minutes <= MAX_SESSION_MINUTES else None


def find_minutes(text: str, patterns: Patterns, start: int = 0, end: int | None = None) -> list[Minutes]:
    """Minute expressions in text[start:end], not overlapping each other."""
    end = len(text) if end is None else end
    rules = patterns.minutes
    found: list[Minutes] = []
    for match in rules["clock"].finditer(text, start, end):
        value = _clock_minutes(*match.groups())
        if value is not None:
            found.append(Minutes(match.start(), match.end(), value, "clock"))
    for match in rules["numeric"].finditer(text, start, end):
        if SETS_OF.search(text, max(0, match.start() - 6), match.start()) and not SETTING_TIMES.search(
                text, max(0, match.start() - 20), match.start()) and not SETS_AND_REPS_THEN.search(
                text, max(0, match.start() - 12), match.start()):
            continue  # "3 x 3 minutes" is an interval scheme inside a block, not the block's time
        if rules["not_before"].search(text[max(start, match.start() - 16):match.start()]):
            continue  # "redness resolved in 10 min": the time of something else
        value = int(match.group(1))  # "10-15 min": only the lower bound is documented
        if match.group(2) and REPS_BEFORE.search(text, max(0, match.start() - 3), match.start()):
            value = int(match.group(2))  # "breathing x 5 - 12 min": five repetitions, then the time
        found.append(Minutes(match.start(), match.end(), value, "numeric"))
    for match in rules["word"].finditer(text, start, end):
        found.append(Minutes(match.start(), match.end(), _word_value(rules["words"], match.group(1)), "word"))
    for match in rules["apostrophe"].finditer(text, start, end):
        # "ambulated 150'" and "x 200'" are feet; "gait 12'" and "TE 8'" are minutes
        before = text[max(start, match.start() - 25):match.start()]
        before = before.rsplit("|", 1)[-1].rsplit(";", 1)[-1].rsplit(",", 1)[-1]
        heads_items = text[match.end():match.end() + 2].lstrip().startswith(":")  # "propulsion 25': ramps ..."
        if int(match.group(1)) <= 120 and (heads_items or not rules["feet_context"].search(before)
                                           or _right_after_heading(text, match.start(), patterns)
                                           or _times_a_modality(before, rules, patterns)
                                           or (int(match.group(1)) <= MAX_TRAINING_PRIME
                                               and TRAINING_BEFORE.search(before) is not None)):
            found.append(Minutes(match.start(), match.end(), int(match.group(1)), "apostrophe"))
    for match in patterns.code_equals.finditer(text, start, end):  # "... wand ER 2x10 = TE 16 |"
        found.append(Minutes(match.start("minutes"), match.end("minutes"), int(match.group("minutes")), "numeric"))
    for match in ZERO_HOURS.finditer(text, start, end):  # "Ther act 0:38", "Tx time: 0:54": h:mm, no hours
        found.append(Minutes(match.start(), match.end(), int(match.group(1)), "numeric"))
    for match in HOURS.finditer(text, start, end):  # "~ half an hour", "~1/2 hr"
        found.append(Minutes(match.start(), match.end(), HOUR_VALUES[match.group(1).lower()], "word"))
    leads = list(BRACKETED_LEAD.finditer(text, start, end))
    if len(leads) >= 2 and [int(m.group(1)) for m in leads] != list(range(1, len(leads) + 1)):
        for match in leads:  # "[10] place-and-hold ...", "[12] orthosis check/adjust ...": not "[1] ... [2] ..."
            found.append(Minutes(match.start(1), match.end(1), int(match.group(1)), "numeric"))
    for match in MINUTES_FIELD.finditer(text, start, end):  # "Minutes: 20" under "Service: ... (97110)"
        found.append(Minutes(match.start(1), match.end(1), int(match.group(1)), "numeric"))
    for match in HEADING_BARE_CELL.finditer(text, start, end):  # "TE 15 | NuStep L3, LAQ 2#", "TherEx 15 - wand"
        if _right_after_heading(text, match.start(), patterns):
            found.append(Minutes(match.start(), match.end(), int(match.group(1) or match.group(2)), "numeric"))
    for match in BARE_M.finditer(text, start, end):  # "TE 15m - ...": 'm' is minutes only right after a heading
        if _right_after_heading(text, match.start(), patterns) or _bare_m_is_minutes(text, match, rules):
            found.append(Minutes(match.start(), match.end(), int(match.group(1)), "numeric"))
    for match in LINE_END_FIGURE.finditer(text, start, end):  # "Orthosis (97763) - dynamic PIP ext orthosis - 10"
        line_start = text.rfind("\n", 0, match.start()) + 1
        if patterns.code_heading.match(text[line_start:match.start()]) and not any(
                line_start <= item.start < match.end() for item in found):
            found.append(Minutes(match.start(1), match.end(1), int(match.group(1)), "numeric"))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Minutes] = []
    for item in found:
        if kept and kept[-1].kind == "clock" and item.value == kept[-1].value and \
                not text[kept[-1].end:item.start].strip(" (=~,"):
            continue  # "1600-1645 (45 min)": the range and its length are one time
        if item.value > 0 and (not kept or item.start >= kept[-1].end):
            kept.append(item)
    return kept


# a figure closing a line that opens with a heading and holds no other time: that heading's minutes
LINE_END_FIGURE = re.compile(r"(?<=\S)[ \t]+[-–—][ \t]*(\d{1,2})[ \t]*$", re.MULTILINE)


# the whole-note patterns below are gated (`nlp.regex_gate`): `re` would try them at every character
ZERO_HOURS = compile_gated(r"(?<![\d:.])0?0:([0-5]\d)\b(?!:\d|\s*[ap]\.?m\b)", re.IGNORECASE)
HEADING_REACH = 80  # a heading and its time sit within this many characters of the line's start
BARE_M = compile_gated(r"(?<![\d.])(\d{1,3})\s?m\b(?![²/])")


def _bare_m_is_minutes(text: str, match: re.Match[str], rules: dict[str, Any]) -> bool:
    """An 'm' away from a heading is minutes when it times a listed item ('Scar massage 8m, AROM/blocking 12m +
    light putty 4m') or stands in brackets, after 'x' or after a total ('Visual-motor (20m):', 'traction x12m',
    'Total 40m'); after words about walking it is metres ('amb x 30m', '10m walk')."""
    before = text[max(0, match.start() - 25):match.start()]
    value = int(match.group(1))
    listed = (value <= MAX_LISTED_M and bool(ITEM_NAME_BEFORE.search(before))
              and bool(LIST_GOES_ON.match(text, match.end())) and not rules["feet_context"].search(before))
    marked = (value <= MAX_SESSION_MINUTES and bool(MARKED_BEFORE.search(before))
              and not rules["feet_context"].search(before.rstrip("x( \t")))
    return listed or marked


MARKED_BEFORE = re.compile(r"(?:\(|\bx\s?|\btotal\s|\btimed\s)$", re.IGNORECASE)
# "wear schedule 1 hr on, 1 hr off", "1 hr/day" are schedules ("half an hour on functional training" is not) and
# "took levodopa 1 hr prior" a past time, not the session's
HOUR_VALUES = {"half an hour": 30, "half hour": 30, "1/2 hr": 30, "1/2 hour": 30, "½ hr": 30, "an hour": 60,
               "one hour": 60, "1 hour": 60, "1 hr": 60}
HOURS = re.compile(r"(?<![\w/])(" + "|".join(map(re.escape, HOUR_VALUES)) + r")\b"
                   r"(?!\s*(?:on\b(?=\s*(?:[,/;.)]|and\b|then\b|\d|$))|off\b|/|per\b|a day|daily|each|every|prior|ago"
                   r"|before|after|later|earlier|post))",
                   re.IGNORECASE)
BRACKETED_LEAD = re.compile(r"^[ \t]*\[(\d{1,3})\][ \t]+(?=[A-Za-z])", re.MULTILINE)
MINUTES_FIELD = re.compile(r"(?:^|\|)[ \t]*(?:minutes|mins?|duration)[ \t]*:[ \t]*(\d{1,3})[ \t]*(?:$|(?=\|))",
                           re.IGNORECASE | re.MULTILINE)  # on its own line, or a cell: "... | Minutes: 24 | ..."
# "TE 15 | ...", "ThAct 8 - ...", "TE 12 (tendon glides) / MT 10 (scar mass)", "GT 15 (RW, 250' x2) | ...",
# "TE 11: standing hip abd ...", "TE - 20: PIP/DIP blocking ...", "97110 [33] scap retraction rows ..."
HEADING_BARE_CELL = re.compile(r"(?<=[ \t])(?:(\d{1,3})"
                               r"(?=[ \t]*\||[ \t]+[-–—][ \t]|[ \t]+\([^()\n]*\)[ \t]*(?:\||/[ \t]|$)|:[ \t])"
                               r"|\[(\d{1,3})\](?=[ \t]))", re.MULTILINE)


MAX_LISTED_M = 60
ITEM_NAME_BEFORE = re.compile(r"[a-z]{3,}\s$", re.IGNORECASE)
LIST_GOES_ON = re.compile(r"\s*(?:[,;+]|\.(?:\s|$)|$)", re.MULTILINE)


def _right_after_heading(text: str, at: int, patterns: Patterns) -> bool:
    """"Gait training x20'" or "NMR x18'": the heading's own time, not feet walked."""
    reach = max(0, at - HEADING_REACH)
    # a line, a flowsheet cell or a label's body: "| TherEx 18m", "/ MT 10 (...)", "3 wks: TE 12 (...)", "visit — TE 15"
    line_start = max(text.rfind("\n", reach, at) + 1, text.rfind("|", reach, at) + 1,
                     _after(text.rfind(" / ", reach, at), 3), _after(text.rfind(": ", reach, at), 2),
                     _after(text.rfind(" — ", reach, at), 3))
    if line_start == 0 and at > HEADING_REACH:
        return False  # no line break close before: too far from a line's start to follow its heading
    line = text[line_start:at].lstrip(" \t")
    # the heading needs a number after it to be one
    heading = patterns.code_heading.match(line + "1") or patterns.cpt_written.match(line)
    if heading is None:
        return False
    rest = line[heading.end():]
    qualifier = BRACKETED_QUALIFIER.match(rest)  # "Ther ex (97110) x 20'", "NMR (gaze stab) x18'"
    return not rest[qualifier.end() if qualifier else 0:].strip(" x:-")


def _after(found: int, length: int) -> int:
    """Where the text after a separator found by rfind begins; 0 when none was found."""
    return found + length if found >= 0 else 0


X_BEFORE = re.compile(r"\bx\s*$", re.IGNORECASE)
MODALITY_CODES = frozenset(code for code, entry in code_table().items()
                           if entry.family in ("supervised_modality", "attended_modality"))


# "w/c propulsion training 15' (hallway, 100 ft x 4)": the training's time, as after the heading "Gait training"
TRAINING_BEFORE = re.compile(r"\b(?:training|trng)[ \t]*(?:x[ \t]*)?$", re.IGNORECASE)
MAX_TRAINING_PRIME = 60


def _times_a_modality(before: str, rules: dict[str, Any], patterns: Patterns) -> bool:
    """"Ice pack L knee x 10'": an 'x' before the prime marks feet after walking, minutes after a modality."""
    without_x = X_BEFORE.sub("", before)
    return (without_x != before and not rules["feet_context"].search(without_x)
            and any(pattern.search(before) for code, pattern in patterns.direct_codes if code in MODALITY_CODES))


BRACKETED_QUALIFIER = re.compile(r"\s*\([^()\n]{1,25}\)")


LOG_STAMP = re.compile(r"^[ \t•*-]*(?:([01]\d|2[0-3])([0-5]\d)|(\d{1,2}):([0-5]\d))\b", re.MULTILINE)
MIN_LOG_LINES = 3  # a time-stamped log, not a stray time in prose


def _log_stamps(text: str) -> list[tuple[int, int, int]]:
    """Each line's opening clock stamp: where it starts and ends, and its minute of the day."""
    return [(m.start(), m.end(), int(m.group(1) or m.group(3)) * 60 + int(m.group(2) or m.group(4)))
            for m in LOG_STAMP.finditer(text)]


LOG_ENTRY_LABEL = re.compile(r"[ \t]+[A-Za-z][\w /&-]{0,25}:")  # "0802  TE:", "0822 Gait:": a label over its items


def find_log_minutes(text: str, known: list[Minutes]) -> list[Minutes]:
    """A time-stamped log ("0805 UBE ...", "0811 AAROM ...", "0819-0834 ..."): an entry without its own
    minutes lasts until the next stamp."""
    stamps = _log_stamps(text)
    if len(stamps) < MIN_LOG_LINES:
        return []
    found = []
    for (start, end, minute), (_, _, following) in zip(stamps, stamps[1:], strict=False):
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        own = [m for m in known if start <= m.start < line_end]
        label = LOG_ENTRY_LABEL.match(text, end, line_end)
        if own and not (label and all(m.start >= label.end() for m in own)
                        and sum(m.value for m in own) < following - minute):
            continue  # the entry's own time; but "0802  TE: recumbent bike 6 min, leg press ..." runs to 0822
        if 0 < following - minute <= MAX_LOG_ENTRY:
            found.append(Minutes(start, end, following - minute, "log"))
    return found


# the last stamp of a log closes the visit: "0845 end, pt to front desk", "1440 session end", "1002 out"
LOG_CLOSE = re.compile(r"[ \t:-]*(?:end(?:ed)?|out|done|finished|session (?:end|ended|over)|pt (?:left|to|d/c))\b",
                       re.IGNORECASE)


def find_log_total(text: str) -> TotalTime | None:
    """A time-stamped log whose last stamp closes it: the visit runs from its first stamp to that one."""
    stamps = _log_stamps(text)
    if len(stamps) < MIN_LOG_LINES:
        return None
    (_, _, first), (last_start, last_end, last) = stamps[0], stamps[-1]
    closing = LOG_CLOSE.match(text, last_end)
    if closing is None or not 0 < last - first <= MAX_SESSION_MINUTES:
        return None
    return TotalTime(last_start, closing.end(), last - first, "treatment")


def _cells(line: str) -> list[str]:
    """A table row's cells, between pipes or (an EHR's export) tabs; one cell if the line is no row."""
    if line.count("|") >= 2:
        return line.split("|")
    return line.split("\t")  # an export's two tab-separated columns are a row too ("Paraffin R hand<tab>10")


def find_table_minutes(text: str) -> list[Minutes]:
    """A table flattened to text whose header names a minutes column ("Time | Intervention | Min",
    "Interventions<tab>Minutes<tab>Description"): the number in that column of each row."""
    found = []
    lines = text.split("\n")
    offset, column = 0, None
    for line in lines:
        cells = _cells(line)
        if len(cells) >= 2:
            names = [c.strip().lower() for c in cells]
            # "Time | Intervention | Min": a column named for minutes wins over one named "time" (clock times)
            header = min((i for i, c in enumerate(names) if c in MINUTE_HEADERS),
                         key=lambda i: (names[i] == "time", i), default=None)
            if header is not None:
                column = header
            elif column is not None and column < len(cells):
                cell = cells[column]
                match = re.fullmatch(r"\s*(\d{1,3})\s*(?:min\w*|')?\s*", cell)
                if match and 0 < int(match.group(1)) <= MAX_SESSION_MINUTES:
                    cell_start = offset + sum(len(c) + 1 for c in cells[:column])
                    found.append(Minutes(cell_start + match.start(1), cell_start + match.end(1), int(match.group(1)),
                                         "table"))
                if TABLE_TOTAL.fullmatch(names[0]):
                    column = None  # the total row closes the table: "Grip (lb)<tab>85<tab>33" below it is no time
        elif not line.rstrip().endswith(":"):  # "Ther ex:" groups the rows below it, within the table
            column = None
        offset += len(line) + 1
    return found


# the table's own total, not a code's subtotal row ("Total TE<tab><tab>22") inside it
TABLE_TOTAL = re.compile(r"total(?: (?:time|min\w*|tx|treatment|session))?:?")
# the minutes column ends the table, or only a code column follows it ("Treatment    Min   CPT")
ALIGNED_HEADER = re.compile(r"^[ \t]*\S.*?\S[ \t]{2,}(?:min|mins|minutes|min\.|time \(min\))"
                            r"(?:[ \t]{2,}(?:cpt|code))?[ \t]*$",
                            re.IGNORECASE)
ALIGNED_ROW = re.compile(r"^[ \t]*(\S.*?\S)[ \t]{2,}(\d{1,3})(?:[ \t]{2,}(?:97\d{3}|G0283|92507|92526))?[ \t]*$")
RULE_LINE = re.compile(r"^[\s=_-]*$")


def find_aligned_minutes(text: str) -> list[Minutes]:
    """A space-aligned table whose header ends in a minutes column ("TREATMENT        MIN"): the number
    that ends each row below it, up to a blank line; a "TOTAL" row is the table's total, not a row."""
    found, offset, in_table = [], 0, False
    for line in text.split("\n"):
        if ALIGNED_HEADER.match(line):
            in_table = True
        elif in_table and not line.strip():
            in_table = False
        elif in_table and not RULE_LINE.match(line):
            row = ALIGNED_ROW.match(line)
            if row and not row.group(1).lower().startswith("total") and 0 < int(row.group(2)) <= MAX_SESSION_MINUTES:
                found.append(Minutes(offset + row.start(2), offset + row.end(2), int(row.group(2)), "table"))
            elif not row:
                in_table = False
        offset += len(line) + 1
    return found


TIME_IN_OUT = compile_gated(r"\b(?:time\s+)?in\s*[:=-]?\s*(?P<h1>\d{1,2}):?(?P<m1>\d{2})\s*(?:[ap]\.?m\.?)?"
                         r"[\s/,;|-]{1,8}(?:time\s+)?out\s*[:=-]?\s*(?P<h2>\d{1,2}):?(?P<m2>\d{2})\b", re.IGNORECASE)
MINUTE_HEADERS = frozenset({"min", "mins", "minutes", "min.", "time (min)", "minutes spent", "duration", "time"})
MAX_LOG_ENTRY = 90


class _Totals:
    """The totals found so far, in start order, and whether a position falls inside one of them: each trigger is
    read once (a bisection, not a scan, so a long note with thousands of totals stays linear)."""

    def __init__(self) -> None:
        self.found: list[TotalTime] = []
        self._starts: list[int] = []
        self._longest = 0

    def append(self, total: TotalTime) -> None:
        at = bisect_right(self._starts, total.start)
        self._starts.insert(at, total.start)
        self.found.insert(at, total)
        self._longest = max(self._longest, total.end - total.start)

    def cover(self, position: int) -> bool:
        """Inside a total found so far: only totals starting within the longest span before it can be."""
        first = bisect_right(self._starts, position - self._longest - 1)
        last = bisect_right(self._starts, position)
        return any(position < t.end for t in self.found[first:last])


WORK_AFTER_TIME = re.compile(r"\s*(?:of|for|on)\s+", re.IGNORECASE)
WORK_NAME_REACH = 30  # "... 40 min of language treatment"


def _names_its_work(text: str, trigger_end: int, minutes: Minutes, patterns: Patterns) -> bool:
    """'Pt seen for dysphagia tx x 30 min', 'seen with grandmother for 40 min of language treatment', 'Seen for
    ADL tx 25 min: ...': the session's time names the one service given in it, so it is that service's time too."""
    if patterns.any_named_code.search(text, trigger_end, minutes.start) or patterns.code_heading.match(
            text[trigger_end:minutes.end]):
        return True
    after = WORK_AFTER_TIME.match(text, minutes.end)
    return bool(after and patterns.any_named_code.match(text, after.end(), after.end() + WORK_NAME_REACH))


# "I saw Mr. Quinn for 25 minutes today.", "I worked with Mrs. Hollis this morning from 8:30 to 9:15, ...", "OT saw pt
# from 1:15 to 2:00 for ...": a narrative opens with the visit's length ("worked with him on R UE motor control for 26
# minutes" times that work)
VISIT_OPENING = re.compile(r"(?:^|(?<=[.!?]\s))[ \t]*(?:(?:today|this (?:morning|afternoon)),?\s+)?"
                           r"(?:(?:I|we|OT|PT|OTA|PTA|COTA|therapist)\s+)?"
                           r"(?:saw|worked with|treated|met with)\s(?:(?!\bon\b)[^\n;:]){0,50}?"
                           r"\b(?:for|from)\s+(?:about\s+|approximately\s+|~\s*)?\Z", re.IGNORECASE)
TIMES_NAMED_WORK = re.compile(r"[ \t]+(?:on|of|doing|working on)\b")  # "I worked with him for 22 minutes on ..."

# "Tested: 8:00-9:30.", "0900-0945" alone on a line: a clock range that times no named work is the visit's length
CLOCK_LINE_LABEL = re.compile(r"[ \t]*(?:[A-Za-z][\w /]{0,20}:)?[ \t]*")
TITLE_BEFORE_CLOCK = re.compile(r"[^\d\n]{0,40}")  # "Work Cond OT 8:30-9:15" opening the note: its title and time


def _states_the_visits_length(text: str, item: Minutes, note_start: int, patterns: Patterns) -> bool:
    """Minutes that time the visit, not a named service: a narrative's opening ("I saw Mr. Quinn for 25 minutes"), a
    clock range alone on a labelled line ("Tested: 8:00-9:30.") or in the note's title line (the line holding
    `note_start`, the note's first character that is not white space)."""
    line_start = text.rfind("\n", 0, item.start) + 1
    line = text[line_start:item.start]
    if patterns.any_named_code.search(line) or patterns.code_heading.match(line):
        return False
    if VISIT_OPENING.search(line) and not TIMES_NAMED_WORK.match(text, item.end):
        return True
    closes_line = item.kind == "clock" and LINE_ENDS.match(text, item.end) is not None
    title = note_start >= line_start and TITLE_BEFORE_CLOCK.fullmatch(line) is not None
    return (closes_line and (CLOCK_LINE_LABEL.fullmatch(line) is not None or title)) or _opens_the_title(
        text, item, note_start, patterns)


def _opens_the_title(text: str, item: Minutes, note_start: int, patterns: Patterns) -> bool:
    """"8:30-9:15  R long finger trigger release (M65.331), POD 20": a clock range opening the note's first line,
    the rest of which names no work and gives no other time, is the visit's time."""
    if item.kind != "clock" or note_start < item.start:
        return False
    line_end = text.find("\n", item.end)
    rest = text[item.end:len(text) if line_end == -1 else line_end]
    return (len(rest) <= TITLE_REST and not patterns.any_named_code.search(rest)
            and not patterns.code_heading.match(rest) and not patterns.minutes["numeric"].search(rest))


TITLE_REST = 80


def find_totals(text: str, patterns: Patterns, minutes: list[Minutes]) -> list[TotalTime]:
    """Total-time statements: a trigger ("TTT", "total treatment time", "timed minutes") followed closely
    by minutes, or by a bare number when the trigger itself names minutes or time."""
    rules = patterns.minutes
    indexed = SortedSpans(minutes)
    totals = _Totals()
    for match in TIME_IN_OUT.finditer(text):  # "Time in 15:00 / Time out 15:55": the visit's length
        value = _clock_minutes(*match.group("h1", "m1", "h2", "m2"))
        if value is not None:
            totals.append(TotalTime(match.start(), match.end(), value - _rest_not_counted(text, match.end()),
                                    "treatment"))
    log_total = find_log_total(text)
    if log_total is not None:
        totals.append(log_total)
    for kind, rule in (("timed", "total_timed"), ("untimed", "total_untimed"), ("treatment", "total_treatment"),
                       ("treatment", "total_session")):
        for match in rules[rule].finditer(text):
            if totals.cover(match.start()) or SUBTOTAL_IN_BRACKETS.search(text, max(0, match.start() - 24),
                                                                         match.start()) or QUANTITY_BEFORE.search(
                    text, max(0, match.start() - 12), match.start()) or FOR_A_TOTAL.search(
                    text, max(0, match.start() - 8), match.start()) or _closes_a_block(
                    text, match.start(), patterns) or _names_its_code(text, match.end(), patterns):
                continue
            window_end = min(len(text), match.end() + 25)
            following = next(iter(indexed.starting_in(match.end(), window_end)), None)
            between = QUALIFIER.sub("", text[match.end():following.start]) if following else ""
            if following and rule == "total_session" and _names_its_work(text, match.end(), following, patterns):
                continue  # "Pt seen for dysphagia tx x 30 min: ...": the time of the work it names
            if following and not any(c in between for c in ".;\n()"):
                totals.append(TotalTime(match.start(), following.end, following.value, kind, rule != "total_session"))
                continue
            names_minutes = any(w in match.group(0).lower() for w in ("ttt", "ttm", "time", "min", " tx", "treatment"))
            bare = _bare_number(text, match.end(), window_end)
            if bare is not None and not names_minutes and (
                    rule == "total_session" or not CELL_END.match(text, bare[1])):
                bare = None  # "total 3 sets" and "visit 5" are no time; "| Tot 45 |" in a flowsheet is
            if bare is not None:
                totals.append(TotalTime(match.start(), bare[1], bare[0], kind))
    for match in rules["total_trailing"].finditer(text):
        if _heads_bracket(text, match.start(), patterns):
            continue  # "Ther ex (15 min total): pulleys x 5 min, ...": the heading's time, not the session's
        if not totals.cover(match.start(1)):
            totals.append(TotalTime(match.start(1), match.end(), int(match.group(1)), "treatment"))
    note_start = len(text) - len(text.lstrip())  # once: slicing the text before each item is quadratic on long notes
    for item in minutes:
        if _states_the_visits_length(text, item, note_start, patterns) and not totals.cover(item.start):
            totals.append(TotalTime(item.start, item.end, item.value, "treatment"))
    all_minutes = sum(item.value for item in minutes)
    for item in minutes:  # "Thirty-seven minutes total.", "Approx 35 min total": a sentence of its own
        after = TOTAL_AFTER.match(text, item.end)
        if after and _opens_a_sentence(text, item.start) and not totals.cover(
                item.start) and not _heads_bracket(text, item.start, patterns):
            totals.append(TotalTime(item.start, after.end(), item.value, "treatment"))
        elif len(minutes) >= 3 and item.value * 2 == all_minutes and _closes_a_line(text, item) and not totals.cover(
                item.start):
            # "... Sh flex AROM R 105°. 45 min." closing the note's last line: minutes that add up the note's other
            # times (two or more) are the session's length, not the time of the sentence before them
            totals.append(TotalTime(item.start, item.end, item.value, "treatment", explicit=False))
    for match in rules["total_timed_trailing"].finditer(text):  # "Total time 40 min, 30 min timed", "(47 timed)"
        if not totals.cover(match.start(1)):
            totals.append(TotalTime(match.start(1), match.end(), int(match.group(1)), "timed"))
    for match in rules["total_alone"].finditer(text):  # "... | 47 min | mom present": the session's length
        line_start = text.rfind("\n", 0, match.start()) + 1
        first_cell = next((cell for cell in text[line_start:match.start()].split("|") if cell.strip()), "")
        if _names_work(first_cell, patterns):
            continue  # "NMR | 16 min | coin translation ...", "| 97530 | transfers | 10 min |": a row's own minutes
        if not totals.cover(match.start(1)):
            totals.append(TotalTime(match.start(1), match.end(), int(match.group(1)), "treatment", explicit=False))
    return totals.found


# "(10 min rest break for toileting not counted)", ". Pt rested 6 min seated after gait (not billed)."
REST_NOT_COUNTED = re.compile(r"(?=[^\n]*\b(?:rest|rested|break)\b)"
                              r"(?=[^\n]*\b(?:not (?:counted|billed|included)|excluded)\b)"
                              r"[^\n]*?(?<![\d:])~?[ \t]*(\d{1,2})[ \t]*min", re.IGNORECASE)


def _rest_not_counted(text: str, at: int) -> int:
    """The rest the rest of the line says the visit's clock time holds and the session does not count."""
    rest = REST_NOT_COUNTED.match(text, at)
    return int(rest.group(1)) if rest else 0


TOTAL_AFTER = re.compile(r"[ \t]+(?:total|tot|in all)\b\.?", re.IGNORECASE)  # "36 minutes in all."
OPENS_SENTENCE = re.compile(r"(?:\n|[.;|:=/][ \t])[ \t]*(?:(?:approx(?:imately)?|about|around|ca)\.?[ \t]*|~[ \t]*)?$",
                            re.IGNORECASE)


LINE_ENDS = re.compile(r"\.?[ \t]*(?:\n|$)")


def _opens_a_sentence(text: str, at: int) -> bool:
    return OPENS_SENTENCE.search("\n" + text[max(0, at - 20):at]) is not None


def _closes_a_line(text: str, item: Minutes) -> bool:
    """A sentence of only these minutes, ending its line."""
    return LINE_ENDS.match(text, item.end) is not None and _opens_a_sentence(text, item.start)


def _heads_bracket(text: str, at: int, patterns: Patterns) -> bool:
    return at > 0 and text[at - 1] == "(" and _right_after_heading(text, at - 1, patterns)


def _names_its_code(text: str, trigger_end: int, patterns: Patterns) -> bool:
    """'Total TE<TAB>22': the subtotal of one code's rows, not the session's."""
    after = text[trigger_end:trigger_end + HEADING_REACH].lstrip(" \t")
    heading = patterns.code_heading.match(after)
    return heading is not None and SUBTOTAL_FIGURE.match(after, heading.end()) is not None


SUBTOTAL_FIGURE = re.compile(r"[ \t:=-]*\d")


def _closes_a_block(text: str, at: int, patterns: Patterns) -> bool:
    """'TE 97110 x3 units - NuStep 10 min, leg press 2x12, ..., total 33 min': the total of the block its line
    opens with a code heading or a CPT code, after a comma, not the session's; so is 'TherEx total 18'."""
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start:at]
    if patterns.code_named(line) is not None:
        return True  # "TherEx total<TAB>18": the subtotal of that code's rows
    if not line.rstrip().endswith(","):
        return False
    return bool(patterns.code_heading.match(line) or patterns.cpt_written.match(line.lstrip(" \t-*•")))


def _names_work(cell: str, patterns: Patterns) -> bool:
    return bool(patterns.code_heading.match(cell) or patterns.any_named_code.search(cell)
                or patterns.cpt_written.search(cell))


# "Total timed (skilled): 38 min", "Total ........ 38 min", "total incl. CP 52 min"
# "(ther ex total 18 min)": one code's subtotal, not the session's total
SUBTOTAL_IN_BRACKETS = re.compile(r"\(\s*[a-z][^()\n]{0,20}\s$", re.IGNORECASE)
FOR_A_TOTAL = re.compile(r"\bfor a\s+\Z", re.IGNORECASE)  # "arm ergometer ... and dowel ex for a total of 12 minutes"
QUANTITY_BEFORE = re.compile(r"\b(?:ft|feet|m|meters|yd|yards|reps|laps|steps|sets)[ \t]*\Z",
                             re.IGNORECASE)  # "600 ft total — 20 min": a distance, then the block's time
QUALIFIER = re.compile(r"\([a-z ]{1,20}\)|\.{3,}|\bincl(?:\.|uding)?\s+[a-z]{1,12}", re.IGNORECASE)
# "| Tot 45 |", "/ tot 30 /", "(total 38)"
CELL_END = re.compile(r"[ \t]*(?:\||\)?\.?[ \t]*$)|[ \t]+/[ \t]", re.MULTILINE)


def _bare_number(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A number right after a total trigger: 'TTT: 40', 'Total timed minutes = 38', 'Total treatment time was 33'."""
    i = start
    while i < end and text[i] in " \t:=-([.":  # "Total ........ 38": dot leaders too
        i += 1
    if text[i:i + 4].lower() in ("was ", "are ") or text[i:i + 3].lower() == "is ":
        i = text.index(" ", i) + 1
    j = i
    while j < end and text[j].isdigit():
        j += 1
    if i < j <= i + 3 and j < len(text) and text[j] in "mM" and not text[j + 1:j + 2].isalpha():
        j += 1  # "TTT 37m"
    elif j == i or j - i > 3 or (j < len(text) and (text[j].isalpha() and text[j:j + 3].lower() not in ("min",))):
        return None
    if j < len(text) and text[j] in ":." and text[j + 1:j + 2].isdigit():
        return None  # "Time in: 1:15 pm" is a clock time, not a number of minutes
    value = int(text[i:j].rstrip("mM"))
    if text[i - 1:i] == "[" and text[j:j + 1] == "]":
        j += 1  # "Total [30]"
    return (value, j) if 0 < value <= MAX_SESSION_MINUTES else None
