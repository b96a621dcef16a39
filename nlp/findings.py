"""Findings read straight from the text: exercise parameters, objective measurements, diagnoses written
in the note, who furnished the care, functional goals, body site and laterality."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.patterns import MeasurementTable, Patterns
from nlp.spans import SortedSpans
from rules.diagnoses import is_code_or_category, normalize

MEASUREMENT_UNITS = {"rom": "deg", "mmt": "grade/5", "grip": "lb", "pinch": "lb", "pain": "/10", "edema": "cm"}
NUMBER = re.compile(r"(?<![\d.])-?\d+(?:\.\d+)?")  # "0-80" is an arc to 80, "-25" a negative value
# a scale's denominator ("4/5", "44/56", "6/10"), not the second number of "186/104"
DENOMINATOR = re.compile(r"/(?:10|56|5)(?![\d.])")
DYNAMOMETRY_UNIT = re.compile(r"(?:%|kg|lbs?|n)\s*$", re.IGNORECASE)
DOT_LEADER = re.compile(r"\.{3,}")
# a line wrapped mid-sentence (on a small letter or a comma) right before a measured value: "TUG completed in\n14.2 s"
WRAPPED_VALUE = re.compile(r"(?<=[a-z,])\n(?=\d{1,3}(?:\.\d+)?[ \t]*(?:%|/[ \t]*\d|°|-[ \t]*\d|(?:deg\w*|lbs?|kg|cm|"
                           r"mm|secs?|seconds|s|bpm|m/s|ft|feet)\b))")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")  # "2,310 mL"


@dataclass(frozen=True)
class Found:
    label: str
    start: int
    end: int


@dataclass
class Parameters:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    resistance: str | None = None
    level: int | None = None
    equipment: list[str] = field(default_factory=list)
    spans: list[Found] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"sets": self.sets, "reps": self.reps, "hold_seconds": self.hold_seconds,
                "resistance": self.resistance, "level": self.level, "equipment": self.equipment}

    @property
    def documented(self) -> bool:
        """Sets, reps, holds, resistance or an intensity level: what an auditor calls exercise parameters."""
        return any(v is not None for v in (self.sets, self.reps, self.hold_seconds, self.resistance, self.level))


@dataclass(frozen=True)
class ParameterFound:
    label: str  # sets_reps | sets | reps | hold | resistance | level | equipment
    start: int
    end: int
    value: tuple[int, ...] | str


def find_parameter_spans(text: str, patterns: Patterns) -> list[ParameterFound]:
    """Every sets/reps/hold/resistance/level/equipment mention in the note, found once for all blocks."""
    found = []
    for label, pattern in patterns.parameters.items():
        for match in pattern.finditer(text):
            numbers = tuple(int(g) for g in match.groups() if g)
            value: tuple[int, ...] | str = numbers if label in NUMERIC_PARAMETERS else match.group(0)
            found.append(ParameterFound(label, match.start(), match.end(), value))
    return found


NUMERIC_PARAMETERS = frozenset({"sets_reps", "sets", "reps", "hold", "level"})


def parameters_between(spans: SortedSpans[ParameterFound], start: int, end: int) -> Parameters:
    """The parameters written inside [start, end): the first value of each kind wins."""
    found = Parameters()
    inside = [p for p in spans.starting_in(start, end) if p.end <= end]
    for item in inside:
        value = item.value
        if item.label == "sets_reps" and isinstance(value, tuple):
            found.sets = found.sets or value[0]
            found.reps = found.reps or value[1]
        elif item.label in ("sets", "reps", "level") and isinstance(value, tuple) and value:
            if getattr(found, item.label) is None:
                setattr(found, item.label, value[0])
        elif item.label == "hold" and isinstance(value, tuple):
            found.hold_seconds = found.hold_seconds or value[0]
        elif item.label == "resistance":
            found.resistance = found.resistance or str(value)
        elif item.label == "equipment" and str(value).lower() not in found.equipment:
            found.equipment.append(str(value).lower())
        found.spans.append(Found(item.label, item.start, item.end))
    return found


@dataclass(frozen=True)
class MeasurementFound:
    kind: str
    start: int
    end: int
    value: float | None
    unit: str | None


# a second symptom word closer to the score than the one the span opens with
LATER_PAIN_WORD = re.compile(r"(?<=[,;] )(?:pain|nprs|vas|nrs)\b(?=[^,;]*\d\s*/\s*10\b)", re.IGNORECASE)
FIVE = re.compile(r"\b(?:over|out of) (?:five|5)$", re.IGNORECASE)  # "four minus over five"


def find_measurements(text: str, patterns: Patterns) -> list[MeasurementFound]:
    text = text.replace(":|", ": ")  # an EHR table pasted as "9HPT:|R 38 sec|L 41 sec" (same length, same offsets)
    if "..." in text:  # dotted leaders ("Pain (NPRS) ....... 2/10 rest"): spaces, same length, same offsets
        text = DOT_LEADER.sub(lambda run: " " * len(run.group()), text)
    text = WRAPPED_VALUE.sub(" ", text)  # "SpO2 was\n93%": a line wrapped before a value (same length, same offsets)
    candidates = []
    for kind, pattern in patterns.measurements:
        for match in pattern.finditer(text):
            span = text[match.start():match.end()]
            if kind == "mmt" and "/" not in span and not DYNAMOMETRY_UNIT.search(span) and not FIVE.search(span):
                continue  # a bare digit after "strength" is not a manual muscle test grade ("4 over 5" is)
            start = match.start()
            if kind == "pain" and (later := LATER_PAIN_WORD.search(span, 1)):
                start += later.start()  # "stiff in the mornings, pain 4/10": the score is the pain's
            candidates.append(MeasurementFound(kind, start, match.end(), _last_number(span),
                                               MEASUREMENT_UNITS.get(kind)))
    candidates += _scale_ratings(text, patterns, candidates)
    candidates += _table_values(text, patterns, candidates)
    kept = _without_overlaps(candidates)
    return _without_overlaps(kept + _continuations(text, patterns, kept))


def _last_number(span: str) -> float | None:
    """A measurement's value: its last number, once a pain or MMT denominator and thousands commas are gone."""
    numbers = NUMBER.findall(THOUSANDS.sub("", DENOMINATOR.sub("", span)))
    return float(numbers[-1]) if numbers else None


