"""The presenter's specification: each kind of value, in each place it is shown, reads exactly so.
Dates are written one way everywhere (2025年4月10日), through Django's localisation."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from indicators.models import Indicator, TargetOperator, ValueType
from indicators.presenting import (
    Place,
    date_text,
    datetime_text,
    figure_text,
    number_text,
    percent_text,
    target_text,
    time_text,
    value_text,
)
from indicators.readings import IndicatorReading

BASE_DIR = Path(settings.BASE_DIR)
APPS = ("accounts", "audit", "indicators", "assessments", "reviews", "congress", "reports", "spreadsheets", "lawgov")
D = Decimal

RATE = Indicator(
    value_type=ValueType.RATE,
    numerator_label="审结案件数",
    numerator_unit="件",
    denominator_label="受理案件数",
    denominator_unit="件",
)
UNNAMED_RATE = Indicator(value_type=ValueType.RATE)
COUNT = Indicator(value_type=ValueType.COUNT, unit="件")
AMOUNT = Indicator(value_type=ValueType.AMOUNT, unit="万元")
BOOLEAN = Indicator(value_type=ValueType.BOOLEAN)
DATE = Indicator(value_type=ValueType.DATE)
CHOICES = Indicator(value_type=ValueType.MULTIPLE_CHOICE)
CHOICE = Indicator(value_type=ValueType.SINGLE_CHOICE)
TEXT = Indicator(value_type=ValueType.TEXT)

E, R, T, S, X, A = (
    Place.ENTRY,
    Place.REVIEW,
    Place.REPORT_TABLE,
    Place.REPORT_SENTENCE,
    Place.EXCEL,
    Place.AUDIT,
)
NA = IndicatorReading(state="not_applicable", reason="本单位无行政复议职能")
NO_DATA = IndicatorReading(state="not_available", reason="统计口径未建立")
NA_BARE = IndicatorReading(state="not_applicable")

# (case, indicator, reading, {place: exact text}); every case names every place.
TABLE = [
    ("rate", RATE, IndicatorReading(numerator=D(48), denominator=D(50)),
     {E: "96%（48/50）", R: "96%（48/50）", T: "96%\n（48/50）", S: "96%", X: "48/50", A: "48/50"}),
    ("rate rounded half up", RATE, IndicatorReading(numerator=D(114), denominator=D(115)),
     {E: "99.13%（114/115）", R: "99.13%（114/115）", T: "99.13%\n（114/115）", S: "99.13%", X: "114/115",
      A: "114/115"}),
    ("rate of nothing (0/0)", RATE, IndicatorReading(numerator=D(0), denominator=D(0)),
     {E: "无此类事项（0/0）", R: "无此类事项（0/0）", T: "无此类事项", S: "无此类事项", X: "0/0", A: "0/0"}),
    ("rate with only its denominator", RATE, IndicatorReading(denominator=D(71)),
     {E: "无法计算（受理案件数71件，审结案件数未填）", R: "无法计算（受理案件数71件，审结案件数未填）",
      T: "无法计算\n（受理案件数71件）", S: "无法计算", X: "未填/71", A: "未填/71"}),
    ("rate with only its numerator, parts unnamed", UNNAMED_RATE, IndicatorReading(numerator=D(3)),
     {E: "无法计算（分母未填，分子3）", R: "无法计算（分母未填，分子3）", T: "无法计算\n（分子3）", S: "无法计算",
      X: "3/未填", A: "3/未填"}),
    ("rate not entered", RATE, IndicatorReading(),
     {E: "", R: "", T: "未填报", S: "未填报", X: "", A: ""}),
    ("count", COUNT, IndicatorReading(value=D(12)),
     {E: "12件", R: "12件", T: "12件", S: "12件", X: "12", A: "12"}),
    ("zero count", COUNT, IndicatorReading(value=D(0)),
     {E: "0件", R: "0件", T: "0件", S: "0件", X: "0", A: "0"}),
    ("amount without trailing zeros", AMOUNT, IndicatorReading(value=D("95.50")),
     {E: "95.5万元", R: "95.5万元", T: "95.5万元", S: "95.5万元", X: "95.5", A: "95.5"}),
    ("count not entered", COUNT, IndicatorReading(),
     {E: "", R: "", T: "未填报", S: "未填报", X: "", A: ""}),
    ("no reading at all", COUNT, None,
     {E: "", R: "", T: "未填报", S: "未填报", X: "", A: ""}),
    ("yes", BOOLEAN, IndicatorReading(value=True),
     {E: "是", R: "是", T: "是", S: "是", X: "是", A: "是"}),
    ("no", BOOLEAN, IndicatorReading(value=False),
     {E: "否", R: "否", T: "否", S: "否", X: "否", A: "否"}),
    ("date", DATE, IndicatorReading(value=datetime.date(2025, 3, 1)),
     {E: "2025年3月1日", R: "2025年3月1日", T: "2025年3月1日", S: "2025年3月1日", X: "2025-03-01",
      A: "2025年3月1日"}),
    ("choices", CHOICES, IndicatorReading(value=("甲", "乙")),
     {E: "甲、乙", R: "甲、乙", T: "甲、乙", S: "甲、乙", X: "甲、乙", A: "甲、乙"}),
    ("choice", CHOICE, IndicatorReading(value="甲"),
     {E: "甲", R: "甲", T: "甲", S: "甲", X: "甲", A: "甲"}),
    ("text", TEXT, IndicatorReading(value="已建立制度"),
     {E: "已建立制度", R: "已建立制度", T: "已建立制度", S: "已建立制度", X: "已建立制度", A: "已建立制度"}),
    ("不适用 of a rate", RATE, NA,
     {E: "不适用（本单位无行政复议职能）", R: "不适用（本单位无行政复议职能）", T: "不适用", S: "不适用",
      X: "不适用：本单位无行政复议职能", A: "不适用（本单位无行政复议职能）"}),
    ("暂无数据 of a count", COUNT, NO_DATA,
     {E: "暂无数据（统计口径未建立）", R: "暂无数据（统计口径未建立）", T: "暂无数据", S: "暂无数据",
      X: "暂无数据：统计口径未建立", A: "暂无数据（统计口径未建立）"}),
    ("不适用 without a reason", COUNT, NA_BARE,
     {E: "不适用", R: "不适用", T: "不适用", S: "不适用", X: "不适用", A: "不适用"}),
]  # fmt: skip


def test_the_table_names_every_place_for_every_case():
    assert all(set(texts) == set(Place) for _, _, _, texts in TABLE)


@pytest.mark.parametrize(
    ("indicator", "reading", "place", "expected"),
    [
        pytest.param(indicator, reading, place, text, id=f"{case} @ {place}")
        for case, indicator, reading, texts in TABLE
        for place, text in texts.items()
    ],
)
def test_a_value_reads_exactly_so_in_each_place(indicator, reading, place, expected):
    assert value_text(indicator, reading, place) == expected


def test_the_entry_and_review_pages_show_every_value_alike():
    for _, indicator, reading, _ in TABLE:
        assert value_text(indicator, reading, Place.ENTRY) == value_text(indicator, reading, Place.REVIEW)


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        (IndicatorReading(numerator=D(48), denominator=D(50)), "96"),
        (IndicatorReading(value=D("12.50")), "12.5"),
        (IndicatorReading(value=True), "是"),
        (IndicatorReading(value=datetime.date(2025, 3, 1)), "2025年3月1日"),
        (IndicatorReading(value=("甲", "乙")), "甲、乙"),
        (IndicatorReading(), ""),
    ],
)
def test_a_phrase_placeholder_gets_the_figure_without_its_unit(reading, expected):
    assert figure_text(reading) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("12.000"), "12"), (D("95.50"), "95.5"), (D("0.05"), "0.05"), (7, "7"), (D("1E+2"), "100"), (None, "")],
)
def test_numbers_are_half_width_without_trailing_zeros(value, expected):
    assert number_text(value) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [(114, 115, "99.13%"), (997, 1000, "99.7%"), (225, 225, "100%"), (2, 3, "66.67%")],
)
def test_percentages_have_at_most_two_decimals_and_no_trailing_zeros_as_the_seeds_print_them(
    numerator, denominator, text
):
    reading = IndicatorReading(numerator=D(numerator), denominator=D(denominator))
    assert value_text(RATE, reading, Place.REPORT_SENTENCE) == text


def test_a_missing_rate_is_no_cases_never_zero_percent():
    assert percent_text(None) == "无此类事项"
    assert percent_text(D("99.70")) == "99.7%"


RATE_TARGET = Indicator(value_type=ValueType.RATE, target_operator=TargetOperator.GTE, target_value=D(100))
NONE_ALLOWED = Indicator(value_type=ValueType.COUNT, unit="件", target_operator=TargetOperator.LTE, target_value=D(0))
DATE_TARGET = Indicator(value_type=ValueType.DATE, target_date=datetime.date(2026, 3, 1))
NOTE_AND_FIGURE = Indicator(
    value_type=ValueType.RATE, target_operator=TargetOperator.GTE, target_value=D(90), target_note="一季度内达到90%"
)
NO_TARGET = Indicator(value_type=ValueType.COUNT)

TARGETS = [
    ("rate", RATE_TARGET, {E: "≥100%", R: "≥100%", T: "≥100%", S: "不低于100%", X: "≥100%", A: "≥100%"}),
    ("none may occur", NONE_ALLOWED, {E: "≤0件", R: "≤0件", T: "0件", S: "不超过0件", X: "≤0件", A: "≤0件"}),
    ("date", DATE_TARGET, dict.fromkeys(Place, "2026年3月1日前")),
    ("note and figure", NOTE_AND_FIGURE,
     {E: "一季度内达到90%", R: "一季度内达到90%", T: "≥90%", S: "不低于90%", X: "一季度内达到90%",
      A: "一季度内达到90%"}),
    ("none", NO_TARGET, {E: "", R: "", T: "—", S: "", X: "", A: ""}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("indicator", "place", "expected"),
    [
        pytest.param(indicator, place, text, id=f"{case} @ {place}")
        for case, indicator, texts in TARGETS
        for place, text in texts.items()
    ],
)
def test_a_target_reads_exactly_so_in_each_place(indicator, place, expected):
    assert target_text(indicator, place) == expected


# --- dates -------------------------------------------------------------------------------------


def test_a_date_reads_year_month_day_without_leading_zeros():
    assert date_text(datetime.date(2025, 4, 10)) == "2025年4月10日"


def test_a_date_reads_the_same_where_no_language_is_active():
    """Celery tasks and management commands write messages too, with no request to pick a language."""
    with translation.override(None):
        assert date_text(datetime.date(2026, 12, 27)) == "2026年12月27日"


def test_an_aware_datetime_is_read_in_local_time():
    late_evening_utc = datetime.datetime(2025, 4, 9, 17, 30, tzinfo=datetime.UTC)  # 01:30 on the 10th in Beijing
    assert date_text(late_evening_utc) == "2025年4月10日"
    assert datetime_text(late_evening_utc) == "2025年4月10日 01:30"


def test_a_saved_time_reads_in_local_time_as_the_templates_date_filter_writes_it():
    late_evening_utc = datetime.datetime(2025, 4, 9, 17, 5, tzinfo=datetime.UTC)
    assert time_text(late_evening_utc) == "01:05"
    assert time_text(late_evening_utc) == Template('{{ when|date:"H:i" }}').render(Context({"when": late_evening_utc}))


def test_nothing_reads_as_the_empty_string():
    assert date_text(None) == "" and datetime_text(None) == ""


def test_templates_use_the_localised_formats_not_hand_typed_ones():
    """`|date` (DATE_FORMAT), `|date:"DATETIME_FORMAT"`, …: a literal like "Y-m-d" or "Y年n月j日"
    is how three spellings of a date crept in."""
    literal = re.compile(r"""\|date:["'](?![A-Z_]+["'])(?!H:i["'])[^"']*["']""")
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path in (BASE_DIR / "templates").rglob("*.html")
        for match in literal.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


HAND_TYPED_DATE = re.compile(r"%Y年|%m月|%Y-%m-%d\}|\.month\}月|年\{[a-z_.]*month\}|[\"']Y年n月j日")


def test_python_code_does_not_spell_dates_by_hand():
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for folder in (*APPS, "bench", "tests")
        for path in (BASE_DIR / folder).rglob("*.py")
        if "migrations" not in path.parts and path.name != "formats.py" and path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_TYPED_DATE.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "line",
    ['f"{day.year}年{day.month}月{day.day}日"', "day.strftime('%Y年%m月%d日')", 'date_format(day, "Y年n月j日")'],
)
def test_the_hand_typed_date_check_catches_each_spelling(line):
    assert HAND_TYPED_DATE.search(line)


def test_pages_print_a_computed_percentage_as_reports_do():
    """Congress pages used to print 91.50% where the report says 91.5%."""
    template = Template("{% load indicator_format %}{{ share|percent }} {{ none|percent }}")
    assert template.render(Context({"share": D("91.50"), "none": None})) == "91.5% —"
