"""The literal prefilter must never change what a pattern finds: same matches, same order, every pattern."""

from __future__ import annotations

import json
import re
import string
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import timewords
from nlp.evaluation import load_split, notes_path
from nlp.patterns import Patterns
from nlp.regex_gate import (
    MAX_CANDIDATES,
    GatedPattern,
    all_required_literals,
    compile_gated,
    distribute_leading_group,
    fold,
    leading_literal,
    required_literals,
    split_alternatives,
)

FLAGS = re.IGNORECASE


def _note_texts() -> list[str]:
    return [row["text"] for split in ("dev", "dev2", "dev3") for row in load_split(notes_path(split))]


def _every_pattern() -> list[tuple[str, str, int]]:
    """Every whole-text pattern of the pipeline's data, with the flags the pipeline compiles it with."""
    raw = json.loads(files("nlp").joinpath("data/patterns.json").read_text(encoding="utf-8"))
    patterns = Patterns(raw)
    rows = [(f"measurements:{k}", p, FLAGS) for k, p in raw["measurements"]]
    rows += [(f"parameters:{k}", p, FLAGS) for k, p in raw["parameters"].items()]
    rows += [(f"direct_codes:{k}", p, FLAGS) for k, p in raw["direct_codes"]]
    rows += [(f"mentions:{k}", p, FLAGS) for k, p in raw["mentions"]]
    rows += [(key, raw[key], FLAGS) for key in ("functional_activity", "goals", "hep_in_session", "mention_only",
                                                 "orthotic_initial", "orthotic_later", "pain_context", "body_sites")]
    rows.append(("any_named_code", patterns.any_named_code.pattern, FLAGS))
    # patterns built in code, with the flags they are compiled with (some case-sensitive, one multi-line)
    rows += [(f"minutes:{key}", patterns.minutes[key].pattern, patterns.minutes[key].flags)
             for key in ("numeric", "apostrophe", "word", "clock", "total_alone")]
    rows += [(f"providers:{label}", pattern.pattern, pattern.flags) for label, pattern in patterns.providers]
    rows += [(f"timewords:{name}", pattern.pattern, pattern.flags) for name, pattern in (
        ("ZERO_HOURS", timewords.ZERO_HOURS), ("BARE_M", timewords.BARE_M), ("TIME_IN_OUT", timewords.TIME_IN_OUT))]
    seen = {pattern for _, pattern, _ in rows}
    rows += [(name, pattern, FLAGS) for name, pattern in _every_string(raw, "") if pattern not in seen]
    return rows


def _every_string(data: object, path: str) -> list[tuple[str, str]]:
    """Every other string of the data file that compiles as a pattern (lexicon words are patterns too)."""
    if isinstance(data, dict):
        return [row for key, value in data.items() for row in _every_string(value, f"{path}/{key}")]
    if isinstance(data, list):
        return [row for i, value in enumerate(data) for row in _every_string(value, f"{path}/{i}")]
    if isinstance(data, str):
        try:
            re.compile(data, FLAGS)
        except re.error:
            return []
        return [(path, data)]
    return []


NOTES = _note_texts()
PATTERNS = _every_pattern()


@pytest.mark.parametrize(("name", "pattern", "flags"), PATTERNS, ids=[row[0] for row in PATTERNS])
def test_gated_pattern_finds_exactly_what_re_finds_in_every_note(name: str, pattern: str, flags: int) -> None:
    plain = re.compile(pattern, flags)
    variants = [GatedPattern(pattern, flags)]  # split into alternatives where it can be
    if leading_literal(pattern, flags) is not None or required_literals(pattern, flags) is not None:
        variants.append(GatedPattern(pattern, flags, split=False))  # as compile_gated keeps a short pattern
    for gated in variants:
        for text in NOTES:
            assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)], name
            for line_start in range(0, len(text), 97):  # searches inside a window, as clauses are searched
                window = (line_start, min(len(text), line_start + 140))
                expected, got = plain.search(text, *window), gated.search(text, *window)
                assert (got and got.span()) == (expected and expected.span()), name


def test_long_lists_are_split_into_gated_alternatives() -> None:
    rows = json.loads(files("nlp").joinpath("data/patterns.json").read_text(encoding="utf-8"))["measurements"]
    instruments = next(pattern for kind, pattern in rows if kind == "standardized")  # the list of named tests
    assert GatedPattern(instruments, FLAGS).branch_count > 50


