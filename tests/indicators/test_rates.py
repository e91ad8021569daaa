from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.rates import percentage_point_change, rate_percent

D = Decimal


def test_a_rate_is_a_percentage_rounded_half_up():
    assert rate_percent(1, 3) == D("33.33")
    assert rate_percent(2, 3) == D("66.67")
    assert rate_percent(1, 8) == D("12.50")
    assert rate_percent(D("0.5"), 200) == D("0.25")


def test_the_deputies_suggestions_report_rounds_the_same_way():
    # 代表建议358件，已解决197件，部分解决129件，合计占比91.06% (the congress report's shares)
    assert rate_percent(197 + 129, 358) == D("91.06")


def test_half_is_rounded_up_not_to_even():
    # 1/400 = 0.25% ; 0.125% must become 0.13, not 0.12 (banker's rounding)
    assert rate_percent(1, 800) == D("0.13")


def test_a_zero_denominator_has_no_rate():
    assert rate_percent(0, 0) is None


def test_a_missing_part_has_no_rate():
    assert rate_percent(None, 3) is None
    assert rate_percent(3, None) is None


def test_percentage_point_change_is_rounded_the_same_way():
    assert percentage_point_change(D("95.24"), D("90.00")) == D("5.24")
    assert percentage_point_change(None, D(1)) is None


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_a_rate_has_exactly_two_decimals_and_is_within_half_a_hundredth(numerator, denominator):
    rate = rate_percent(numerator, denominator)
    assert rate.as_tuple().exponent == -2
    exact = D(numerator) * 100 / D(denominator)
    assert abs(rate - exact) <= D("0.005")
