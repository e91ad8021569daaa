"""The editorial rules (reports.editorial), one test each: they hold for every kind of report."""

import datetime
from decimal import Decimal

from indicators.models import Indicator, ReportRole, TargetOperator, ValueState, ValueType
from indicators.readings import IndicatorReading
from reports import editorial

APPEARANCE = Indicator(
    code="G2.1",
    name="行政机关负责人出庭应诉率",
    value_type=ValueType.RATE,
    unit="%",
    target_operator=TargetOperator.GTE,
    target_value=Decimal(100),
    phrase_template="行政机关负责人出庭应诉率达{rate}%（{num}/{den}）",
    preferred_direction="up",
    report_role=ReportRole.LEAD,
)
LOSSES = Indicator(
    code="G2.2",
    name="行政诉讼败诉率",
    value_type=ValueType.RATE,
    unit="%",
    target_operator=TargetOperator.LTE,
    target_value=Decimal(10),
    phrase_template="行政诉讼败诉率为{rate}%",
    zero_phrase="全年未发生行政诉讼败诉案件",
    preferred_direction="down",
)
CASES = Indicator(
    code="G1.0",
    name="办理行政复议案件数",
    value_type=ValueType.COUNT,
    unit="件",
    phrase_template="全年办理行政复议案件{value}件",
    preferred_direction="up",
)
TRAININGS = Indicator(
    code="A3.4",
    name="依法行政专题培训举办期数",
    value_type=ValueType.COUNT,
    unit="期",
    phrase_template="全年举办依法行政专题培训{value}期",
    preferred_direction="up",
)
DEFAULTED = Indicator(
    code="H3.1",
    name="政府机关被列为失信被执行人件数",
    value_type=ValueType.COUNT,
    unit="件",
    target_operator=TargetOperator.LTE,
    target_value=Decimal(0),
    phrase_template="政府机关被列为失信被执行人{value}件",
    preferred_direction="down",
)
SCORE = Indicator(
    code="J1.1",
    name="群众满意度",
    value_type=ValueType.AMOUNT,
    unit="分",
    phrase_template="群众满意度为{value}分",
    preferred_direction="up",
)
REPORTED_ON = Indicator(
    code="A2.1",
    name="年度报告按时报送",
    value_type=ValueType.DATE,
    target_date=datetime.date(2025, 3, 1),
    phrase_template="年度报告于{value}报送",
)


def rate(num, den):
    return IndicatorReading(numerator=Decimal(num), denominator=Decimal(den))


def count(n):
    return IndicatorReading(value=Decimal(n))


def test_an_empty_value_has_no_sentence():
    assert editorial.is_silent(None)
    assert editorial.is_silent(IndicatorReading())
    assert editorial.is_silent(IndicatorReading(numerator=Decimal(3)))


def test_a_value_marked_not_applicable_or_not_available_has_no_sentence():
    assert editorial.is_silent(IndicatorReading(value=Decimal(3), state=ValueState.NOT_APPLICABLE))
    assert editorial.is_silent(IndicatorReading(value=Decimal(3), state=ValueState.NOT_AVAILABLE))


def test_no_such_matters_has_no_sentence_not_even_the_empty_phrase():
    assert editorial.is_silent(rate(0, 0))


def test_a_zero_is_said_only_through_its_natural_zero_sentence():
    assert editorial.achievement_sentence(LOSSES, rate(0, 105), None) == "全年未发生行政诉讼败诉案件"
    assert editorial.achievement_sentence(TRAININGS, count(0), None) == ""


def test_a_negative_is_never_an_achievement_with_its_count():
    assert "为0件" not in editorial.achievement_sentence(DEFAULTED, count(0), None)


def test_sentences_carry_no_fraction():
    assert editorial.achievement_sentence(APPEARANCE, rate(114, 115), None) == "行政机关负责人出庭应诉率达99.13%"


def test_no_sentence_is_said_twice():
    assert editorial.unique(["出庭应诉率达99.13%", "出庭应诉率达99.13%。", "", "败诉率为3%"]) == (
        "出庭应诉率达99.13%",
        "败诉率为3%",
    )
    assert editorial.join_clauses(["A达1%", "A达1%", "B为2件"]) == "A达1%，B为2件。"


def test_a_rise_in_the_preferred_direction_is_said_in_the_achievement():
    text = editorial.achievement_sentence(APPEARANCE, rate(114, 115), rate(321, 342))
    assert text == "行政机关负责人出庭应诉率达99.13%，较上年提高5.27个百分点"


def test_a_decline_is_never_said_in_the_achievement():
    text = editorial.achievement_sentence(TRAININGS, count(27), count(42))
    assert text == "全年举办依法行政专题培训27期"


def test_a_decline_is_a_shortfall():
    assert (
        editorial.decline_sentence(TRAININGS, count(27), count(42))
        == "全年举办依法行政专题培训27期，较上年减少15期，下降35.71%"
    )


def test_a_rise_of_what_should_fall_is_a_shortfall():
    assert editorial.decline_sentence(LOSSES, rate(8, 100), rate(3, 100)) == "行政诉讼败诉率为8%，较上年提高5个百分点"
    assert editorial.decline_sentence(LOSSES, rate(3, 100), rate(8, 100)) == ""