def _without_overlaps(found: list[MeasurementFound]) -> list[MeasurementFound]:
    """The longest of overlapping measurements, the first where they start together."""
    kept: list[MeasurementFound] = []
    for item in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def _continuations(text: str, patterns: Patterns, found: list[MeasurementFound]) -> list[MeasurementFound]:
    """'Grip R 28#, L 62#': the other side's value (or the next motion's) is a measurement of the same kind."""
    more = []
    for item in found:
        pattern = patterns.measurement_continuation.get(item.kind)
        end = item.end
        while pattern is not None and (match := pattern.match(text, end)):
            start = match.start("label")
            value = _last_number(text[match.start("value"):match.end()])  # "L 0-52" is an arc to 52
            more.append(MeasurementFound(item.kind, start, match.end(), value, item.unit))
            end = match.end()
        side_after = SIDE_AFTER.get(item.kind)  # 'Grip 9 lb R / 8 lb L': the side after each value
        while side_after is not None and (match := side_after.match(text, end)):
            more.append(MeasurementFound(item.kind, match.start("value"), match.end(), float(match.group("value")),
                                         item.unit))
            end = match.end()
    return more


def _side_after(unit: str) -> re.Pattern[str]:
    return re.compile(r"(?:[ \t]*(?:on[ \t]+the[ \t]+)?(?:[LR]|left|right)\b)?[ \t]*(?:[,;/]|\band\b|\bvs\b\.?|"
                      r"\bversus\b|\bagainst\b)[ \t]*(?:and[ \t]+)?(?P<value>\d{1,4}(?:\.\d+)?)[ \t]*" + unit +
                      r"[ \t]*(?:(?:on|with|for)[ \t]+the[ \t]+)?(?:[LR]|left|right)\b", re.IGNORECASE)


