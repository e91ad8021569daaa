from decimal import Decimal

import pytest

from indicators.models import Indicator, ValueType
from indicators.readings import IndicatorReading
from reports import wording
from reports.document import chinese_number, first_level_heading, second_level_heading

RATE = Indicator(name="出庭应诉率", value_type=ValueType.RATE, unit="%")
COUNT = Indicator(name="行政复议案件", value_type=ValueType.COUNT, unit="件")


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
    assert wording.change_text(COUNT, count(63), count(70)) == "减少10%"


def test_no_change_reads_level_and_missing_year_a_dash():
    assert wording.change_text(COUNT, count(5), count(5)) == "持平"
    assert wording.change_text(COUNT, count(5), None) == "—"
    assert wording.change_text(RATE, rate(1, 2), rate(0, 0)) == "—"


def test_clauses_are_joined_with_semicolons_and_end_with_a_full_stop():
    assert (
        wording.sentence(["全年办理行政复议案件71件", "", "出庭应诉率99.13%。"])
        == "全年办理行政复议案件71件；出庭应诉率99.13%。"
    )
