"""Reports never turn 不适用, 暂无数据, an empty value or a rate of which one part is known into a
claim; the parts of a rate add up independently; contradicting figures get no sentence."""

from decimal import Decimal

import pytest

from assessments.models import IndicatorValue
from indicators.models import IndicatorFramework, ValidationRule
from indicators.presenting import Place, value_text
from indicators.readings import IndicatorReading
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.kinds.government_annual import government_report_data

from .builders import annual_return, framework, two_years_for

pytestmark = pytest.mark.django_db
D = Decimal


def _figure(data, code):
    return next(f for f in data.figures if f.indicator.code == code)


def _set(annual_return_, code, **columns):
    IndicatorValue.objects.filter(annual_return=annual_return_, indicator__code=code).update(**columns)


def _text(document) -> str:
    parts = []

    def walk(section):
        parts.extend(block.text for block in section.blocks if hasattr(block, "text"))
        for sub in section.subsections:
            walk(sub)

    for section in document.sections:
        walk(section)
    return "\n".join(parts)


@pytest.fixture
def rate_indicator(db):
    return framework(2030).indicators.get(code="G2.2")


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        (IndicatorReading(state="not_applicable", reason="无复议职能"), "不适用"),
        (IndicatorReading(state="not_available", reason="口径未建立"), "暂无数据"),
        (IndicatorReading(numerator=D(0), denominator=D(0)), "无此类事项"),
        (IndicatorReading(denominator=D(181)), "无法计算"),
    ],
)
def test_a_table_cell_shows_each_state_as_itself(rate_indicator, reading, expected):
    assert value_text(rate_indicator, reading, Place.REPORT_SENTENCE) == expected


def test_a_rate_with_one_part_shows_that_part_as_a_count_in_the_table(rate_indicator):
    rate_indicator.denominator_unit = "件"
    cell = value_text(rate_indicator, IndicatorReading(denominator=D(181)), Place.REPORT_TABLE)
    assert cell == "无法计算\n（开庭审理案件数181件）"


def test_not_applicable_is_neither_a_shortfall_nor_a_sentence(cast):
    current = two_years_for(cast.dept_a)
    _set(current, "G2.2", numerator=None, denominator=None, state="not_applicable", state_reason="无此职能")
    data = department_report_data(department=cast.dept_a, year=2025)
    figure = _figure(data, "G2.2")
    assert figure.meets_target is None and not figure.is_sayable
    text = _text(department_report_document(data, options={}))
    assert "出庭应诉率" not in text
    assert "0%" not in text


def test_a_rate_with_only_its_denominator_makes_no_rate_claim(cast):
    current = two_years_for(cast.dept_a)
    _set(current, "G2.2", numerator=None, denominator=181)
    data = department_report_data(department=cast.dept_a, year=2025)
    figure = _figure(data, "G2.2")
    assert (figure.numerator, figure.denominator, figure.meets_target) == (None, D(181), None)
    text = _text(department_report_document(data, options={}))
    assert "出庭应诉率100%" not in text and "出庭应诉率0%" not in text


def test_contradicting_figures_are_marked_and_get_no_sentence(cast):
    current = two_years_for(cast.dept_a)
    ValidationRule.objects.create(
        framework=current.framework,
        code="XG2",
        expression="G2.2.den <= G2.1",
        message="开庭审理案件数不能多于行政复议案件数",
        is_relation=True,
    )
    data = department_report_data(department=cast.dept_a, year=2025)  # 115 hearings, 71 cases
    assert _figure(data, "G2.2").is_contradicted and _figure(data, "G2.1").is_contradicted
    text = _text(department_report_document(data, options={}))
    assert "全年办理行政复议案件71件" not in text


def test_the_parts_of_a_rate_add_up_independently_across_units(cast):
    two_years_for(cast.dept_a)  # G2.2 114/115
    fw2025 = IndicatorFramework.objects.get(year=2025)
    other = annual_return(cast.dept_b, fw2025, G2_1=9, G2_2=(1, 5))
    _set(other, "G2.2", numerator=None)  # only 5 hearings known
    data = government_report_data(government=cast.city, year=2025)
    figure = _figure(data, "G2.2")
    assert (figure.current.numerator, figure.current.denominator) == (D(114), D(115))  # the rate: complete pairs
    assert (figure.numerator_total, figure.denominator_total) == (D(114), D(120))
    assert figure.partial_units == (cast.dept_b.name,)


def test_units_reporting_not_applicable_add_nothing_and_are_named(cast):
    two_years_for(cast.dept_a)
    fw2025 = IndicatorFramework.objects.get(year=2025)
    other = annual_return(cast.dept_b, fw2025, G2_1=9)
    IndicatorValue.objects.create(
        annual_return=other, indicator=fw2025.indicators.get(code="G2.2"), state="not_applicable", state_reason="无"
    )
    data = government_report_data(government=cast.city, year=2025)
    figure = _figure(data, "G2.2")
    assert (figure.current.numerator, figure.current.denominator) == (D(114), D(115))
    assert figure.not_applicable_units == (cast.dept_b.name,)
    assert figure.units_judged == 1
