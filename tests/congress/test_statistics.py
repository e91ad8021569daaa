from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congress.statistics import Interval, wilson_interval
from indicators.rates import rate_percent


def test_wilson_interval_matches_a_hand_calculation_for_three_of_four():
    # n = 4, p = 0.75, z = 1.96, z² = 3.8416
    # denominator = 1 + z²/n = 1.9604
    # centre = (0.75 + 3.8416/8) / 1.9604 = 1.2302 / 1.9604 = 0.627525
    # half = 1.96 × √(0.75·0.25/4 + 3.8416/64) / 1.9604 = 1.96 × √0.1069 / 1.9604 = 0.326888
    # → 0.300637 … 0.954413
    assert wilson_interval(3, 4) == Interval(Decimal("30.06"), Decimal("95.44"))


def test_wilson_interval_matches_a_hand_calculation_for_forty_five_of_fifty():
    # p = 0.9, z²/n = 0.076832, centre = 0.938416 / 1.076832 = 0.871460,
    # half = 1.96 × √(0.0018 + 0.000384160) / 1.076832 = 0.085065
    assert wilson_interval(45, 50) == Interval(Decimal("78.64"), Decimal("95.65"))


def test_wilson_interval_of_all_satisfied_stays_at_or_below_one_hundred_percent():
    assert wilson_interval(5, 5) == Interval(Decimal("56.55"), Decimal("100.00"))


def test_wilson_interval_of_none_satisfied_starts_at_zero():
    assert wilson_interval(0, 10) == Interval(Decimal("0.00"), Decimal("27.75"))


def test_wilson_interval_without_answers_is_none():
    assert wilson_interval(0, 0) is None


def test_wilson_interval_refuses_more_successes_than_answers():
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_rate_and_stays_within_zero_and_one_hundred(pair):
    successes, n = pair
    interval = wilson_interval(successes, n)
    rate = rate_percent(successes, n)
    assert Decimal(0) <= interval.low <= rate <= interval.high <= Decimal(100)


@given(st.integers(min_value=1, max_value=5_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_is_symmetric_for_complementary_counts(pair):
    successes, n = pair
    interval = wilson_interval(successes, n)
    mirrored = wilson_interval(n - successes, n)
    assert abs(interval.low - (100 - mirrored.high)) <= Decimal("0.01")
