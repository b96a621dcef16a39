"""Minutes and totals, in every form the issue names; reps, seconds, pounds, degrees, levels and scores never."""

import pytest

from nlp.patterns import Patterns
from nlp.timewords import find_minutes, find_totals

PATTERNS = Patterns()


def minutes_in(text):
    return [m.value for m in find_minutes(text, PATTERNS)]


@pytest.mark.parametrize("text, expected", [
    ("Ther ex 15 min: AAROM", [15]),
    ("seated rows 15 minutes", [15]),
    ("TE 8' UBE", [8]),
    ("UBE x 15 min", [15]),
    ("putty (12 min)", [12]),
    ("worked on transfers for 10 minutes", [10]),
    ("twenty minutes of balance work", [20]),
    ("thirty-five minutes of ADL training", [35]),
    ("Tx 0900-0930", [30]),
    ("seen 8:30-9:15", [45]),
    ("11:45-12:30", [45]),
    ("gait 12' no AD", [12]),
    ("Group session 1300-1340: joint protection", [40]),
    ("NMR 10-15 min: weight bearing", [10]),  # a range documents only its lower bound
    ("TherEx 15-20 min: wall sits", [15]),
    ("diaphragmatic breathing x 5 - 12 min", [12]),  # five repetitions, then the time
])
def test_minutes_are_read(text, expected):
    assert minutes_in(text) == expected


@pytest.mark.parametrize("text", [
    "15 reps x 2 sets", "3 x 30 sec holds", "UBE level 2", "MMT 4-/5", "ambulated 150' with FWW",
    "STS x10 min A", "pain 5/10", "Berg 42/56", "wrist ext 0-45 deg", "2# cuff weight", "x 200' in hallway",
    "pressure relief q15 min", "grip 45#",
])
def test_numbers_that_are_not_minutes(text):
    assert minutes_in(text) == []


@pytest.mark.parametrize("text, kind, value", [
    ("TTT 40'", "treatment", 40),
    ("Total treatment time: 45 min", "treatment", 45),
    ("Total timed minutes 38", "timed", 38),
    ("TTT 40 min, timed 36 min", "timed", 36),
    ("Total tx 49 min", "treatment", 49),
    ("Total 8 min.", "treatment", 8),
    ("Pt seen for 50 minutes today", "treatment", 50),
    ("Session 0900-0945", "treatment", 45),
    ("40 min total.", "treatment", 40),
])
def test_totals_are_read(text, kind, value):
    totals = find_totals(text, PATTERNS, find_minutes(text, PATTERNS))
    assert (kind, value) in [(t.kind, t.value) for t in totals]


def test_visit_number_is_not_a_total():
    text = "OT visit 8 of 12"
    assert find_totals(text, PATTERNS, find_minutes(text, PATTERNS)) == []


def test_a_setting_times_minutes_is_a_duration():
    assert [m.value for m in find_minutes("NuStep LE only, level 3 x 10 min, HR peak 96", Patterns())] == [10]



@pytest.mark.parametrize("text, expected", [
    ("Ice pack L knee x 10' end of session", [10]), ("MH to low back x 12'", [12]),
    ("amb w/ RW x 150'", []), ("Ice pack then amb x 40'", []),
])
def test_an_x_before_a_prime_is_minutes_after_a_modality_and_feet_after_walking(text, expected):
    assert minutes_in(text) == expected


@pytest.mark.parametrize("text, total", [("Time 39 min total.", 39), ("Eval time 45 min. Total time 59 min.", 59)])
def test_a_trailing_total_after_time_and_never_across_a_sentence(text, total):
    found = find_totals(text, PATTERNS, find_minutes(text, PATTERNS))
    assert [t.value for t in found if t.kind == "treatment"] == [total]
