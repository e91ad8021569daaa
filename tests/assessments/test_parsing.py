from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.limits import NUMBER_MAX, TEXT_VALUE_MAX_LENGTH
from assessments.parsing import (
    parse_amount,
    parse_boolean,
    parse_choice,
    parse_choices,
    parse_count,
    parse_date,
    parse_decimal,
    parse_rate,
    parse_text,
)

FULL_WIDTH = str.maketrans("0123456789,.%", "０１２３４５６７８９，．％")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("123", 123), ("１２３", 123), ("1,234", 1234), ("１，２３４", 1234), (" 12 ", 12), ("12件", 12), ("12 件次", 12)],
)
def test_count_tolerates_full_width_digits_separators_spaces_and_its_unit(typed, expected):
    assert parse_count(typed, unit="件").value == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "不能填写负数"),
        ("十二", "请用阿拉伯数字填写"),
        ("abc", "不是有效的数字"),
        ("1e5", "科学计数法"),
        ("12.5", "须填写整数"),
        ("1,23", "千位分隔符位置不对"),
        ("12个", "与本指标的单位“件”不一致"),
        ("99%", "不是百分比"),
        ("1.2.3", "只填写一个数字"),
        ("1" * 15, "数值过大"),
    ],
)
def test_count_rejects_bad_input_with_a_specific_chinese_message(typed, message):
    parsed = parse_count(typed, unit="件")
    assert parsed.value is None
    assert message in parsed.error


def test_empty_input_is_not_an_error_but_not_filled():
    assert parse_count("  ", unit="件").is_empty
    assert parse_count(None).is_valid


def test_amount_accepts_a_trailing_percent_when_its_unit_is_percent():
    assert parse_amount("99.5%", unit="%").value == Decimal("99.5")
    assert parse_amount("９９．５％", unit="%").value == Decimal("99.5")


def test_a_percentage_above_100_is_refused():
    assert "不能超过 100" in parse_amount("120", unit="%").error


def test_more_than_four_decimals_is_refused():
    assert "4 位小数" in parse_amount("1.23456", unit="万元").error


def test_chinese_full_stop_is_read_as_a_decimal_point_not_dropped():
    assert parse_amount("1。5", unit="万元").value == Decimal("1.5")


def test_rate_refuses_a_numerator_above_the_denominator():
    rate = parse_rate("51", "50")
    assert not rate.is_valid
    assert rate.errors == ["分子（51）不能大于分母（50），请检查"]


def test_rate_accepts_zero_over_zero_as_no_such_cases():
    rate = parse_rate("0", "0")
    assert rate.is_valid
    assert (rate.numerator.value, rate.denominator.value) == (0, 0)


def test_rate_parts_accept_count_units_and_full_width_digits():
    rate = parse_rate("４８件", "50人")
    assert (rate.numerator.value, rate.denominator.value) == (48, 50)


def test_rate_names_which_part_is_wrong():
    assert parse_rate("abc", "50").errors[0].startswith("分子：")


DATES = ["2025-03-01", "2025/3/1", "2025.3.1", "2025年3月1日", "20250301", "２０２５年３月１日"]


@pytest.mark.parametrize("typed", DATES)
def test_dates_are_read_in_the_usual_chinese_formats(typed):
    assert str(parse_date(typed).value) == "2025-03-01"


def test_a_date_that_does_not_exist_is_refused():
    assert "不存在" in parse_date("2025-02-30").error


@pytest.mark.parametrize(("typed", "expected"), [("是", True), ("否", False), ("有", True), ("无", False), ("1", True)])
def test_yes_no_words_are_understood(typed, expected):
    assert parse_boolean(typed).value is expected


def test_a_choice_not_offered_is_refused():
    assert "不是本指标的选项" in parse_choice("丙", options=["甲", "乙"]).error


def test_multiple_choices_come_back_in_the_frameworks_order_without_duplicates():
    assert parse_choices(["乙", "甲", "乙"], options=["甲", "乙", "丙"]).value == ["甲", "乙"]


def test_text_over_the_limit_is_refused_with_the_count():
    parsed = parse_text("字" * (TEXT_VALUE_MAX_LENGTH + 1))
    assert f"现为 {TEXT_VALUE_MAX_LENGTH + 1} 字" in parsed.error


# --- properties ------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=NUMBER_MAX))
def test_any_non_negative_integer_round_trips_in_plain_full_width_and_grouped_form(number):
    assert parse_count(str(number)).value == number
    assert parse_count(str(number).translate(FULL_WIDTH)).value == number
    assert parse_count(f"{number:,}").value == number
    assert parse_count(f"{number}件", unit="件").value == number


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_any_decimal_with_at_most_four_places_round_trips(number):
    assert parse_decimal(f"{number:f}").value == number


@given(st.integers(min_value=1, max_value=NUMBER_MAX))
def test_every_negative_number_is_refused(number):
    assert parse_decimal(f"-{number}").error == "不能填写负数"


@given(st.text(max_size=30))
def test_the_parser_never_raises_and_gives_a_value_or_an_error_or_nothing(text):
    parsed = parse_decimal(text, unit="件")
    assert parsed.is_empty or (parsed.value is None) == bool(parsed.error)
    if parsed.value is not None:
        assert 0 <= parsed.value <= NUMBER_MAX


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_a_rate_is_valid_exactly_when_the_numerator_does_not_exceed_the_denominator(top, bottom):
    assert parse_rate(str(top), str(bottom)).is_valid == (top <= bottom)


def test_a_unit_containing_a_numeral_character_is_still_accepted_as_the_unit():
    assert parse_amount("3.5万元", unit="万元").value == Decimal("3.5")


def test_a_chinese_numeral_after_digits_is_refused():
    assert "阿拉伯数字" in parse_count("3万", unit="件").error