DYNAMOMETRY_SIDE_AFTER = _side_after(r"(?:#|lbs?\b|kg\b|pounds?\b)")
SIDE_AFTER = {"grip": DYNAMOMETRY_SIDE_AFTER, "pinch": DYNAMOMETRY_SIDE_AFTER,
              "edema": _side_after(r"(?:cm|ml|in)\b"), "standardized": _side_after(r"(?:s|secs?|seconds)\b")}


TABLE_CELL_BREAK = re.compile(r"[ \t]*(?:\t|\|| {2,})[ \t|]*")  # a tab, a pipe or a run of spaces
TABLE_LABEL_MAX = 40
SENTENCE_END = re.compile(r"\n|\.(?!\d)")
MMT_WORD = re.compile(r"\bmmt\b", re.IGNORECASE)


def _table_values(text: str, patterns: Patterns, found: list[MeasurementFound]) -> list[MeasurementFound]:
    """'Wrist ext | 32 | 48' under 'AROM R (deg) | 1/27 | 2/10 today': the current value of a flowsheet row; under
    side columns ('Circumferential (cm)  L  R', 'Pos 1   R 38   L 62') every value. And 'MMT L shoulder  flex G+'."""
    table = patterns.measurement_table
    if table is None:
        return []
    values = []
    lowered = text.lower()
    for mmt in MMT_WORD.finditer(text) if "mmt" in lowered else ():
        line_end = text.find("\n", mmt.end())
        for grade in table.letter_grade.finditer(text, mmt.end(), line_end if line_end >= 0 else len(text)):
            values.append(MeasurementFound("mmt", grade.start(), grade.end(), None, MEASUREMENT_UNITS["mmt"]))
    unit_given = "(lb" in lowered or "(kg)" in lowered or "(#)" in lowered  # before the search: most notes have none
    headings = list(table.unit_heading.finditer(text)) if unit_given else []
    for n, heading in enumerate(headings):  # "Pinch (lb): lateral R 14 L 20; tip R 7 L 12"
        unit_kind = heading.group("kind").lower()
        stop = SENTENCE_END.search(text, heading.end())
        end = min(stop.start() if stop else len(text), headings[n + 1].start() if n + 1 < len(headings) else len(text))
        for side in table.unit_value.finditer(text, heading.end(), end):
            number = float(NUMBER.findall(side.group(0))[-1])
            values.append(MeasurementFound(unit_kind, side.start(), side.end(), number, MEASUREMENT_UNITS[unit_kind]))
    for earlier in found:  # "HR 78 pre / 96 post lift", "NPRS 5 w/ jar opening, 2 at rest": the value after it
        after = (table.value_after.match(text, earlier.end) if earlier.kind == "vitals"
                 else table.pain_after.match(text, earlier.end) if earlier.kind == "pain" else None)
        if after:
            values.append(MeasurementFound(earlier.kind, after.start("value"), after.end(),
                                           float(NUMBER.findall(after.group("value"))[-1]), earlier.unit))
    if "\t" not in text and "|" not in text and "  " not in text:
        return values
    taken = SortedSpans(found)
    lines = []
    start = 0
    for line in text.split("\n"):
        maybe_row = "\t" in line or "|" in line or "  " in line.strip()  # most lines are prose: no cells at all
        lines.append((start, start + len(line), _table_cells(text, start, start + len(line), table) if maybe_row
                      else None))
        start += len(line) + 1
    kind: str | None = None
    history = False
    current: int | None = None  # the column headed "today"
    above: str | None = None  # the kind of the measured row right above
    for i, (line_start, line_end, cells) in enumerate(lines):
        if cells is None:
            above = None
            continue
        measured = all(kind_ != "text" for _, _, kind_ in cells) and any(kind_ == "value" for _, _, kind_ in cells)
        first = i == 0 or lines[i - 1][2] is None
        if not measured and (first or not any(c.isdigit() for c in text[line_start:line_end])):
            # a table's own header row ("Shoulder AROM (R)   Eval 12/9   Today", "ROM (goniometer)  L  R")
            header = text[line_start:line_end]
            kind, history = _table_header(header, table)
            above = None
            heads = [text[a:b] for a, b, _ in cells]
            current = next((n for n, head in enumerate(heads) if TODAY.search(head)), None)
            if current is not None and BLANK_LABEL.match(header):
                current += 1  # '          Goal   Prev   Today': the label column is blank, its first head a column
            continue
        if first:  # a table without a header row: the lines above name what it measures
            header = text[lines[i - 1][0]:lines[i - 1][1]] if i > 0 else ""
            if i > 1 and not any(c.isalpha() for c in header):  # a line of dates only: its title is above it
                header = text[lines[i - 2][0]:lines[i - 2][1]] + "\n" + header
            kind, history = _table_header(header, table)
            current = None
        if not measured:
            above = None
            continue
        in_row = taken.overlapping(line_start, line_end)
        # under an MMT header a row that names its own kind ('Grip (lb)  35  60') keeps it
        own = _table_header(text[line_start:cells[0][0]], table)[0] if kind == "mmt" and cells else None
        row_kind = (own or kind or (in_row[0].kind if in_row else None)
                    or _row_label_kind(text, line_start, cells, table, above))
        if row_kind is None or patterns.code_heading.match(text[line_start:line_end]):
            above = None
            continue  # "Ther Ex  25  2" right under the measures is work with its minutes and units
        above = row_kind
        if history:  # dated columns: only the current value is a measurement
            cells = cells[current:current + 1] if current is not None else cells[-1:]
        for cell_start, cell_end, cell_kind in cells:
            if cell_kind != "value":
                continue
            cell = text[cell_start:cell_end]
            numbers = NUMBER.findall(cell) if not cell.lower().startswith("to") else []
            value = float(numbers[-1]) if numbers else None
            values.append(MeasurementFound(row_kind, cell_start, cell_end, value, MEASUREMENT_UNITS.get(row_kind)))
    return values


