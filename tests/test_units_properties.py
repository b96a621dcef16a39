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


@given(services, st.integers(min_value=0, max_value=200))
def test_a_documented_total_caps_the_cms_pool(minutes, limit):
    allocation = allocate(minutes, "cms", pool_limit=limit)
    assert sum(a.units for a in allocation.values()) == units_for_minutes(min(limit, sum(minutes.values())))
    assert allocation == allocate(minutes, "cms") or limit < sum(minutes.values())


@given(services, st.integers(min_value=0, max_value=200))
def test_a_capped_pool_still_goes_to_the_codes_with_the_most_minutes(minutes, limit):
    allocation = allocate(minutes, "cms", pool_limit=limit)
    for a in allocation.values():
        for b in allocation.values():
            if a.minutes > b.minutes:
                assert a.units >= b.units


def test_capped_units_go_by_most_time():
    # 40 minutes documented as items, 30 as the day's total: 2 units, to the two 15-minute services
    allocation = allocate({"97116": 15, "97112": 15, "97110": 10}, "cms", pool_limit=30)
    assert {c: a.units for c, a in allocation.items()} == {"97116": 1, "97112": 1, "97110": 0}
    assert "allow only 2 unit(s)" in allocation["97110"].explanation
