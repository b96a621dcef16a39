"""Every worked example in the facts sheet, as data beside the rules (rules/golden/cases.json)."""

import json
from importlib.resources import files

import pytest

from api.service import suggest

CASES = json.loads(files("rules").joinpath("golden/cases.json").read_text(encoding="utf-8"))


def billed(suggestion):
    return sorted([line.cpt, line.units] for line in suggestion.lines)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden_case(case):
    result = suggest(case["note"])
    expect = case["expect"]
    if "lines" in expect:
        assert billed(result) == sorted(expect["lines"])
    if "lines_one_of" in expect:
        assert billed(result) in [sorted(option) for option in expect["lines_one_of"]]
    if "rationale_contains" in expect:
        assert any(expect["rationale_contains"] in line.rationale for line in result.lines)
    for cpt, modifiers in expect.get("modifiers", {}).items():
        line = next(line for line in result.lines if line.cpt == cpt)
        assert sorted(line.modifiers) == sorted(modifiers)
    codes = {w.code for w in result.warnings}
    assert set(expect.get("require", [])) <= codes
    assert not set(expect.get("forbid", [])) & codes
    for item in [*result.lines, *result.warnings]:
        assert item.trace, "every line and warning carries the rule that produced it"


def test_every_case_names_its_source():
    assert all(case["source"] for case in CASES)
    assert len({case["name"] for case in CASES}) == len(CASES)