def test_a_missed_target_is_a_shortfall_with_the_target_in_words():
    assert editorial.shortfall_sentence(APPEARANCE, rate(93, 100)) == "行政机关负责人出庭应诉率为93%，低于100%的目标"
    assert editorial.shortfall_sentence(LOSSES, rate(12, 100)) == "行政诉讼败诉率为12%，超过10%的控制目标"
    assert editorial.shortfall_sentence(DEFAULTED, count(4)) == "政府机关被列为失信被执行人4件"


def test_a_late_date_is_a_shortfall_against_its_deadline():
    reading = IndicatorReading(value=datetime.date(2025, 3, 4))
    assert (
        editorial.shortfall_sentence(REPORTED_ON, reading) == "年度报告于2025年3月4日报送，晚于2025年3月1日的时限要求"
    )


def test_a_late_date_of_an_indicator_without_a_phrase_is_stated_as_a_date():
    """format_number cannot say a date: a framework's date indicator without a phrase template made
    the shortfall sentence raise TypeError and the report fail."""
    unphrased = Indicator(
        code="A2.9", name="规章草案报送日期", value_type=ValueType.DATE, target_date=datetime.date(2025, 3, 1)
    )
    reading = IndicatorReading(value=datetime.date(2025, 4, 1))
    assert (
        editorial.shortfall_sentence(unphrased, reading) == "规章草案报送日期为2025年4月1日，晚于2025年3月1日的时限要求"
    )


def test_an_indicator_may_word_its_own_shortfall():
    own = Indicator(
        name="报备及时率",
        value_type=ValueType.RATE,
        target_operator=TargetOperator.GTE,
        target_value=Decimal(100),
        shortfall_phrase="规范性文件报备及时率仅为{rate}%，未达到{target}的要求",
    )
    assert editorial.shortfall_sentence(own, rate(59, 124)) == "规范性文件报备及时率仅为47.58%，未达到不低于100%的要求"


def test_a_relative_change_needs_a_base_large_enough():
    assert editorial.change_of(CASES, count(4), count(1)).clause == "较上年增加3件"
    assert editorial.change_of(CASES, count(71), count(63)).clause == "较上年增加8件，增长12.7%"
    assert editorial.RELATIVE_CHANGE_MIN_BASE > 1


def test_a_change_from_or_to_zero_is_absolute():
    assert editorial.change_cell(CASES, count(5), count(0)) == "增加5件"
    assert editorial.change_cell(CASES, count(0), count(30)) == "减少30件"


def test_text_and_table_use_the_same_direction_words():
    for now, before in ((rate(114, 115), rate(321, 342)), (rate(321, 342), rate(114, 115))):
        change = editorial.change_of(APPEARANCE, now, before)
        assert change.absolute in change.clause
        assert editorial.change_cell(APPEARANCE, now, before) == change.absolute
    assert editorial.change_cell(APPEARANCE, rate(321, 342), rate(114, 115)) == "下降5.27个百分点"


def test_a_score_changes_in_points_never_in_percent():
    assert editorial.change_cell(SCORE, count("91.5"), count(89)) == "提高2.5分"


def test_no_change_and_no_previous_year_in_tables():
    assert editorial.change_cell(CASES, count(5), count(5)) == "持平"
    assert editorial.change_cell(CASES, count(5), None) == "—"
    assert editorial.change_cell(APPEARANCE, rate(1, 2), rate(0, 0)) == "—"


def test_all_units_may_be_called_all():
    assert (
        editorial.share_sentence("落实法律顾问制度", yes=20, total=20, place="全市")
        == "全市20个单位均已落实法律顾问制度"
    )


def test_some_units_are_counted_with_their_share_and_no_universal_word():
    text = editorial.share_sentence("全面落实法律顾问制度", yes=17, total=20)
    assert text == "17个单位已落实法律顾问制度，占85%"


def test_one_unit_is_not_an_aggregate():
    assert editorial.share_sentence("落实法律顾问制度", yes=1, total=1) == "落实法律顾问制度"


def test_averages_are_called_averages_and_sums_totals():
    assert editorial.aggregate_word(SCORE) == "平均"
    assert editorial.aggregate_word(CASES) == "合计"


def test_the_text_faults_are_found():
    body = (
        "全年无应述法领导干部人。全年无已报备文件；全年无已报备文件。达到目标的单位0个（共1个）。"
        "满意度合计90.33分。以下数据由各单位填报数据汇总得出。执法人员持证上岗率100%（14/14）。"
    )
    kinds = {fault.kind for fault in editorial.text_faults(body, achievements="培训27期，较上年减少15期。")}
    assert kinds == set(editorial.FAULT_LABELS)


def test_seed_sentences_have_no_faults():
    body = (
        "一网通办网上可办率达99.92%，全程网办事项达92.48%。"
        "全市行政诉讼案件出庭应诉率99.5%，较2021年同期提高5.27个百分点。"
    )
    assert editorial.text_faults(body, achievements=body) == []
