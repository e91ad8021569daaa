from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.models import NarrativeSection
from indicators.models import Indicator, IndicatorFramework, TargetOperator, ValueType
from indicators.readings import IndicatorReading
from reports.document import Chart
from reports.kinds import ReportDataMissing
from reports.kinds.government_annual import (
    government_report_data,
    government_report_document,
    rates_furthest_below_target,
    target_chart,
)
from reports.pdf import render_pdf
from tests.factories import DepartmentFactory

from .builders import annual_return, framework, two_years_for
from .pdf_text import pdf_to_text, squeeze

pytestmark = pytest.mark.django_db


def _city_returns(cast, *, dept_b_losses=(0, 0)):
    two_years_for(cast.dept_a)
    fw2024, fw2025 = IndicatorFramework.objects.order_by("year")
    annual_return(cast.dept_b, fw2024, G2_1=7, G2_2=(3, 4))
    annual_return(cast.dept_b, fw2025, G2_1=9, G2_2=(1, 5), G2_3=dept_b_losses)


@pytest.fixture
def city_data(cast):
    """dept_a: 114/115 出庭 (99.13%); dept_b: 1/5 (20%). Citywide 115/120 = 95.83%, while the
    average of the two rates would be 59.57%: the report must say 95.83%."""
    _city_returns(cast)
    return government_report_data(government=cast.city, year=2025)


def _figure(data, code):
    return next(f for f in data.figures if f.indicator.code == code)


def test_a_citywide_rate_is_the_sum_of_numerators_over_the_sum_of_denominators(city_data):
    figure = _figure(city_data, "G2.2")

    assert (figure.current.numerator, figure.current.denominator) == (115, 120)
    assert figure.current.rate == Decimal("95.83")


def test_last_years_citywide_rate_is_aggregated_the_same_way(city_data):
    figure = _figure(city_data, "G2.2")

    assert (figure.previous.numerator, figure.previous.denominator) == (324, 346)


def test_counts_are_summed(city_data):
    assert _figure(city_data, "G2.1").current.value == 80


def test_a_rate_with_no_cases_anywhere_reads_no_such_cases(city_data):
    assert _figure(city_data, "G2.3").current.has_no_cases


def test_units_meeting_each_target_are_counted(city_data):
    figure = _figure(city_data, "G2.2")

    assert (figure.units_meeting, figure.units_judged) == (0, 2)
    assert figure.units_below == ("测试市甲局", "测试县乙镇人民政府")


def test_a_county_report_covers_only_its_branch(cast, city_data):
    county = government_report_data(government=cast.county, year=2025)

    assert _figure(county, "G2.2").current.denominator == 5


def test_the_document_writes_the_aggregated_figures_and_the_target_counts(city_data):
    document = government_report_document(city_data, options={})

    text = document.all_text()
    assert document.title == "测试市人民政府关于2025年度法治政府建设情况的报告"
    assert document.addressee == "中共测试市委员会、测试市人大常委会："
    assert "全年办理行政复议案件80件，较上年增加10件，增长14.29%" in text
    assert "行政机关负责人出庭应诉率为95.83%，较上年提高2.19个百分点，但仍低于100%的目标，2个单位均未达到目标" in text
    assert "（共2个）" not in text
    assert "59.57" not in text


def test_the_selector_query_count_does_not_grow_with_the_number_of_units(cast, django_assert_max_num_queries):
    two_years_for(cast.dept_a)
    fw2025 = IndicatorFramework.objects.get(year=2025)

    for n in range(6):
        annual_return(DepartmentFactory(code=f"X{n}", parent=cast.city), fw2025, G2_1=n, G2_2=(n, n + 1))

    with django_assert_max_num_queries(7):
        government_report_data(government=cast.city, year=2025)


def test_no_returns_in_the_branch_cannot_be_reported(cast):
    framework(2025)

    with pytest.raises(ReportDataMissing, match="尚无2025年度填报"):
        government_report_data(government=cast.county, year=2025)


def test_the_pdf_says_the_aggregated_rate(city_data):
    pdf = render_pdf(
        "reports/pdf/government_annual.html", {"document": government_report_document(city_data, options={})}
    )

    text = squeeze(pdf_to_text(pdf))
    assert "行政机关负责人出庭应诉率为95.83%，较上年提高2.19个百分点" in text
    assert "95.83%（115/120）" in text


