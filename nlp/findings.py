"""Findings read straight from the text: exercise parameters, objective measurements, diagnoses written
in the note, who furnished the care, functional goals, body site and laterality."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.patterns import Patterns
from nlp.spans import SortedSpans
from rules.diagnoses import is_code_or_category, normalize

MEASUREMENT_UNITS = {"rom": "deg", "mmt": "grade/5", "grip": "lb", "pinch": "lb", "pain": "/10", "edema": "cm"}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
DYNAMOMETRY_UNIT = re.compile(r"(?:%|kg|lbs?|n)\s*$", re.IGNORECASE)


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


def find_measurements(text: str, patterns: Patterns) -> list[MeasurementFound]:
    text = text.replace(":|", ": ")  # an EHR table pasted as "9HPT:|R 38 sec|L 41 sec" (same length, same offsets)
    candidates = []
    for kind, pattern in patterns.measurements:
        for match in pattern.finditer(text):
            span = text[match.start():match.end()]
            if kind == "mmt" and "/" not in span and not DYNAMOMETRY_UNIT.search(span):
                continue  # a bare digit after "strength" is not a manual muscle test grade
            numbers = NUMBER.findall(span.replace("/10", "").replace("/5", "").replace("/56", ""))
            value = float(numbers[-1]) if numbers else None
            candidates.append(MeasurementFound(kind, match.start(), match.end(), value, MEASUREMENT_UNITS.get(kind)))
    candidates += _scale_ratings(text, patterns, candidates)
    kept = _without_overlaps(candidates)
    return _without_overlaps(kept + _continuations(text, patterns, kept))


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
            more.append(MeasurementFound(item.kind, start, match.end(), float(match.group("value")), item.unit))
            end = match.end()
    return more


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
