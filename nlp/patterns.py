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
from typing import Any

FLAGS = re.IGNORECASE


def default_patterns() -> dict[str, Any]:
    return json.loads(files("nlp").joinpath("data/patterns.json").read_text(encoding="utf-8"))


def _alternatives(rows: list[list[str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(label, re.compile(pattern, FLAGS)) for label, pattern in rows]


@dataclass(frozen=True)
class StatusTrigger:
    status: str
    direction: str
    pattern: re.Pattern[str]


class Patterns:
    def __init__(self, raw: dict[str, Any] | None = None) -> None:
        self.raw = raw if raw is not None else default_patterns()

    @property
    def version(self) -> str:
        return str(self.raw.get("version", "unversioned"))

    def to_disk(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "patterns.json").write_text(json.dumps(self.raw, indent=1, sort_keys=True), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: Path) -> Patterns:
        return cls(json.loads((path / "patterns.json").read_text(encoding="utf-8")))

    # -- layout --------------------------------------------------------------------------------------
    @cached_property
    def section_heading(self) -> re.Pattern[str]:
        """A section heading: a name and a colon (anywhere a sentence could start), or a name alone on a line.
        Single letters (S/O/A/P) must be upper case and followed by a colon."""
        long_names, letters = [], []
        for label, names in self.raw["sections"]:
            for name in names.split("|"):
                (letters if len(name) == 1 else long_names).append((label, name))
        groups = [f"(?P<{label}_{i}>{name})" for i, (label, name) in enumerate(long_names)]
        letter_groups = [f"(?P<{label}_L{i}>(?-i:{name.upper()}))" for i, (label, name) in enumerate(letters)]
        return re.compile(
            r"(?:(?<=^)|(?<=[\n.;]\s)|(?<=[\n.;])|(?<=\s\s)|(?<=--\s)|(?<=\|\s))\s*[-*•]?\s*"
            r"(?:(?:" + "|".join(groups) + r")(?:\s*\([^)\n]{0,20}\))?\s*(?::|\n|\s*$)|(?:" + "|".join(letter_groups)
            + r")\s*:)",
            re.IGNORECASE | re.MULTILINE,
        )

    @cached_property
    def code_heading(self) -> re.Pattern[str]:
        groups = "|".join(f"(?P<h{i}>{pattern})" for i, (_, pattern) in enumerate(self.raw["headings"]))
        # a heading is followed by a colon, a bracket, a dash, minutes or the end: "Balance was poor" is not one
        return re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)]|[a-z][.)])?\s*(?:" + groups + r")(?![\w/-])"
                          r"(?=\s*(?:[:(\[–—|-]|\d|x\s*\d|\bfor\b|$))", FLAGS)

    def heading_code(self, match: re.Match[str]) -> str:
        for i, (code, _) in enumerate(self.raw["headings"]):
            if match.group(f"h{i}"):
                return code
        raise ValueError("no heading group matched")

    @cached_property
    def mentions(self) -> list[tuple[str, re.Pattern[str]]]:
        return _alternatives(self.raw["mentions"])

    @cached_property
    def direct_codes(self) -> list[tuple[str, re.Pattern[str]]]:
        return _alternatives(self.raw["direct_codes"])

    @cached_property
    def any_named_code(self) -> re.Pattern[str]:
        """One search that tells whether any direct-code or mention pattern can match: most clauses name
        no code, and one combined search is much cheaper than thirty separate ones."""
        rows = [*self.raw["direct_codes"], *self.raw["mentions"]]
        return re.compile("|".join(f"(?:{pattern})" for _, pattern in rows), FLAGS)

    @cached_property
    def evaluation(self) -> dict[str, Any]:
        raw = self.raw["evaluations"]
        compiled = {key: re.compile(raw[key], FLAGS) for key in ("trigger", "reeval", "low", "moderate", "high")}
        return {**compiled, "codes": raw["codes"]}

    @cached_property
    def orthotic_later(self) -> re.Pattern[str]:
        return re.compile(self.raw["orthotic_later"], FLAGS)

    @cached_property
    def scale_ten(self) -> re.Pattern[str]:
        return re.compile(self.raw["scale_ten"], FLAGS)

    @cached_property
    def pain_context(self) -> re.Pattern[str]:
        return re.compile(self.raw["pain_context"], FLAGS)

    @cached_property
    def goal_statement(self) -> re.Pattern[str]:
        return re.compile(self.raw["goal_statement"], FLAGS)

    @cached_property
    def frequency(self) -> re.Pattern[str]:
        return re.compile(self.raw["frequency"], FLAGS)

    @cached_property
    def orthotic_initial(self) -> re.Pattern[str]:
        return re.compile(self.raw["orthotic_initial"], FLAGS)

    @cached_property
    def clause_breaks(self) -> re.Pattern[str]:
        return re.compile(self.raw["clause_breaks"])

    @cached_property
    def narrative_breaks(self) -> re.Pattern[str]:
        return re.compile(self.raw["narrative_breaks"], FLAGS)

    @cached_property
    def narrative_strong(self) -> re.Pattern[str]:
        return re.compile(self.raw["narrative_strong"], FLAGS)

    @cached_property
    def abbrev_period(self) -> re.Pattern[str]:
        return re.compile(self.raw["abbrev_period"], FLAGS)

    # -- status ---------------------------------------------------------------------------------------
    @cached_property
    def status_triggers(self) -> list[StatusTrigger]:
        return [StatusTrigger(status, direction, re.compile(pattern, FLAGS))
                for status, direction, pattern in self.raw["status"]]

    @cached_property
    def hep_in_session(self) -> re.Pattern[str]:
        return re.compile(self.raw["hep_in_session"], FLAGS)

    @cached_property
    def mention_only(self) -> re.Pattern[str]:
        return re.compile(self.raw["mention_only"], FLAGS)

    # -- findings -------------------------------------------------------------------------------------
    @cached_property
    def providers(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(label, re.compile(pattern)) for label, pattern in self.raw["providers_cs"]]

    @cached_property
    def cotreat(self) -> re.Pattern[str]:
        return re.compile(self.raw["cotreat"], FLAGS)

    @cached_property
    def group_size(self) -> re.Pattern[str]:
        return re.compile(self.raw["group_size"], FLAGS)

    @cached_property
    def parameters(self) -> dict[str, re.Pattern[str]]:
        return {key: re.compile(pattern, FLAGS) for key, pattern in self.raw["parameters"].items()}

    @cached_property
    def measurements(self) -> list[tuple[str, re.Pattern[str]]]:
        return _alternatives(self.raw["measurements"])

    @cached_property
    def goals(self) -> re.Pattern[str]:
        return re.compile(self.raw["goals"], FLAGS)

    @cached_property
    def functional_activity(self) -> re.Pattern[str]:
        return re.compile(self.raw["functional_activity"], FLAGS)

    @cached_property
    def icd10(self) -> re.Pattern[str]:
        return re.compile(self.raw["icd10"])

    @cached_property
    def cpt_written(self) -> re.Pattern[str]:
        return re.compile(self.raw["cpt_written"])

    @cached_property
    def units_written(self) -> re.Pattern[str]:
        return re.compile(self.raw["units_written"], FLAGS)

    @cached_property
    def body_sites(self) -> re.Pattern[str]:
        return re.compile(self.raw["body_sites"], FLAGS)

    @cached_property
    def laterality(self) -> re.Pattern[str]:
        return re.compile(self.raw["laterality"], FLAGS)

    # -- time -----------------------------------------------------------------------------------------
    @cached_property
    def minutes(self) -> dict[str, Any]:
        raw = self.raw["minutes"]
        words = raw["number_words"]
        tens = "|".join(w for w, v in words.items() if v >= 20)
        ones = "|".join(w for w, v in words.items() if v < 10)
        teens = "|".join(w for w, v in words.items() if v < 20)
        word_number = rf"(?:(?:{tens})(?:[- ](?:{ones}))?|{teens})"
        unit = r"(?:min(?:ute)?s?|mins?)\b\.?"
        not_before = r"(?<![\d.:/#-])(?<!q)(?<!q )(?<!every )"  # "q15 min" is a frequency, not a duration
        not_after = raw["not_minutes_after"]
        return {
            "words": words,
            "numeric": re.compile(
                rf"{not_before}(\d{{1,3}})(?:\s*(?:-|to)\s*(\d{{1,3}}))?\s*-?\s*{unit}(?!{not_after})", FLAGS),
            "apostrophe": re.compile(r"(?<![\d.:/#-])(\d{1,3})\s*'(?![\w'])", FLAGS),
            "word": re.compile(rf"\b({word_number})\s*-?\s*{unit}(?!{not_after})", FLAGS),
            "clock": re.compile(raw["clock_range"]),
            "feet_context": re.compile(raw["feet_context"], FLAGS),
            "total_treatment": re.compile(raw["total_treatment"], FLAGS),
            "total_session": re.compile(raw["total_session"], FLAGS),
            "total_timed": re.compile(raw["total_timed"], FLAGS),
            "total_untimed": re.compile(raw["total_untimed"], FLAGS),
            "total_trailing": re.compile(raw["total_trailing"], FLAGS),
            "total_alone": re.compile(raw["total_alone"], FLAGS | re.MULTILINE),
        }
