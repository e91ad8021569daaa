import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.models import Indicator, ScoringRule, ValueType
from indicators.readings import IndicatorReading
from indicators.scoring import Judgement, ScoringError, meets_target, score_indicator, validate_scoring_params

D = Decimal


def indicator(**fields) -> Indicator:
    """An unsaved indicator: scoring never touches the database."""
    defaults = {"code": "G2.1", "name": "出庭应诉率", "max_points": D(2), "value_type": ValueType.RATE}
    return Indicator(**{**defaults, **fields})


def rate(num, den) -> IndicatorReading:
    return IndicatorReading(numerator=D(num), denominator=D(den))


def test_linear_rate_scores_by_completion():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    assert score_indicator(item, rate(19, 20)).points == D("1.90")


def test_linear_rate_below_the_floor_scores_zero():
    item = indicator(
        scoring_rule=ScoringRule.LINEAR, scoring_params={"floor": "90"}, target_operator=">=", target_value=D(100)
    )
    assert score_indicator(item, rate(17, 20)).points == D(0)


def test_a_rate_with_no_cases_keeps_full_points_by_default():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    score = score_indicator(item, rate(0, 0))
    assert score.points == D("2.00")
    assert "无此类事项" in score.explanation


def test_a_rate_with_no_cases_can_be_excluded_instead():
    item = indicator(
        scoring_rule=ScoringRule.LINEAR,
        scoring_params={"when_no_cases": "exclude"},
        target_operator=">=",
        target_value=D(100),
    )
    assert score_indicator(item, rate(0, 0)).is_excluded


def test_an_unfilled_indicator_scores_zero():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    assert score_indicator(item, None).points == D(0)
    assert score_indicator(item, None).explanation == "未填报"


def test_a_rate_with_one_part_scores_zero_as_not_computable():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    score = score_indicator(item, IndicatorReading(denominator=D(71)))
    assert score.points == D(0)
    assert "无法计算" in score.explanation


def test_a_denominator_of_zero_alone_is_no_such_matters():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    assert score_indicator(item, IndicatorReading(denominator=D(0))).points == item.max_points


def test_not_applicable_leaves_the_scorable_base():
    item = indicator(scoring_rule=ScoringRule.LINEAR, target_operator=">=", target_value=D(100))
    score = score_indicator(item, IndicatorReading(state="not_applicable", reason="无复议职能"))
    assert score.is_excluded
    assert score.explanation == "不适用，不计入考核"


def test_not_available_scores_zero_and_stays_in_the_base():
    item = indicator(scoring_rule=ScoringRule.ALL_OR_NOTHING)
    score = score_indicator(item, IndicatorReading(state="not_available", reason="口径未建立"))
    assert score.points == D(0)
    assert not score.is_excluded


def test_deduct_per_event_on_a_rate_counts_the_cases_short():
    # 合法性审核率: 2 of 5 files unreviewed, 1 point each, capped at 2
    item = indicator(scoring_rule=ScoringRule.DEDUCT_PER_EVENT, scoring_params={"per_event": "1", "cap": "2"})
    assert score_indicator(item, rate(3, 5)).points == D("0.00")
    assert score_indicator(item, rate(4, 5)).points == D("1.00")


def test_deduct_per_event_on_a_count_counts_the_events():
    item = indicator(
        value_type=ValueType.COUNT, scoring_rule=ScoringRule.DEDUCT_PER_EVENT, scoring_params={"per_event": "0.5"}
    )
    assert score_indicator(item, IndicatorReading(value=D(1))).points == D("1.50")


def test_deduct_per_event_on_a_checklist_counts_missing_items():
    item = indicator(
        value_type=ValueType.MULTIPLE_CHOICE,
        options=["一", "二", "三", "四", "五"],
        max_points=D(1),
        scoring_rule=ScoringRule.DEDUCT_PER_EVENT,
        scoring_params={"per_event": "0.2"},
    )
    assert score_indicator(item, IndicatorReading(value=("一", "二", "三"))).points == D("0.60")


def test_deduct_per_event_can_count_events_with_a_formula():
    item = indicator(
        value_type=ValueType.COUNT,
        scoring_rule=ScoringRule.DEDUCT_PER_EVENT,
        scoring_params={"per_event": "1", "events": "G2.1 + B1.1"},
    )
    readings = {"B1.1": IndicatorReading(value=D(1))}
    assert score_indicator(item, IndicatorReading(value=D(0)), readings=readings).points == D("1.00")


def test_deduct_per_shortfall_uses_the_indicator_target():
    item = indicator(
        value_type=ValueType.COUNT,
        max_points=D("1.5"),
        target_operator=">=",
        target_value=D(3),
        scoring_rule=ScoringRule.DEDUCT_PER_SHORTFALL,
        scoring_params={"per_unit": "0.5"},
    )
    assert score_indicator(item, IndicatorReading(value=D(2))).points == D("1.00")


def test_inverse_rate_scores_against_the_benchmark():
    item = indicator(
        scoring_rule=ScoringRule.INVERSE, scoring_params={"benchmark": "12.07", "step": "5", "per_step": "0.5"}
    )
    assert score_indicator(item, rate(1, 10)).points == D("2.00")
    assert score_indicator(item, rate(2, 10)).points == D("1.00")


def test_tiered_amount_scores_by_table():
    item = indicator(
        value_type=ValueType.AMOUNT,
        scoring_rule=ScoringRule.TIERED,
        scoring_params={"tiers": [["90", "2"], ["80", "1.5"]]},
    )
    assert score_indicator(item, IndicatorReading(value=D("86.5"))).points == D("1.50")


