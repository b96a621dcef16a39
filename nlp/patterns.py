"""The pipeline's patterns: a data file (`nlp/data/patterns.json`) compiled once per pipeline.

Components hold a `Patterns` object and save its raw data with the pipeline (to_disk/from_disk), so a
saved pipeline reads notes exactly as it did when it was saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

from nlp.heading_starts import LOOK_BEHIND, HeadingPattern
from nlp.regex_gate import compile_gated, split_alternatives
from nlp.text_pattern import TextPattern

try:  # the parser behind re.compile, as nlp.regex_gate reads it
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    sre_constants = sre_parse = None

FLAGS = re.IGNORECASE
BULLET_MARKS = "[-*•◦▪▫▸‣○■►➢☑☒✓✔]"  # a character that opens a list item or a heading (a ticked box too)
RULE_MARKS = r"[=#*~_-]{2,}"  # a heading set off by rules: "=== Charges ===", "--- Plan ---"
# a time-stamped log line's clock range or stamp before its heading: "09:14-09:26 Gait: ...", "0831 Gait: ..."
LOG_TIME = r"(?:\d{1,2}:?\d{2}(?:\s*[-–]\s*\d{1,2}:?\d{2})?\s+)?"
HEADING_ASIDE = r"(?:\s*\([^)\n]{0,40}\))?"  # "Plan (carried fwd from 4/10 note):", "P (carried forward from 8/12):"
CPT_BEFORE_NAME = r"(?:(?:97\d{3}|92\d{3}|G0\d{3})[ \t]*[-–:]?[ \t]+)?"  # "97110 ther ex: UBE 6', ..."
SUMMARY_MIN_ITEMS = 2  # one "balance 4" is a score or a grade; a run of code-and-number pairs is a summary


def default_patterns() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(files("nlp").joinpath("data/patterns.json").read_text(encoding="utf-8"))
    return raw


def _alternatives(rows: list[list[str]]) -> list[tuple[str, TextPattern]]:
    return [(label, compile_gated(pattern, FLAGS)) for label, pattern in rows]


def _pattern(key: str, flags: int = FLAGS) -> cached_property[TextPattern]:
    """A property compiling the pattern stored under `key`, once per Patterns object."""

    def compile_pattern(self: Patterns) -> TextPattern:
        return compile_gated(self.raw[key], flags)

    return cached_property(compile_pattern)


def opens_with_letter(pattern: str) -> bool:
    """Does every match of `pattern` start with one fixed ASCII letter (not optional, not a class)?"""
    if sre_parse is None:  # pragma: no cover - Python < 3.11: the plain forms are used
        return False
    try:
        first = sre_parse.parse(pattern, FLAGS)[0]
    except (re.error, IndexError):
        return False
    return first[0] is sre_constants.LITERAL and chr(first[1]).isascii() and chr(first[1]).isalpha()


def _by_first_letter(alternatives: list[str], names: list[str]) -> list[str]:
    """Alternatives grouped under a look-ahead for their name's first letter, in their order within a letter.
    Two names that open with different letters never both match at one place, so only the order of those
    sharing a letter matters, and `re` skips a whole letter's group after one look at the next character.
    Every name must open with a letter (`opens_with_letter`)."""
    by_letter: dict[str, list[str]] = {}
    for alternative, name in zip(alternatives, names, strict=True):
        by_letter.setdefault(name[0].lower(), []).append(alternative)
    return [f"(?={letter})(?:{'|'.join(group)})" for letter, group in by_letter.items()]


def _word_number(words: dict[str, int]) -> str:
    """'twenty', 'twenty-five', 'fifteen', 'six': tens with an optional one, else a number under twenty. Where
    every word opens with a letter, each letter's words are tried under a look-ahead for it, in their order
    (tens before the rest), so a word is not compared with all twenty-seven."""
    tens = [w for w, v in words.items() if v >= 20]
    ones = "|".join(w for w, v in words.items() if v < 10)
    teens = [w for w, v in words.items() if v < 20]
    if not all(map(opens_with_letter, [*tens, *teens])):
        return rf"(?:(?:{'|'.join(tens)})(?:[- ](?:{ones}))?|{'|'.join(teens)})"
    letters = dict.fromkeys(w[0].lower() for w in [*tens, *teens])
    groups = []
    for letter in letters:
        parts = []
        if tens_here := [w for w in tens if w[0].lower() == letter]:
            parts.append(rf"(?:{'|'.join(tens_here)})(?:[- ](?:{ones}))?")
        parts += [w for w in teens if w[0].lower() == letter]
        groups.append(f"(?={letter})(?:{'|'.join(parts)})")
    return f"(?:{'|'.join(groups)})"


def _summary_item(names: str) -> str:
    return rf"(?:{names})\s*[:=]?\s*(?P<minutes>\d{{1,3}})\b(?![\w'%#°/-]|\.\d)"


@dataclass(frozen=True)
class MeasurementTable:
    """The patterns that read measurement tables and labelled value runs (key "measurement_table")."""

    cell: re.Pattern[str]
    absent: re.Pattern[str]
    history: re.Pattern[str]
    kinds: tuple[tuple[str, re.Pattern[str]], ...]
    letter_grade: re.Pattern[str]
    unit_heading: TextPattern
    unit_value: re.Pattern[str]
    value_after: re.Pattern[str]
    pain_after: re.Pattern[str]


# The statuses the reader gives a block: the contract's five, and "historical" (done before this visit), which
# the output leaves out.
ReadStatus = Literal["performed", "declined", "held", "historical", "planned", "home_program"]


@dataclass(frozen=True)
class StatusTrigger:
    status: ReadStatus
    direction: str
    pattern: TextPattern


class Patterns:
    def __init__(self, raw: dict[str, Any] | None = None) -> None:
        self.raw = raw if raw is not None else default_patterns()

    @property
    def version(self) -> str:
        return str(self.raw.get("version", "unversioned"))

    # -- single patterns, compiled on first use ------------------------------------------------------------
    orthotic_later = _pattern("orthotic_later")
    scale_ten = _pattern("scale_ten")
    pain_context = _pattern("pain_context")
    goal_statement = _pattern("goal_statement")
    frequency = _pattern("frequency")
    orthotic_initial = _pattern("orthotic_initial")
    clause_breaks = _pattern("clause_breaks", 0)
    narrative_breaks = _pattern("narrative_breaks")
    narrative_strong = _pattern("narrative_strong")
    narrative_lead = _pattern("narrative_lead")
    abbrev_period = _pattern("abbrev_period")
    signature = _pattern("signature_cs", 0)
    hep_in_session = _pattern("hep_in_session")
    mention_only = _pattern("mention_only")
    not_billed = _pattern("not_billed")
    billing_clause = _pattern("billing_clause")
    gait_observation = _pattern("gait_observation")
    gait_training_words = _pattern("gait_training_words")
    patient_report = _pattern("patient_report")
    cotreat = _pattern("cotreat")
    goals = _pattern("goals")
    functional_activity = _pattern("functional_activity")
    icd10 = _pattern("icd10", 0)
    cpt_written = _pattern("cpt_written", 0)
    units_written = _pattern("units_written")
    body_sites = _pattern("body_sites")
    laterality = _pattern("laterality")

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "patterns.json").write_text(json.dumps(self.raw, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path) -> Patterns:
        return cls(json.loads((path / "patterns.json").read_text(encoding="utf-8")))

    # -- layout --------------------------------------------------------------------------------------
    @cached_property
    def section_heading(self) -> HeadingPattern:
        """A section heading: a name and a colon (anywhere a sentence could start), or a name alone on a line.
        Single letters (S/O/A/P) must be upper case and followed by a colon."""
        long_names: list[tuple[str, str]] = []
        letters: list[tuple[str, str]] = []
        for label, names in self.raw["sections"]:
            for name in names.split("|"):
                (letters if len(name) == 1 else long_names).append((label, name))
        groups = [f"(?P<{label}_{i}>{name})" for i, (label, name) in enumerate(long_names)]
        letter_groups = [f"(?P<{label}_L{i}>(?-i:{name.upper()}))" for i, (label, name) in enumerate(letters)]
        lead = r"\s*(?:" + RULE_MARKS + "|" + BULLET_MARKS + r")?\s*"
        if all(opens_with_letter(name) for _, name in long_names + letters):
            # Every name opens with a letter, so the lead's spaces and bullet can be taken once and never given
            # back (giving back only ends it on a space or a bullet, where no name starts), and names are tried
            # only under their own first letter: the same matches, without trying ninety names at every way of
            # splitting the spaces before a line. `tests/test_patterns.py` compares it with the plain form.
            lead = f"(?>{lead})"
            groups = _by_first_letter(groups, [name for _, name in long_names])
        return HeadingPattern(re.compile(
            LOOK_BEHIND + lead +
            r"(?:(?:" + "|".join(groups) + r")" + HEADING_ASIDE + r"[ ]*"
            r"(?::|\t|(?:[ ]*" + RULE_MARKS + r")?\s*\n|\s*$)"
            r"|(?:" + "|".join(letter_groups) + r")" + HEADING_ASIDE + r"\s*:)",
            re.IGNORECASE | re.MULTILINE,
        ))

    @cached_property
    def _heading_names(self) -> str:
        """Every heading name, each in a group h<i> that `heading_code` turns back into its code."""
        return "|".join(f"(?P<h{i}>{pattern})" for i, (_, pattern) in enumerate(self.raw["headings"]))

    @cached_property
    def code_heading(self) -> re.Pattern[str]:
        # a heading is followed by a colon, a bracket, a dash, dotted leaders, minutes or the end: "Balance was
        # poor" is not one; a second name after a slash belongs to it ("Gait/run training 8", "TE/HEP:"), and so
        # does a first one
        # before it ("PROM/manual:")
        return re.compile(r"^\s*(?:" + BULLET_MARKS + r"+|\d{1,2}[.)]|[a-z][.)])?\s*" + LOG_TIME
                          + CPT_BEFORE_NAME + r"(?:[a-z]{2,12}/)?(?:" + self._heading_names + r")"
                          r"(?:/[a-z][a-z ]{0,24}?)?(?![\w/-])"
                          r"(?=\s*(?:[:(\[–—|-]|\d|x\s*\d|\bfor\b|w/\s|\.{3,}|$))", FLAGS)

    @cached_property
    def heading_units(self) -> re.Pattern[str]:
        """Units written right after a heading, in place of its minutes: 'TE x2u', 'SC 1 unit'."""
        return re.compile(r"\s*x?\s*(\d)\s*(?:u|units?)\b", FLAGS)

    @cached_property
    def summary_item(self) -> re.Pattern[str]:
        """A heading name and a bare number of minutes: 'TE 15'."""
        return re.compile(_summary_item(self._heading_names), FLAGS)

    @cached_property
    def code_summary(self) -> re.Pattern[str]:
        """A run of summary items: 'TE 15 / MT 10 / NMR 6'. Its names need no groups, so where each alternative
        of each heading opens with a letter they are tried under their first letter (as section headings are):
        the same runs, without trying sixty names at the start of every word."""
        names = [name for _, pattern in self.raw["headings"] for name in split_alternatives(pattern)]
        flat = "|".join(_by_first_letter(names, names)) if all(map(opens_with_letter, names)) else self._heading_names
        item = re.sub(r"\(\?P<\w+>", "(?:", _summary_item(flat))  # repeated: no named group twice
        return re.compile(rf"(?<![\w/]){item}(?:[ \t]*[/,;|][ \t]*{item}){{{SUMMARY_MIN_ITEMS - 1},}}", FLAGS)

    @cached_property
    def code_equals(self) -> re.Pattern[str]:
        """Items closed by their code and its minutes: 'pulleys 2x10, wand ER 2x10 = TE 16 |'."""
        return re.compile(r"=\s*" + _summary_item(self._heading_names) + r"(?=[ \t]*(?:[|;.\n]|$))", FLAGS)

    @cached_property
    def closing_code(self) -> re.Pattern[str]:
        """A block closed by its code's name and time: '... 3 laps - gait 12 min', '... = TE 16'."""
        return re.compile(r"(?:[=–—]|\s-)\s*(?:" + self._heading_names + r")\s*[:=]?\s*\d{1,3}\s*(?:min\w*|')?"
                          r"[\s.;|]*$", FLAGS)

    def heading_code(self, match: re.Match[str]) -> str:
        for i, (code, _) in enumerate(self.raw["headings"]):
            if match.group(f"h{i}"):
                return str(code)
        raise ValueError("no heading group matched")

    def code_named(self, name: str) -> str | None:
        """The code a text names when it is a code heading and nothing more ('TherEx', 'TE'), else None."""
        name = name.strip()
        heading = self.code_heading.match(name + " 1") if name else None  # a heading needs a number after it
        return self.heading_code(heading) if heading is not None and heading.end() >= len(name) else None

    @cached_property
    def mentions(self) -> list[tuple[str, TextPattern]]:
        return _alternatives(self.raw["mentions"])

    @cached_property
    def unbilled_codes(self) -> list[tuple[str, TextPattern]]:
        return _alternatives(self.raw.get("unbilled_codes", []))

    @cached_property
    def direct_codes(self) -> list[tuple[str, TextPattern]]:
        return _alternatives(self.raw["direct_codes"])

    @cached_property
    def any_named_code(self) -> TextPattern:
        """One search that tells whether any direct-code or mention pattern can match: most clauses name
        no code, and one combined search is much cheaper than thirty separate ones."""
        rows = [*self.raw["direct_codes"], *self.raw["mentions"]]
        return compile_gated("|".join(pattern for _, pattern in rows), FLAGS)

    @cached_property
    def evaluation(self) -> dict[str, Any]:
        raw = self.raw["evaluations"]
        compiled = {key: compile_gated(raw[key], FLAGS) for key in ("trigger", "reeval", "low", "moderate", "high")}
        return {**compiled, "codes": raw["codes"]}

    # -- status ---------------------------------------------------------------------------------------
    @cached_property
    def status_triggers(self) -> list[StatusTrigger]:
        return [StatusTrigger(status, direction, compile_gated(pattern, FLAGS))
                for status, direction, pattern in self.raw["status"]]

    # -- findings -------------------------------------------------------------------------------------
    @cached_property
    def providers(self) -> list[tuple[str, TextPattern]]:
        return [(label, compile_gated(pattern)) for label, pattern in self.raw["providers_cs"]]

    @cached_property
    def parameters(self) -> dict[str, TextPattern]:
        return {key: compile_gated(pattern, FLAGS) for key, pattern in self.raw["parameters"].items()}

    @cached_property
    def measurements(self) -> list[tuple[str, TextPattern]]:
        return _alternatives(self.raw["measurements"])

    @cached_property
    def measurement_table(self) -> MeasurementTable | None:
        raw = self.raw.get("measurement_table")
        if not isinstance(raw, dict):
            return None

        def compiled(name: str) -> re.Pattern[str]:
            return re.compile(str(raw[name]), FLAGS)

        return MeasurementTable(
            compiled("cell"), compiled("absent"), compiled("history"),
            tuple((kind, re.compile(pattern, FLAGS)) for kind, pattern in raw["kinds"].items()),
            re.compile(str(raw["letter_grade"])),  # grade letters are capitals: "flex G+", "ER F"
            compile_gated(str(raw["unit_heading"]), FLAGS), compiled("unit_value"), compiled("value_after"),
            compiled("pain_after"))

    @cached_property
    def measurement_continuation(self) -> dict[str, re.Pattern[str]]:
        """Per kind: a further value of a measurement just found, matched at its end ('..., L 62#')."""
        raw = self.raw["measurement_continuation"]
        continuing = {}
        for kind, unit in raw["units"].items():
            label = f"(?:{raw['side']}|{raw['labels'][kind]})" if kind in raw["labels"] else raw["side"]
            continuing[kind] = re.compile(
                rf"{raw['separator']}(?P<label>{label})\.?\s*[:=]?\s*(?P<value>-?\d{{1,3}}(?:\.\d+)?){unit}", FLAGS)
        return continuing

    # -- time -----------------------------------------------------------------------------------------
    @cached_property
    def minutes(self) -> dict[str, Any]:
        raw = self.raw["minutes"]
        words = raw["number_words"]
        word_number = _word_number(words)
        unit = r"(?:min(?:ute)?s?|mins?)\b\.?"
        # "q15 min" is a frequency and "2x15 - 15 min" sets of reps then the time, not durations of 15
        # a dot only as a decimal point: "TherEx.......20'" is a dot leader
        not_before = r"(?<![\d:/#-])(?<!\d\.)(?<!\d[x×])(?<!q)(?<!q )(?<!every )"
        not_after = raw["not_minutes_after"]
        more = r"(?:\s+(?:more|additional|further|extra))?"  # "Resumed TE 6 more min"
        return {
            "words": words,
            "numeric": compile_gated(
                rf"{not_before}(\d{{1,3}})(?:\s*(?:-|to)\s*(\d{{1,3}}))?{more}\s*-?\s*{unit}(?!{not_after})", FLAGS),
            "apostrophe": compile_gated(r"(?<![\d:/#-])(?<!\d\.)(\d{1,3})\s*'(?![\w'])", FLAGS),
            "word": compile_gated(rf"\b({word_number}){more}\s*-?\s*{unit}(?!{not_after})", FLAGS),
            "clock": compile_gated(raw["clock_range"]),
            "feet_context": compile_gated(raw["feet_context"], FLAGS),
            "not_before": re.compile(raw["not_minutes_before"], FLAGS),
            "total_treatment": compile_gated(raw["total_treatment"], FLAGS),
            "total_session": compile_gated(raw["total_session"], FLAGS),
            "total_timed": compile_gated(raw["total_timed"], FLAGS),
            "total_untimed": compile_gated(raw["total_untimed"], FLAGS),
            "total_trailing": compile_gated(raw["total_trailing"], FLAGS),
            "total_timed_trailing": compile_gated(raw["total_timed_trailing"], FLAGS),
            "total_alone": compile_gated(raw["total_alone"], FLAGS | re.MULTILINE),
        }