def test_last_year_is_compared_like_for_like_over_the_units_reporting_this_year(cast):
    """dept_b reported in 2024 but not yet in 2025: its 2024 cases must not make 2025 look lower."""
    two_years_for(cast.dept_a)
    fw2024 = IndicatorFramework.objects.get(year=2024)
    annual_return(cast.dept_b, fw2024, G2_1=500, G2_2=(1, 100))

    figure = _figure(government_report_data(government=cast.city, year=2025), "G2.1")

    assert (figure.current.value, figure.previous.value) == (71, 63)


def test_the_governments_own_narrative_goes_to_the_area_it_names(cast):
    two_years_for(cast.dept_a)
    fw2025 = IndicatorFramework.objects.get(year=2025)
    annual_return(
        cast.city,
        fw2025,
        G2_1=9,
        narratives={
            NarrativeSection.Kind.MEASURES: (
                "全市法治政府建设稳步推进。\n（一）社会矛盾纠纷依法有效化解\n行政争议化解中心挂牌运行。"
            )
        },
    )

    document = government_report_document(government_report_data(government=cast.city, year=2025), options={})

    measures = document.sections[0]
    assert [p.text for p in measures.blocks] == ["全市法治政府建设稳步推进。"]
    assert measures.subsections[0].blocks[0].text == "行政争议化解中心挂牌运行。"
    assert measures.subsections[0].blocks[1].text.startswith("全年办理行政复议案件80件")


def _rate_figure(code, rate_num, rate_den, *, target=Decimal(100), operator=TargetOperator.GTE):
    indicator = Indicator(
        code=code, name=f"指标{code}比率", value_type=ValueType.RATE, unit="%", target_operator=operator,
        target_value=target,
    )  # fmt: skip
    return SimpleNamespace(
        indicator=indicator, current=IndicatorReading(numerator=Decimal(rate_num), denominator=Decimal(rate_den))
    )


def test_the_chart_takes_the_eight_rates_furthest_below_their_targets_in_framework_order():
    figures = [_rate_figure(f"R{n}", 100 - n, 100) for n in range(10)]  # R9 is furthest below 100%

    chosen = rates_furthest_below_target(figures)

    assert [f.indicator.code for f in chosen] == [f"R{n}" for n in range(2, 10)]


def test_rates_with_a_not_more_than_target_are_not_charted():
    figures = [_rate_figure("R1", 9, 10), _rate_figure("L1", 30, 100, target=Decimal(5), operator=TargetOperator.LTE)]

    assert [f.indicator.code for f in rates_furthest_below_target(figures)] == ["R1"]


def test_the_chart_draws_each_rate_beside_its_target():
    chart = target_chart([_rate_figure("R1", 9, 10), _rate_figure("R2", 1, 2)], year=2025, place="测试市")

    assert chart.caption == "2025年度测试市主要比率指标与目标值对比"
    assert chart.svg.startswith('<svg font-family="Noto Sans CJK SC"')
    for label in ("目标值", "2025年测试市", "指标R1比率", "指标R2比率"):
        assert label in chart.svg


def test_no_chart_with_fewer_than_two_rates_to_compare():
    assert target_chart([_rate_figure("R1", 9, 10)], year=2025, place="测试市") is None


def test_the_government_pdf_carries_the_chart(cast):
    """出庭应诉率 95.83% against ≥100%, and 败诉率 given a ≥50% target for the test: 3/4 = 75%."""
    framework(2024)
    framework(2025).indicators.filter(code="G2.3").update(target_operator=TargetOperator.GTE, target_value=50)
    _city_returns(cast, dept_b_losses=(3, 4))
    document = government_report_document(government_report_data(government=cast.city, year=2025), options={})

    pdf = render_pdf("reports/pdf/government_annual.html", {"document": document})

    assert isinstance(document.appendices[0].blocks[-1], Chart)
    text = squeeze(pdf_to_text(pdf))
    assert "2025年度测试市主要比率指标与目标值对比" in text
    assert "2025年测试市" in text
