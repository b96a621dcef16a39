"""Invariants of the unit rules, checked on generated services (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.units import allocate, units_for_minutes

TIMED = ["97110", "97112", "97116", "97140", "97530", "97535", "97035"]
services = st.dictionaries(st.sampled_from(TIMED), st.integers(min_value=0, max_value=180), min_size=1, max_size=6)


@given(services)
def test_cms_total_never_exceeds_unit_table(minutes):
    allocation = allocate(minutes, "cms")
    assert sum(a.units for a in allocation.values()) == units_for_minutes(sum(minutes.values()))


@given(services, st.sampled_from(["cms", "per_code"]))
def test_fifteen_minutes_always_earn_a_unit(minutes, method):
    allocation = allocate(minutes, method)
    for code, m in minutes.items():
        assert allocation[code].units >= m // 15


@settings(max_examples=200)
@given(services, st.randoms(use_true_random=False))
def test_result_does_not_depend_on_order(minutes, rng):
    items = list(minutes.items())
    rng.shuffle(items)
    for method in ("cms", "per_code"):
        first = {c: a.units for c, a in allocate(minutes, method).items()}
        second = {c: a.units for c, a in allocate(dict(items), method).items()}
        assert first == second


@given(services)
def test_per_code_counts_each_code_alone(minutes):
    allocation = allocate(minutes, "per_code")
    assert all(allocation[c].units == (m + 7) // 15 for c, m in minutes.items())


def test_unit_table_boundaries():
    assert [units_for_minutes(m) for m in (0, 7, 8, 22, 23, 37, 38, 127, 128)] == [0, 0, 1, 1, 2, 2, 3, 8, 9]