def test_required_literals_are_read_off_the_pattern() -> None:
    assert required_literals(r"\bgrip(?: strength)?\b\d+") == {"grip"}
    assert required_literals(r"\d+\s*(?:°|deg(?:rees)?)") == {"°", "deg"}
    assert required_literals(r"\bw/c\b|\bwc\b|\bwheel chair\b") == {"w/c", "wc", "wheel chair"}  # prefix factored
    assert required_literals(r"(?:ab)?\d+") is None  # nothing certain
    assert required_literals(r"TE|TA", re.IGNORECASE) == {"te", "ta"}


def test_every_required_part_of_a_pattern_is_a_test_of_its_own() -> None:
    grip = r"\bgrip(?: strength)?\b(?:[^.;|\n]){0,30}?\d+\s*(?:#|lbs?\b|kg\b)"
    assert all_required_literals(grip, FLAGS) == (frozenset({"grip"}), frozenset({"#", "lb", "kg"}))
    # a class of a few characters is a requirement; a letter or a digit alone is in every text, so none
    assert all_required_literals(r"\d+\s*[:=/]\s*[0-5]", FLAGS) == (frozenset({":", "=", "/"}),)
    assert all_required_literals(r"(?:ab)?c*[^x]\d", FLAGS) == ()


def test_leading_literals_skip_zero_width_assertions_and_stop_at_anything_else() -> None:
    assert leading_literal(r"\bgrip(?: strength)?\b") == "grip"
    assert leading_literal(r"(?<![\w/])(?:Tot)\b\s*\d", re.IGNORECASE) == "tot"
    assert leading_literal(r"\b(?:berg|bbs)\b") is None  # two ways to start
    assert leading_literal(r"x\d") is None  # one character is not worth it
    assert leading_literal(r"(ab)c") == "abc"


def test_a_prefix_search_equals_re_when_the_prefix_recurs_often_and_folding_changes_length() -> None:
    pattern = r"\bgrip\b\s*(\d+)"
    texts = ["grips " * (MAX_CANDIDATES + 3) + "grip 40", "\u0130 GRIP 12 grip 13", "xgrip 1 grip2 Grip 3"]
    plain, gated = re.compile(pattern, FLAGS), compile_gated(pattern, FLAGS)
    assert isinstance(gated, GatedPattern)
    for text in texts:
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]
        for start in range(len(text)):
            expected, got = plain.search(text, start), gated.search(text, start)
            assert (got and got.span()) == (expected and expected.span())


def test_splitting_respects_groups_classes_and_escapes() -> None:
    assert split_alternatives(r"a|(b|c)|[|]|\||d") == ["a", "(b|c)", "[|]", r"\|", "d"]
    assert distribute_leading_group(r"\b(?:x|y)\bz") == [r"\b(?:x)\bz", r"\b(?:y)\bz"]
    assert distribute_leading_group(r"\b(?:x|y)?z") == [r"\b(?:x|y)?z"]  # quantified: left whole


def test_patterns_with_groups_keep_their_group_numbers() -> None:
    gated = GatedPattern(r"(\d+) min|(\d+) sec", FLAGS)
    assert gated.branch_count == 1
    match = gated.search("held 30 sec")
    assert match is not None and match.group(2) == "30"


def test_folding_agrees_with_re_ignorecase_for_every_basic_plane_character() -> None:
    """If `re.IGNORECASE` lets a character match an ASCII letter, folding maps it to that letter."""
    for letter in string.ascii_lowercase:
        literal = re.compile(re.escape(letter), re.IGNORECASE)
        for code_point in range(0x10000):
            char = chr(code_point)
            if literal.fullmatch(char):
                assert fold(char) == letter, (letter, hex(code_point))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["grip", "Grip strength", " 45", "#", " lb", "pinch", "Berg", "TUG", " 12 ",
                                 "/56", "sec", ".", "\n", "ROM", "flex", "°", "deg", "5/5", "4-/5", "pain",
                                 " 3/10", "ſ", "İ", "K", "fim", "FIM", " 10mwt", " x ", "2", "0"]), max_size=40))
def test_gated_measurements_equal_plain_ones_on_random_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    for _, pattern, flags in PATTERNS[:12]:
        plain, gated = re.compile(pattern, flags), GatedPattern(pattern, flags)
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_literal_scanner_finds_overlapping_and_single_character_literals() -> None:
    from nlp.literal_scan import LiteralScanner

    scanner = LiteralScanner(["ue", "bue", "r", "°", "deg", ""])
    assert scanner.present("bue r 30°") == {"ue", "bue", "r", "°"}
    assert scanner.present("") == frozenset() and LiteralScanner([]).present("abc") == frozenset()


