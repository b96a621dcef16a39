"""Patterns built in code in a faster form must find exactly what their plain form finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.evaluation import load_split, notes_path
from nlp.patterns import BULLET_MARKS, HEADING_ASIDE, RULE_MARKS, Patterns


def _plain_section_heading(raw: dict) -> re.Pattern[str]:
    """The section heading pattern as first written: every name tried after every split of the lead."""
    long_names, letters = [], []
    for label, names in raw["sections"]:
        for name in names.split("|"):
            (letters if len(name) == 1 else long_names).append((label, name))
    groups = [f"(?P<{label}_{i}>{name})" for i, (label, name) in enumerate(long_names)]
    letter_groups = [f"(?P<{label}_L{i}>(?-i:{name.upper()}))" for i, (label, name) in enumerate(letters)]
    return re.compile(
        r"(?:(?<=^)|(?<=[\n.;]\s)|(?<=[\n.;])|(?<=\s\s)|(?<=--\s)|(?<=\|\s))\s*(?:" + RULE_MARKS + "|" + BULLET_MARKS
        + r")?\s*(?:(?:" + "|".join(groups) + r")" + HEADING_ASIDE + r"[ ]*(?::|\t|(?:[ ]*" + RULE_MARKS
        + r")?\s*\n|\s*$)"
        r"|(?:" + "|".join(letter_groups) + r")" + HEADING_ASIDE + r"\s*:)",
        re.IGNORECASE | re.MULTILINE,
    )


def _plain_code_summary(patterns: Patterns) -> re.Pattern[str]:
    """A run of summary items as first written: each heading's names in its own group."""
    item = re.sub(r"\(\?P<\w+>", "(?:", patterns.summary_item.pattern)
    return re.compile(rf"(?<![\w/]){item}(?:[ \t]*[/,;|][ \t]*{item}){{1,}}", re.IGNORECASE)


PATTERNS = Patterns()
PLAIN = _plain_section_heading(PATTERNS.raw)
PLAIN_SUMMARY = _plain_code_summary(PATTERNS)


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]


def test_section_heading_is_not_the_plain_form():
    assert PATTERNS.section_heading.pattern != PLAIN.pattern


SPLITS = ("dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10", "dev11", "dev12", "dev13",
          "dev14", "dev15", "test")
NOTES = [row["text"] for split in SPLITS if notes_path(split).exists() for row in load_split(notes_path(split))]


def test_section_heading_finds_what_the_plain_form_finds_in_every_note():
    assert NOTES
    for text in NOTES:
        assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text)


def test_code_summary_is_not_the_plain_form_and_finds_what_it_finds():
    assert PATTERNS.code_summary.pattern != PLAIN_SUMMARY.pattern
    texts = NOTES + ["TE 15 / MT 10 / NMR 6.", "ther ex 12, ther act 8; gait 10", "xTE 15/MT 10",
                     "TA 8 | ta 9 | T.A. 7", "self care/home mgmt 15, SC/HM 12", "Balance training 10; balance 5",
                     "W/C mgmt 8 / gait 9"]
    for text in texts:
        assert _found(PATTERNS.code_summary, text) == _found(PLAIN_SUMMARY, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["TE", "ther ex", "ta", "T.A.", "NMR", "gait", "balance training", "balance", "sc",
                                 "self care", " ", "/", ", ", "; ", "|", "12", "8", "90", ":", "x", "\n", "t"]),
                max_size=12))
def test_code_summary_on_generated_texts(pieces):
    text = "".join(pieces)
    assert _found(PATTERNS.code_summary, text) == _found(PLAIN_SUMMARY, text)


TRICKY = ["S: pain 3/10", "  \n\t •  Goals:\n", "pt. Plan (next wk):", "x--  ASSESSMENT", "a | tx:", "STG's:",
          "Subj: ok;  O: AROM", "s: lower", "ſubjective:", "\u212a", "Treatment provided\n", "cc\t", "dx  ", "\n\n",
          # where the look-behinds allow a start (nlp.heading_starts): runs of spaces, '--', '|', odd spaces
          "pt. \n  Plan:", "--  Goals:", "- Goals:", "a|  tx:", "x\u2028Plan:", ";\u00a0\u00a0Assessment:", ".\tO:"]


def test_section_heading_on_tricky_texts():
    for text in TRICKY:
        assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text), text


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TRICKY + [" ", "\n", ".", ";", "-", "•", "|", "(tx)", "goals", "P", "plan", ":",
                                          "treatment", "tx", "\t", "a", "S", "history", "ſ"]), max_size=14))
def test_section_heading_on_generated_texts(pieces):
    text = "".join(pieces)
    assert _found(PATTERNS.section_heading, text) == _found(PLAIN, text)


def _plain_minutes_in_words(patterns: Patterns) -> re.Pattern[str]:
    raw = patterns.raw["minutes"]
    words = raw["number_words"]
    tens = "|".join(w for w, v in words.items() if v >= 20)
    ones = "|".join(w for w, v in words.items() if v < 10)
    teens = "|".join(w for w, v in words.items() if v < 20)
    word_number = rf"(?:(?:{tens})(?:[- ](?:{ones}))?|{teens})"
    unit = r"(?:min(?:ute)?s?|mins?)\b\.?"
    return re.compile(rf"\b({word_number})\s*-?\s*{unit}(?!{raw['not_minutes_after']})", re.IGNORECASE)


PLAIN_WORDS = _plain_minutes_in_words(PATTERNS)


def _groups(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(1)) for m in pattern.finditer(text)]


def test_minutes_in_words_find_what_the_plain_form_finds():
    assert PATTERNS.minutes["word"].pattern != PLAIN_WORDS.pattern
    texts = NOTES + ["twenty-five minutes", "sixteen min", "six minutes", "Seventy five mins", "ninety-nine min a",
                     "fifteen-minute", "twentyone min", "eleven mins of rest"]
    for text in texts:
        assert _groups(PATTERNS.minutes["word"], text) == _groups(PLAIN_WORDS, text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["twenty", "six", "sixteen", "sixty", "-", " ", "five", "min", "minutes", "a", "teen",
                                 "ty", "s", "eight", "eighteen", "one", "ſix", "\n", "x"]), max_size=10))
def test_minutes_in_words_on_generated_texts(pieces):
    text = "".join(pieces)
    assert _groups(PATTERNS.minutes["word"], text) == _groups(PLAIN_WORDS, text)