def test_all_or_nothing_boolean_follows_the_answer():
    item = indicator(value_type=ValueType.BOOLEAN, max_points=D(1), scoring_rule=ScoringRule.ALL_OR_NOTHING)
    assert score_indicator(item, IndicatorReading(value=True)).points == D("1.00")
    assert score_indicator(item, IndicatorReading(value=False)).points == D("0.00")


def test_all_or_nothing_date_must_be_on_or_before_the_deadline():
    item = indicator(
        value_type=ValueType.DATE,
        max_points=D(1),
        scoring_rule=ScoringRule.ALL_OR_NOTHING,
        target_date=datetime.date(2026, 3, 1),
    )
    assert score_indicator(item, IndicatorReading(value=datetime.date(2026, 3, 1))).points == D(1)
    assert score_indicator(item, IndicatorReading(value=datetime.date(2026, 3, 2))).points == D(0)


def test_all_or_nothing_count_compares_with_the_target():
    item = indicator(
        value_type=ValueType.COUNT,
        max_points=D(1),
        scoring_rule=ScoringRule.ALL_OR_NOTHING,
        target_operator="<=",
        target_value=D(0),
    )
    assert score_indicator(item, IndicatorReading(value=D(0))).points == D(1)
    assert score_indicator(item, IndicatorReading(value=D(1))).points == D(0)


def test_judgement_indicator_waits_for_the_reviewer():
    item = indicator(value_type=ValueType.TEXT, max_points=D(1), scoring_rule=ScoringRule.JUDGEMENT)
    assert score_indicator(item, IndicatorReading(value="说明")).explanation == "待审核员评定"


def test_judgement_indicator_takes_the_reviewers_points_and_reason():
    item = indicator(value_type=ValueType.TEXT, max_points=D(1), scoring_rule=ScoringRule.JUDGEMENT)
    score = score_indicator(item, None, judgement=Judgement(D("0.5"), "计划未公开"))
    assert score.points == D("0.50")
    assert "计划未公开" in score.explanation


def test_judgement_without_reason_is_refused():
    item = indicator(value_type=ValueType.TEXT, max_points=D(1), scoring_rule=ScoringRule.JUDGEMENT)
    with pytest.raises(ScoringError):
        score_indicator(item, None, judgement=Judgement(D("0.5"), ""))


def test_meets_target_is_none_when_there_is_nothing_to_compare():
    item = indicator(value_type=ValueType.TEXT)
    assert meets_target(item, IndicatorReading(value="")) is None


def test_valid_params_have_no_problems():
    assert validate_scoring_params(ScoringRule.INVERSE, {"benchmark": 10, "step": 5, "per_step": "0.5"}) == []


@pytest.mark.parametrize(
    ("rule", "params", "fragment"),
    [
        ("bogus", {}, "未知的评分规则"),
        (ScoringRule.DEDUCT_PER_EVENT, {}, "缺少参数 per_event"),
        (ScoringRule.DEDUCT_PER_EVENT, {"per_event": "abc"}, "须为数值"),
        (ScoringRule.LINEAR, {"colour": 1}, "不适用"),
        (ScoringRule.TIERED, {"tiers": "90"}, "tiers"),
        (ScoringRule.TIERED, {"tiers": [[90]]}, "下限, 分值"),
        (ScoringRule.LINEAR, {"when_no_cases": "maybe"}, "when_no_cases"),
        (ScoringRule.DEDUCT_PER_EVENT, {"per_event": 1, "events": "Z1 +"}, "events 公式有误"),
    ],
)
def test_bad_params_are_explained_in_chinese(rule, params, fragment):
    assert any(fragment in problem for problem in validate_scoring_params(rule, params))


def test_events_formula_must_reference_known_codes():
    problems = validate_scoring_params(
        ScoringRule.DEDUCT_PER_EVENT, {"per_event": 1, "events": "Z9.9"}, known_codes={"G2.1"}
    )
    assert problems == ["events 公式引用了不存在的指标编码：Z9.9"]


RULES = [
    (ScoringRule.LINEAR, {"floor": "80"}),
    (ScoringRule.DEDUCT_PER_EVENT, {"per_event": "0.5", "cap": "1.5"}),
    (ScoringRule.DEDUCT_PER_SHORTFALL, {"per_unit": "0.3"}),
    (ScoringRule.INVERSE, {"benchmark": "12.07", "step": "5", "per_step": "0.5"}),
    (ScoringRule.TIERED, {"tiers": [["90", "2"], ["80", "1.5"], ["60", "0.5"]]}),
    (ScoringRule.ALL_OR_NOTHING, {}),
]


@settings(deadline=None)
@given(
    st.sampled_from(RULES),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
    st.decimals(min_value=0, max_value=5, places=1),
)
def test_any_rate_reading_scores_between_zero_and_the_maximum(rule_and_params, numerator, extra, max_points):
    rule, params = rule_and_params
    item = indicator(
        scoring_rule=rule, scoring_params=params, max_points=max_points, target_operator=">=", target_value=D(100)
    )
    score = score_indicator(item, rate(numerator, numerator + extra))
    assert D(0) <= score.points <= max_points


def test_no_such_matters_neither_meets_nor_misses_a_target():
    from indicators.scoring import meets_target

    item = indicator(scoring_rule=ScoringRule.ALL_OR_NOTHING)
    assert meets_target(item, IndicatorReading(numerator=D(0), denominator=D(0))) is None
    assert meets_target(item, IndicatorReading(state="not_applicable", reason="无")) is None
