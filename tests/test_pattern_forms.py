"""Patterns built in code in a faster form must find exactly what their plain form finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.evaluation import load_split, notes_path
from nlp.patterns import BULLET_MARKS, Patterns


def _plain_section_heading(raw: dict) -> re.Pattern[str]:
    """The section heading pattern as first written: every name tried after every split of the lead."""
    long_names, letters = [], []
    for label, names in raw["sections"]:
        for name in names.split("|"):
            (letters if len(name) == 1 else long_names).append((label, name))
    groups = [f"(?P<{label}_{i}>{name})" for i, (label, name) in enumerate(long_names)]
    letter_groups = [f"(?P<{label}_L{i}>(?-i:{name.upper()}))" for i, (label, name) in enumerate(letters)]
    return re.compile(
        r"(?:(?<=^)|(?<=[\n.;]\s)|(?<=[\n.;])|(?<=\s\s)|(?<=--\s)|(?<=\|\s))\s*" + BULLET_MARKS + r"?\s*"
        r"(?:(?:" + "|".join(groups) + r")(?:\s*\([^)\n]{0,20}\))?[ ]*(?::|\t|\s*\n|\s*$)"
        r"|(?:" + "|".join(letter_groups) + r")\s*:)",
        re.IGNORECASE | re.MULTILINE,
    )


PATTERNS = Patterns()
PLAIN = _plain_section_heading(PATTERNS.raw)


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


def test_section_heading_is_not_the_plain_form():
    assert PATTERNS.section_heading.pattern != PLAIN.pattern


def test_section_heading_finds_what_the_plain_form_finds_in_every_note():
    splits = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "test")
    texts = [row["text"] for split in splits if notes_path(split).exists() for row in load_split(notes_path(split))]
    assert texts
    for text in texts:
        assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text)


TRICKY = ["S: pain 3/10", "  \n\t •  Goals:\n", "pt. Plan (next wk):", "x--  ASSESSMENT", "a | tx:", "STG's:",
          "Subj: ok;  O: AROM", "s: lower", "ſubjective:", "\u212a", "Treatment provided\n", "cc\t", "dx  ", "\n\n"]


def test_section_heading_on_tricky_texts():
    for text in TRICKY:
        assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TRICKY + [" ", "\n", ".", ";", "-", "•", "|", "(tx)", "goals", "P", "plan", ":",
                                          "treatment", "tx", "\t", "a", "S", "history", "ſ"]), max_size=14))
def test_section_heading_on_generated_texts(pieces):
    text = "".join(pieces)
    assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text)