BLANK_LABEL = re.compile(r"\t| {4,}")
TODAY = re.compile(r"\b(?:today|current|now|this visit)\b", re.IGNORECASE)
PAIN_LABEL = re.compile(r"\b(?:pain|nprs|nrs|vas)\b", re.IGNORECASE)
MOTION_LABEL = re.compile(r"\b(?:flex\w*|ext(?:ension)?|abd\w*|add\w*|er|ir|sup\w*|pron\w*|rd|ud|df|pf|inv\w*|ev\w*|"
                          r"(?:radial|ulnar) dev\w*)\b", re.IGNORECASE)


def _row_label_kind(text: str, line_start: int, cells: list[tuple[int, int, str]], table: MeasurementTable,
                    above: str | None) -> str | None:
    """Under a header that names no kind ('| Measure | R | L |'), the row's own label may ('Grip (Jamar II) | 52 lb'),
    and a motion right under a range-of-motion row is one too ('RD R  15  10' under 'Wrist ext AROM R  50  35')."""
    label = text[line_start:cells[0][0]] if cells else ""
    if PAIN_LABEL.search(label):
        return "pain"
    if above == "rom" and MOTION_LABEL.search(label):
        return "rom"
    return _table_header(label, table)[0]


def _table_header(header: str, table: MeasurementTable) -> tuple[str | None, bool]:
    """What a table's header names (a kind or none) and whether its columns are dated (only the last is current)."""
    kind = next((kind for kind, pattern in table.kinds if pattern.search(header)), None)
    return kind, table.history.search(header) is not None


