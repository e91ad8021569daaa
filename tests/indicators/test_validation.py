from decimal import Decimal

import pytest

from indicators.expressions import ExpressionError, parse
from indicators.lineage import carry_forward
from indicators.models import Indicator, ValidationRule, ValueType
from indicators.readings import IndicatorReading
from indicators.validation import check_rules, check_year_over_year, derive_readings, formula_order

D = Decimal


def rule(expression, *, severity=ValidationRule.Severity.ERROR, message="负责人出庭应诉案件数不能大于开庭审理案件数"):
    return ValidationRule(code="V1", expression=expression, message=message, severity=severity)


def rate(num, den):
    return IndicatorReading(numerator=D(num), denominator=D(den))


def test_a_passing_rule_gives_no_issue():
    assert check_rules([rule("G2.1.num <= G2.1.den")], {"G2.1": rate(3, 4)}) == []


def test_a_failing_error_rule_blocks_with_its_chinese_message():
    [issue] = check_rules([rule("G2.1.num <= G2.1.den")], {"G2.1": rate(5, 4)})
    assert issue.is_error
    assert issue.message == "负责人出庭应诉案件数不能大于开庭审理案件数"


def test_a_failing_warning_rule_only_asks_for_an_explanation():
    [issue] = check_rules(
        [rule("G2.1.num <= G2.1.den", severity=ValidationRule.Severity.WARNING)], {"G2.1": rate(5, 4)}
    )
    assert not issue.is_error


def test_a_rule_over_missing_values_is_skipped_so_drafts_can_be_saved():
    assert check_rules([rule("G2.1.num <= G2.1.den")], {}) == []


def test_a_rule_that_cannot_be_computed_warns_instead_of_blocking():
    [issue] = check_rules([rule("G2.1.num + true")], {"G2.1": rate(1, 2)})
    assert issue.severity == ValidationRule.Severity.WARNING
    assert "无法计算" in issue.message


def derived(code, formula):
    return Indicator(code=code, name=code, value_type=ValueType.COUNT, formula=formula)


def test_derived_values_are_computed_in_dependency_order():
    indicators = [derived("T2", "T1 * 2"), derived("T1", "A + B")]
    readings = derive_readings(indicators, {"A": IndicatorReading(value=D(1)), "B": IndicatorReading(value=D(2))})
    assert readings["T1"].value == D(3)
    assert readings["T2"].value == D(6)


def test_a_derived_value_without_its_inputs_is_left_out():
    assert "T1" not in derive_readings([derived("T1", "A + B")], {"A": IndicatorReading(value=D(1))})


def test_a_formula_cycle_is_reported():
    with pytest.raises(ExpressionError, match="循环引用"):
        formula_order({"T1": parse("T2 + 1"), "T2": parse("T1 + 1")})


def count_indicator(code="H1.2", swing=None):
    return Indicator(code=code, name="依申请公开件数", value_type=ValueType.COUNT, yoy_swing_percent=swing)


def test_a_large_swing_from_last_year_needs_an_explanation():
    [issue] = check_year_over_year(
        [count_indicator()],
        {"H1.2": IndicatorReading(value=D(160))},
        {"H1.2": IndicatorReading(value=D(100))},
        default_percent=D(50),
    )
    assert issue.severity == ValidationRule.Severity.WARNING
    assert issue.message == "依申请公开件数较上年（100）变化60%，超过50%，请填写说明"


def test_a_swing_within_the_threshold_passes():
    issues = check_year_over_year(
        [count_indicator()],
        {"H1.2": IndicatorReading(value=D(150))},
        {"H1.2": IndicatorReading(value=D(100))},
        default_percent=D(50),
    )
    assert issues == []


def test_an_indicator_can_set_its_own_swing_threshold():
    issues = check_year_over_year(
        [count_indicator(swing=D(10))],
        {"H1.2": IndicatorReading(value=D(120))},
        {"H1.2": IndicatorReading(value=D(100))},
        default_percent=D(50),
    )
    assert len(issues) == 1


def test_a_rate_swing_compares_the_rates():
    indicator = Indicator(code="G2.1", name="出庭应诉率", value_type=ValueType.RATE)
    issues = check_year_over_year([indicator], {"G2.1": rate(4, 10)}, {"G2.1": rate(9, 10)}, default_percent=D(50))
    assert len(issues) == 1


def test_no_swing_check_from_a_zero_base_or_without_last_year():
    indicators = [count_indicator()]
    current = {"H1.2": IndicatorReading(value=D(5))}
    assert check_year_over_year(indicators, current, {"H1.2": IndicatorReading(value=D(0))}, default_percent=D(1)) == []
    assert check_year_over_year(indicators, current, {}, default_percent=D(1)) == []


def test_carry_forward_maps_last_years_readings_to_this_years_codes():
    carried = carry_forward({"A1.3": ["A1.5"], "A1.1": ["A1.1"], "N1": []}, {"A1.5": rate(3, 4), "A1.1": rate(1, 1)})
    assert carried == {"A1.3": rate(3, 4), "A1.1": rate(1, 1)}


def test_a_merge_adds_numerators_and_denominators_not_rates():
    carried = carry_forward({"M": ["X", "Y"]}, {"X": rate(1, 2), "Y": rate(3, 8)})
    assert carried["M"] == rate(4, 10)


def test_a_merge_of_counts_adds_the_values():
    carried = carry_forward({"M": ["X", "Y"]}, {"X": IndicatorReading(value=D(2)), "Y": IndicatorReading(value=D(5))})
    assert carried["M"].value == D(7)