ANCHORED = [
    r"\b(?:mmt|strength|grossly)?(?:[^.;|\n]|\.(?=\d)){0,3}\b[0-5]\s*[+-]?\s*/\s*5\b",
    r"\b(?:standing|sit|stand) tolerance\b[^.;|\n]{0,30}?\d+\s*min",
    r"\b(?:ub|lb) dressing\s*[:=(]?\s*(?:0[1-6]|07)\b|(?<![\w/])x?\d{1,2}#",
    r"(?<=[a-z])\.\s+(?=[A-Z])",
    r"\b\d{1,2}(?:\s*-\s*\d{1,2})?\s*/\s*10\b",  # the digits' repeat unrolled: \d\d{0,1}
    r"-?\d+?\s*%",
]


def test_anchors_are_found_where_a_bounded_opening_precedes_a_fast_part() -> None:
    from nlp.regex_anchor import find_anchor

    found = [find_anchor(pattern, FLAGS) for pattern in ANCHORED]
    assert all(anchor is not None for anchor in found)
    assert found[0] is not None and found[0].lead == 11  # "strength" and three characters before the grade
    assert find_anchor(r"grip\s*\d+", FLAGS) is None  # the pattern opens with its fast part: nothing to gain
    assert find_anchor(r"\b\w*\s+\d", FLAGS) is None  # an unbounded opening
    assert find_anchor(r"(a)b?\1\d", FLAGS) is None  # a back-reference to the opening


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["strength ", "MMT ", "4", "3+", "/", "5", " ", "/5", ".", "\n", "sit", "stand", "10",
                                 "%", "-", "2-3", "/10", "12",
                                 " tolerance ", "12 min", "UB dressing: ", "06", "x", "#", "a", "Bb", ". "]),
                max_size=16),
       st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=60))
def test_an_anchored_search_equals_re(pieces: list[str], pos: int, endpos: int) -> None:
    from nlp.regex_anchor import MAX_TRIES, find_anchor

    text = "".join(pieces)
    for pattern in ANCHORED:
        plain = re.compile(pattern, FLAGS)
        anchor = find_anchor(pattern, FLAGS)
        assert anchor is not None
        for text_ in (text, "/5 " * (MAX_TRIES + 2) + text):  # the second falls back to re's own scan
            expected = plain.search(text_, pos, endpos)
            got = anchor.search(plain, text_, pos, min(endpos, len(text_)))
            assert (got and got.span()) == (expected and expected.span())


def test_leading_literals_are_the_words_a_choice_opens_with() -> None:
    from nlp.regex_gate import leading_literals

    assert leading_literals(r"(?=[fe])\b(?:flex(?:ion)?|ext(?:ension)?)\b", FLAGS) == ("flex", "ext")
    assert leading_literals(r"\b(?:MCP|mp|pip)\s", FLAGS) == ("mcp", "mp", "pip")
    assert leading_literals(r"(?:ab|c)d", FLAGS) is None  # "c" alone is too short
    assert leading_literals(r"\b(?:a{0,2}rom)\b", FLAGS) is None  # an optional opening


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["flex", "ext", "ion", "ension", " ", "10", "°", "x", "mcp", "MP", "pip", " 20",
                                 "deg", "\n", "flexion", "e", "İ"]), max_size=14),
       st.integers(min_value=0, max_value=30))
def test_a_search_at_several_prefixes_equals_re(pieces: list[str], pos: int) -> None:
    text = "".join(pieces)
    for pattern in (r"(?=[fe])\b(?:flex(?:ion)?|ext(?:ension)?)\b\s*\d+\s*(?:°|deg)",
                    r"\b(?:mcp|mp|pip)\s+\d+"):
        plain, gated = re.compile(pattern, FLAGS), GatedPattern(pattern, FLAGS, split=False)
        assert gated._branches[0].prefixes is not None
        for text_ in (text, "flex ext " * (MAX_CANDIDATES + 2) + text):
            assert [m.span() for m in gated.finditer(text_, pos)] == [m.span() for m in plain.finditer(text_, pos)]
            expected, got = plain.search(text_, pos), gated.search(text_, pos)
            assert (got and got.span()) == (expected and expected.span())
