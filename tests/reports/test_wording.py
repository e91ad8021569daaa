from decimal import Decimal

import pytest

from indicators.models import Indicator, ValueType
from indicators.readings import IndicatorReading
from reports import wording
from reports.document import chinese_number, first_level_heading, second_level_heading

RATE = Indicator(
    name="出庭应诉率",
    value_type=ValueType.RATE,
    unit="%",
    phrase_template="行政机关负责人出庭应诉率{rate}%",
    yoy_phrase_template="较上年{direction}{delta}个百分点",
)
COUNT = Indicator(
    name="行政复议案件",
    value_type=ValueType.COUNT,
    unit="件",
    phrase_template="全年办理行政复议案件{value}件",
    yoy_phrase_template="较上年{direction}{delta}件",
)
SCORE = Indicator(
    name="群众满意度",
    value_type=ValueType.AMOUNT,
    unit="分",
    phrase_template="群众满意度测评得分{value}分",
    yoy_phrase_template="较上年{direction}{delta}分",
)


def rate(num, den):
    return IndicatorReading(numerator=Decimal(num), denominator=Decimal(den))


def count(n):
    return IndicatorReading(value=Decimal(n))


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers_for_headings(n, text):
    assert chinese_number(n) == text


def test_headings_are_numbered_the_official_way():
    assert first_level_heading(2, "存在的不足和原因") == "二、存在的不足和原因"
    assert second_level_heading(3, "严格执法") == "（三）严格执法"


def test_a_rate_is_a_percentage_with_two_decimals():
    assert wording.value_text(RATE, rate(114, 115)) == "99.13%"
    assert wording.value_text(RATE, rate(114, 115), with_fraction=True) == "99.13%\n（114/115）"


def test_a_zero_denominator_reads_no_such_cases_never_zero_percent():
    assert wording.value_text(RATE, rate(0, 0)) == "无此类事项"


def test_a_count_keeps_its_unit():
    assert wording.value_text(COUNT, count(71)) == "71件"


def test_rate_change_is_in_percentage_points():
    assert wording.change_text(RATE, rate(114, 115), rate(321, 342)) == "提高5.27个百分点"
    assert wording.change_text(RATE, rate(321, 342), rate(114, 115)) == "下降5.27个百分点"


def test_count_change_is_in_percent():
    assert wording.change_text(COUNT, count(71), count(63)) == "增长12.7%"
    assert wording.change_text(COUNT, count(63), count(70)) == "下降10%"


def test_a_count_from_or_to_zero_says_the_absolute_change_not_a_percentage():
    assert wording.change_text(COUNT, count(5), count(0)) == "增加5件"
    assert wording.change_text(COUNT, count(0), count(3)) == "减少3件"


def test_a_score_changes_in_points_not_percent():
    assert wording.change_text(SCORE, count("91.5"), count(89)) == "提高2.5分"
    assert wording.change_text(SCORE, count(89), count("91.5")) == "下降2.5分"


def test_a_count_sentence_gives_the_absolute_then_the_relative_change():
    assert wording.figure_phrase(COUNT, count(71), count(63)) == "全年办理行政复议案件71件，较上年增加8件，增长12.7%"
    assert wording.figure_phrase(COUNT, count(63), count(70)) == "全年办理行政复议案件63件，较上年减少7件，下降10%"


def test_a_count_sentence_without_a_percentage_when_last_year_was_zero_or_equal():
    assert wording.figure_phrase(COUNT, count(5), count(0)) == "全年办理行政复议案件5件，较上年增加5件"
    assert wording.figure_phrase(COUNT, count(0), count(3)) == "全年办理行政复议案件0件，较上年减少3件"
    assert wording.figure_phrase(COUNT, count(5), count(5)) == "全年办理行政复议案件5件，与上年持平"
    assert wording.figure_phrase(COUNT, count(5), None) == "全年办理行政复议案件5件"


def test_a_rate_sentence_changes_in_percentage_points_only():
    assert (
        wording.figure_phrase(RATE, rate(114, 115), rate(321, 342))
        == "行政机关负责人出庭应诉率99.13%，较上年提高5.27个百分点"
    )


def test_a_score_sentence_has_no_relative_percentage():
    assert wording.figure_phrase(SCORE, count("91.5"), count(89)) == "群众满意度测评得分91.5分，较上年增加2.5分"


def test_a_template_that_already_says_the_percentage_is_not_given_a_second_one():
    spec = Indicator(
        name="x",
        value_type=ValueType.COUNT,
        unit="件",
        phrase_template="共{value}件",
        yoy_phrase_template="较上年{direction}{delta}件（{percent}%）",
    )
    assert wording.figure_phrase(spec, count(12), count(10)) == "共12件，较上年增加2件（20%）"


@pytest.mark.parametrize(
    ("num", "den", "text"), [(114, 115, "99.13%"), (997, 1000, "99.7%"), (225, 225, "100%"), (2, 3, "66.67%")]
)
def test_percentages_have_at_most_two_decimals_and_no_trailing_zeros_as_the_seeds_print_them(num, den, text):
    assert wording.value_text(RATE, rate(num, den)) == text


def test_no_change_reads_level_and_missing_year_a_dash():
    assert wording.change_text(COUNT, count(5), count(5)) == "持平"
    assert wording.change_text(COUNT, count(5), None) == "—"
    assert wording.change_text(RATE, rate(1, 2), rate(0, 0)) == "—"


def test_clauses_are_joined_with_semicolons_and_end_with_a_full_stop():
    assert (
        wording.sentence(["全年办理行政复议案件71件", "", "出庭应诉率99.13%。"])
        == "全年办理行政复议案件71件；出庭应诉率99.13%。"
    )
