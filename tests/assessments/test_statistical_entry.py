"""Statistical indicators (统计指标) on the entry page, in completion, submission checks and Excel."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.excel.bulk import bulk_template
from assessments.excel.department import department_template
from assessments.models import AnnualReturn
from assessments.services.submission import annual_return_submit
from indicators.models import IndicatorNature, ValueType

from .conftest import COMPLETE, fill_narratives
from .factories import IndicatorFactory, open_return, value_row
from .test_entry import save

STATISTICAL = {
    "name": "一审行政应诉案件数",
    "value_type": ValueType.COUNT,
    "unit": "件",
    "nature": IndicatorNature.STATISTICAL,
    "max_points": Decimal(0),
    "scoring_rule": "",
    "is_required": False,
}


@pytest.fixture
def framework(framework):
    """The small framework plus one statistical figure, added before any return is opened."""
    IndicatorFactory(
        framework=framework,
        group=framework.indicators.first().group,
        code="S1",
        name="一审行政应诉案件数",
        value_type=ValueType.COUNT,
        unit="件",
        nature=IndicatorNature.STATISTICAL,
        max_points=Decimal(0),
        scoring_rule="",
        is_required=False,
        order=20,
    )
    return framework


@pytest.fixture
def return_a(cast, framework) -> AnnualReturn:
    return open_return(cast.dept_a, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))


def stored(annual_return: AnnualReturn) -> tuple[int, int]:
    annual_return.refresh_from_db(fields=["filled_count", "item_count"])
    return annual_return.filled_count, annual_return.item_count


def test_a_statistical_figure_is_not_counted_in_completion(cast, return_a):
    assert stored(return_a) == (0, 4)
    save(return_a, cast.staff_a, "S1", {"value": "181"})
    assert stored(return_a) == (0, 4)


def test_a_return_with_every_scored_value_but_no_statistics_can_be_submitted(cast, return_a):
    for code, raw in COMPLETE.items():
        save(return_a, cast.staff_a, code, raw)
    fill_narratives(return_a)
    return_a.refresh_from_db()
    assert annual_return_submit(annual_return=return_a, user=cast.staff_a).status == AnnualReturn.Status.SUBMITTED


def test_the_entry_page_shows_the_statistical_figure_marked_and_unscored(client, cast, return_a):
    client.force_login(cast.staff_a)
    html = client.get(reverse("assessments:return_edit", args=[return_a.pk])).content.decode()
    start = html.index("一审行政应诉案件数")
    field = html[start : start + 1500]
    assert ">统计</span>" in field and "不计分" in field and "分值：" not in field


def test_the_department_workbook_names_the_statistical_figure(cast, return_a):
    sheet = load_workbook(io.BytesIO(department_template(return_a)))["填报表"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert rows["S1"][4].startswith("统计指标（不计分）")


def test_the_bulk_workbook_marks_the_statistical_column(cast, return_a):
    sheet = load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))["批量导入"]
    headers = [sheet.cell(1, column).value for column in range(1, sheet.max_column + 1)]
    assert sheet.cell(2, headers.index("S1") + 1).value == "［统计］一审行政应诉案件数（件）"


def test_a_swing_from_last_year_on_a_statistical_figure_warns_without_holding_up_submission(cast, framework):
    from assessments.selectors.checking import return_check
    from assessments.selectors.returns import return_data_load
    from indicators.models import IndicatorFramework

    from .factories import FrameworkFactory

    last_year = FrameworkFactory(year=2024, status=IndicatorFramework.Status.PUBLISHED)
    group = IndicatorFactory(framework=last_year, group__area__framework=last_year, code="S1", **STATISTICAL).group
    IndicatorFactory(framework=last_year, group=group, code="K1")
    save(open_return(cast.dept_a, last_year), cast.staff_a, "S1", {"value": "4"})
    this_year = open_return(cast.dept_a, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    save(this_year, cast.staff_a, "S1", {"value": "40"})
    problems = return_check(return_data_load(this_year)).by_indicator[value_row(this_year, "S1").indicator_id]
    assert [(problem.is_warning, problem.is_blocking) for problem in problems] == [(True, False)]
    assert problems[0].message.endswith("（可在“情况说明”中说明原因）")