def _table_cells(text: str, start: int, end: int, table: MeasurementTable) -> list[tuple[int, int, str]] | None:
    """A table row's cells after its label, each a value, a blank ('WNL', 'NT') or text; None if the line is no
    table row (fewer than two cells after a short label)."""
    if end - start < 6:
        return None
    cells = []
    position = start
    for gap in TABLE_CELL_BREAK.finditer(text, start, end):
        if gap.start() > position:
            cells.append((position, gap.start()))
        position = gap.end()
    if position < end:
        cells.append((position, end))
    if len(cells) < 3:
        return None
    label_start, label_end = cells[0]
    if label_end - label_start > TABLE_LABEL_MAX or not any(c.isalpha() for c in text[label_start:label_end]):
        return None
    return [(a, b, "value" if table.cell.fullmatch(text, a, b) else "absent" if table.absent.fullmatch(text, a, b)
             else "text") for a, b in cells[1:]]


# "S: better, 3/10.": a bare rating in the patient's own report is a pain score
SUBJECTIVE_LINE = re.compile(r"[ \t]*(?:S|Subj(?:ective)?)[ \t]*:[^\n]{0,40}$")


def _scale_ratings(text: str, patterns: Patterns, found: list[MeasurementFound]) -> list[MeasurementFound]:
    """'Pain 5/10 at rest, 2/10 post': every 0-10 rating in a sentence that speaks of pain is a pain score."""
    taken = SortedSpans(found)
    ratings = []
    for match in patterns.scale_ten.finditer(text):
        if taken.overlapping(match.start(), match.end()):
            continue
        sentence_start = max(text.rfind(".", 0, match.start()), text.rfind("\n", 0, match.start()), 0)
        line_start = text.rfind("\n", 0, match.start()) + 1
        if patterns.pain_context.search(text, sentence_start, match.start()) or SUBJECTIVE_LINE.match(
                text, line_start, match.start()):
            numbers = NUMBER.findall(match.group(0))
            value = float(numbers[0]) if numbers else _word_number(match.group(0).split()[0], patterns)
            ratings.append(MeasurementFound("pain", match.start(), match.end(), value, "/10"))
    return ratings


def _word_number(word: str, patterns: Patterns) -> float | None:
    """'five out of ten': a dictated rating."""
    value = patterns.minutes["words"].get(word.lower())
    return float(value) if value is not None else (0.0 if word.lower() == "zero" else None)


def find_diagnoses(text: str, patterns: Patterns) -> list[Found]:
    """ICD-10-CM codes written in the note, kept only if the official tables know them. A code without a
    dot must have four or more characters, so "L4" or "C56" in prose is not read as a diagnosis."""
    found = []
    for match in patterns.icd10.finditer(text):
        code = match.group(1)
        if "." not in code and len(code) < 4:
            continue
        if is_code_or_category(code):
            found.append(Found(normalize(code), match.start(), match.end()))
    return found


def find_providers(text: str, patterns: Patterns) -> list[Found]:
    return [Found(label, m.start(), m.end()) for label, pattern in patterns.providers for m in pattern.finditer(text)]


def rendering_provider(providers: list[Found], discipline: str) -> str | None:
    """An assistant named in the note furnished the care in whole or in part (CO/CQ); otherwise the
    therapist of the plan's discipline, if named."""
    labels = {p.label for p in providers}
    assistant = {"OT": "OTA", "PT": "PTA"}.get(discipline)
    if assistant and assistant in labels:
        return assistant
    return discipline if discipline in labels else None


def has_functional_goal(text: str, patterns: Patterns) -> bool:
    return bool(patterns.goals.search(text) or patterns.functional_activity.search(text))


def body_site(text: str, patterns: Patterns) -> str | None:
    match = patterns.body_sites.search(text)
    return match.group(1).lower() if match else None


LATERALITY = {"r": "right", "rue": "right", "rle": "right", "l": "left", "lue": "left", "lle": "left",
              "b": "bilateral", "bilat": "bilateral", "b/l": "bilateral", "bue": "bilateral", "ble": "bilateral"}


def laterality(text: str, patterns: Patterns) -> str | None:
    match = patterns.laterality.search(text)
    if not match:
        return None
    word = match.group(1).lower()
    return LATERALITY.get(word, word)
