from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.scoring import rules
from indicators.scoring.rules import ScoringError

D = Decimal
points = st.decimals(min_value=0, max_value=20, places=2)
amounts = st.decimals(min_value=0, max_value=1000, places=2)


def test_all_or_nothing_gives_full_points_when_met():
    assert rules.all_or_nothing(max_points=D("1.5"), is_met=True) == D("1.50")


def test_all_or_nothing_gives_zero_when_not_met():
    assert rules.all_or_nothing(max_points=D("1.5"), is_met=False) == D("0.00")


def test_deduct_per_event_takes_off_each_event():
    assert rules.deduct_per_event(max_points=D(2), events=D(3), per_event=D("0.5")) == D("0.50")


def test_deduct_per_event_stops_at_its_cap():
    assert rules.deduct_per_event(max_points=D(2), events=D(5), per_event=D("0.3"), cap=D(1)) == D("1.00")


def test_deduct_per_event_never_goes_below_zero():
    assert rules.deduct_per_event(max_points=D(1), events=D(10), per_event=D(1)) == D("0.00")


def test_deduct_per_shortfall_counts_what_is_missing_against_the_target():
    # 全年专题研究不少于3次，每少一次扣0.5分: 1 meeting held → 2 short → 1.5 − 1.0
    assert rules.deduct_per_shortfall(max_points=D("1.5"), actual=D(1), target=D(3), per_unit=D("0.5")) == D("0.50")


def test_deduct_per_shortfall_gives_full_points_above_target():
    assert rules.deduct_per_shortfall(max_points=D("1.5"), actual=D(5), target=D(3), per_unit=D("0.5")) == D("1.50")


def test_linear_scales_with_completion():
    assert rules.linear(max_points=D(2), actual=D(95), target=D(100)) == D("1.90")


def test_linear_caps_at_full_points_above_target():
    assert rules.linear(max_points=D(2), actual=D(120), target=D(100)) == D("2.00")


def test_linear_gives_nothing_below_the_floor():
    assert rules.linear(max_points=D(2), actual=D("89.99"), target=D(100), floor=D(90)) == D("0")


def test_linear_at_the_floor_still_scores():
    assert rules.linear(max_points=D(2), actual=D(90), target=D(100), floor=D(90)) == D("1.80")


def test_linear_against_a_zero_target_is_all_or_nothing():
    assert rules.linear(max_points=D(1), actual=D(0), target=D(0)) == D("1.00")


def test_inverse_gives_full_points_at_or_below_the_benchmark():
    assert rules.inverse(max_points=D(2), actual=D("12.07"), benchmark=D("12.07"), step=D(5), per_step=D("0.5")) == 2


def test_inverse_deducts_per_started_step_above_the_benchmark():
    score = rules.inverse(max_points=D(2), actual=D("12.08"), benchmark=D("12.07"), step=D(5), per_step=D("0.5"))
    assert score == D("1.50")
    score = rules.inverse(max_points=D(2), actual=D("22.08"), benchmark=D("12.07"), step=D(5), per_step=D("0.5"))
    assert score == D("0.50")


def test_inverse_never_goes_below_zero():
    assert rules.inverse(max_points=D(2), actual=D(100), benchmark=D(10), step=D(5), per_step=D(1)) == D("0.00")


TIERS = [(D(90), D(2)), (D(85), D("1.8")), (D(80), D("1.5"))]


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(D(95), D("2.00")), (D(90), D("2.00")), (D("89.9"), D("1.80")), (D(80), D("1.50")), (D(79), D("0.00"))],
)
def test_tiered_picks_the_highest_tier_reached(actual, expected):
    assert rules.tiered(max_points=D(2), actual=actual, tiers=TIERS) == expected


def test_tiered_never_exceeds_the_maximum():
    assert rules.tiered(max_points=D(1), actual=D(95), tiers=TIERS) == D("1.00")


def test_judgement_within_range_with_reason_is_accepted():
    assert rules.judgement(max_points=D(1), awarded=D("0.6"), reason="清单未公开") == D("0.60")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_judgement_without_reason_is_refused(reason):
    with pytest.raises(ScoringError, match="理由"):
        rules.judgement(max_points=D(1), awarded=D("0.6"), reason=reason)


@pytest.mark.parametrize("awarded", [D("-0.1"), D("1.01")])
def test_judgement_outside_the_range_is_refused(awarded):
    with pytest.raises(ScoringError, match="之间"):
        rules.judgement(max_points=D(1), awarded=awarded, reason="理由")


def test_judgement_respects_a_narrower_range():
    with pytest.raises(ScoringError):
        rules.judgement(max_points=D(2), awarded=D("1.5"), reason="理由", maximum=D(1))


def test_bonus_total_is_capped():
    assert rules.bonus_total([D(3), D("1.5"), D(1)], cap=D(5)) == D("5.00")


def test_bonus_total_below_cap_is_the_sum():
    assert rules.bonus_total([D("1.5"), D("0.5")], cap=D(5)) == D("2.00")


def test_deductions_respect_each_items_cap():
    assert rules.deduction_total([(D(4), D(2)), (D(1), None)]) == D("3.00")


# --- properties: every rule stays within [0, max] --------------------------------------------


@settings(deadline=None)
@given(points, amounts, st.decimals(min_value=0, max_value=5, places=2), st.none() | points)
def test_deduct_per_event_stays_within_bounds(max_points, events, per_event, cap):
    score = rules.deduct_per_event(max_points=max_points, events=events, per_event=per_event, cap=cap)
    assert D(0) <= score <= max_points


@settings(deadline=None)
@given(points, amounts, amounts, st.none() | amounts)
def test_linear_stays_within_bounds(max_points, actual, target, floor):
    assert D(0) <= rules.linear(max_points=max_points, actual=actual, target=target, floor=floor) <= max_points


@settings(deadline=None)
@given(points, amounts, amounts, amounts)
def test_linear_never_decreases_as_the_actual_rises(max_points, low, high, target):
    low, high = min(low, high), max(low, high)
    assert rules.linear(max_points=max_points, actual=low, target=target) <= rules.linear(
        max_points=max_points, actual=high, target=target
    )


@settings(deadline=None)
@given(points, amounts, amounts, st.decimals(min_value=D("0.01"), max_value=50, places=2), points)
def test_inverse_never_increases_as_the_actual_rises(max_points, low, high, step, per_step):
    low, high = min(low, high), max(low, high)
    args = {"max_points": max_points, "benchmark": D(10), "step": step, "per_step": per_step}
    assert rules.inverse(actual=high, **args) <= rules.inverse(actual=low, **args) <= max_points


@settings(deadline=None)
@given(points, amounts, st.lists(st.tuples(amounts, points), max_size=5))
def test_tiered_stays_within_bounds(max_points, actual, tiers):
    assert D(0) <= rules.tiered(max_points=max_points, actual=actual, tiers=tiers) <= max_points


@settings(deadline=None)
@given(st.lists(points, max_size=8), points)
def test_bonus_total_never_exceeds_the_cap(awards, cap):
    assert D(0) <= rules.bonus_total(awards, cap=cap) <= cap
