from decimal import Decimal

import pytest

from indicators.models import Indicator, ValueType
from indicators.presenting import Place, value_text
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


@pytest.mark.parametrize(
    ("num", "den", "text"), [(114, 115, "99.13%"), (997, 1000, "99.7%"), (225, 225, "100%"), (2, 3, "66.67%")]
)
def test_percentages_have_at_most_two_decimals_and_no_trailing_zeros_as_the_seeds_print_them(num, den, text):
    assert value_text(RATE, rate(num, den), Place.REPORT_SENTENCE) == text


def test_clauses_are_joined_with_semicolons_and_end_with_a_full_stop():
    assert (
        wording.sentence(["全年办理行政复议案件71件", "", "出庭应诉率99.13%。"])
        == "全年办理行政复议案件71件；出庭应诉率99.13%。"
    )
