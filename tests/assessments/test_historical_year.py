"""历史数据年度: the bureau opens a past year with no deadline, imports every unit's figures from one
workbook, and the next year's reports say 较上年 against them."""

import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import load_workbook

from assessments.excel.bulk import bulk_preview, bulk_template
from assessments.excel.common import preview_token, read_preview_token
from assessments.models import AnnualReturn, ReturnTransition
from assessments.selectors.deadlines import is_overdue
from assessments.selectors.opening import openable_frameworks
from assessments.services.errors import ReturnActionError
from assessments.services.excel_import import bulk_import_apply
from assessments.services.historical import historical_year_open, historical_year_prepare
from assessments.services.opening import year_deadline_change, year_open
from assessments.services.workflow import apply_transition, lock_return
from audit.models import AuditEvent
from indicators.models import IndicatorFramework
from indicators.services import framework_clone, framework_load_default
from indicators.targets import target_warnings
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.kinds.government_annual import government_report_data, government_report_document
from reviews.models import ReviewAuditEntry, ScoreSheet
from reviews.services.errors import ReviewError
from reviews.services.scoring import historical_year_score

pytestmark = pytest.mark.django_db


def day(year, month, date):
    return datetime.date(year, month, date)


@pytest.fixture
def default(db) -> IndicatorFramework:
    return framework_load_default(publish=True)[0]


@pytest.fixture
def year_2021(cast, default) -> IndicatorFramework:
    framework = historical_year_prepare(year=2021, source=default, user=cast.reviewer)
    historical_year_open(framework=framework, user=cast.reviewer)
    framework.refresh_from_db()
    return framework


def bulk_import(cast, year: int, edits: dict[str, dict[str, object]]) -> int:
    """The bureau downloads the year's wide workbook, types figures in, uploads, confirms."""
    workbook = load_workbook(io.BytesIO(bulk_template(cast.reviewer, year)))
    sheet = workbook["批量导入"]
    headers = {sheet.cell(1, column).value: column for column in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    for code, cells in edits.items():
        for header, value in cells.items():
            sheet.cell(rows[code], headers[header]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = bulk_preview(cast.reviewer, year, buffer.getvalue())
    assert preview.errors == ()
    scope = f"bulk:{year}"
    token = preview_token(preview.changes, user_id=cast.reviewer.pk, scope=scope)
    changes = read_preview_token(token, user_id=cast.reviewer.pk, scope=scope)
    return bulk_import_apply(year=year, changes=changes, user=cast.reviewer).values


def submitted(annual_return: AnnualReturn, user, when: datetime.datetime) -> None:
    apply_transition(
        lock_return(annual_return),
        "submit",
        user=user,
        extra_fields={"submitted_at": when, "first_submitted_at": when, "submitted_by": user},
    )


def text_of(document, template: str) -> str:
    return strip_tags(render_to_string(template, {"document": document}))


# --- opening a past year -------------------------------------------------------------------------


def test_opening_2021_the_normal_way_is_refused_for_its_deadline(cast, default):
    framework = framework_load_default(year=2021, publish=True)[0]
    with pytest.raises(ReturnActionError, match="截止日期不能晚于2022年12月31日"):
        year_open(framework=framework, deadline=day(2026, 12, 31), user=cast.reviewer, today=day(2026, 12, 6))


def test_a_historical_year_is_a_copy_of_the_default_marked_historical_and_left_as_a_draft(cast, default):
    framework = historical_year_prepare(year=2021, source=default, user=cast.reviewer)
    assert (framework.year, framework.is_historical, framework.status) == (2021, True, "draft")
    assert framework.cloned_from == default
    assert framework.indicators.count() == default.indicators.count()
    assert AuditEvent.objects.filter(object_id=str(framework.pk), after__历史数据年度=2021).exists()


def test_opening_it_publishes_it_and_opens_every_unit_with_no_deadline(cast, year_2021):
    returns = AnnualReturn.objects.filter(year=2021)
    assert year_2021.status == IndicatorFramework.Status.PUBLISHED
    assert returns.count() == 5 and not returns.filter(deadline__isnull=False).exists()
    assert not any(is_overdue(annual_return, day(2030, 1, 1)) for annual_return in returns)
    assert ReturnTransition.objects.filter(annual_return__year=2021, comment__contains="无截止日期").count() == 5
    assert AuditEvent.objects.filter(object_id=str(year_2021.pk), after__开启历史数据年度=2021).exists()


def test_a_historical_framework_is_not_offered_to_the_normal_opening(cast, year_2021):
    assert year_2021 not in openable_frameworks()
    with pytest.raises(ReturnActionError, match="历史数据年度"):
        year_open(framework=year_2021, deadline=day(2022, 3, 1), user=cast.reviewer, today=day(2022, 1, 1))


def test_a_historical_year_has_no_deadline_to_move(cast, year_2021):
    with pytest.raises(ReturnActionError, match="历史数据年度"):
        year_deadline_change(year=2021, deadline=day(2027, 3, 1), reason="补录", user=cast.reviewer)


@pytest.mark.parametrize(
    ("year", "message"),
    [(2026, "以前年度"), (1999, "以前年度"), (2025, "已经开启填报")],
    ids=["this-year", "too-early", "already-open"],
)
def test_a_year_that_is_not_a_past_year_without_returns_is_refused(cast, default, year, message):
    framework_2025 = default
    year_open(framework=framework_2025, deadline=day(2026, 3, 1), user=cast.reviewer, today=day(2026, 1, 5))
    with pytest.raises(ReturnActionError, match=message):
        historical_year_prepare(year=year, source=default, user=cast.reviewer, today=day(2026, 12, 6))


def test_only_the_bureau_opens_a_historical_year(cast, default):
    from assessments.services.errors import TransitionNotAllowed

    for user in (cast.staff_a, cast.reviewer_scoped, cast.congress):
        with pytest.raises(TransitionNotAllowed):
            historical_year_prepare(year=2021, source=default, user=user)


def test_the_bureaus_import_of_a_historical_year_covers_its_own_unit(cast, year_2021):
    assert bulk_import(cast, 2021, {"C001": {"G2.5": 3}}) == 1
    value = AnnualReturn.objects.get(department=cast.justice_bureau, year=2021).values.get(indicator__code="G2.5")
    assert value.value_integer == 3


def test_the_bureaus_import_of_a_regular_year_still_leaves_out_its_own_unit(cast, default):
    year_open(framework=default, deadline=day(2026, 3, 1), user=cast.reviewer, today=day(2026, 1, 5))
    workbook = load_workbook(io.BytesIO(bulk_template(cast.reviewer, default.year)))
    codes = {row[0].value for row in workbook["批量导入"].iter_rows(min_row=3)}
    assert "C000" in codes and "C001" not in codes


def test_the_historical_year_is_not_scored_on_its_own(cast, year_2021):
    bulk_import(cast, 2021, {"C002": {"G2.5": 5}})
    assert not ScoreSheet.objects.filter(year=2021).exists()


def test_the_bureau_asks_for_scoring_and_every_unit_of_the_year_gets_a_ranked_sheet(cast, year_2021):
    bulk_import(cast, 2021, {"C002": {"G2.1.num": 9, "G2.1.den": 10}})
    outcome = historical_year_score(year=2021, user=cast.reviewer)
    sheets = ScoreSheet.objects.filter(year=2021)
    assert outcome.scored == outcome.changed == 5 == sheets.count()
    assert not sheets.filter(rank__isnull=True).exists()
    audit = ReviewAuditEntry.objects.get(action="historical_year_score", year=2021)
    assert (audit.user, audit.after["评分单位数"]) == (cast.reviewer, 5)


def test_asking_again_with_unchanged_figures_writes_no_sheet(cast, year_2021):
    historical_year_score(year=2021, user=cast.reviewer)
    assert historical_year_score(year=2021, user=cast.reviewer).changed == 0


def test_asking_again_after_a_reimport_rescores_the_unit_whose_figures_changed(cast, year_2021):
    historical_year_score(year=2021, user=cast.reviewer)
    bulk_import(cast, 2021, {"C002": {"G2.1.num": 9, "G2.1.den": 10}})
    assert historical_year_score(year=2021, user=cast.reviewer).changed == 1


def test_a_regular_year_is_not_scored_through_the_historical_path(cast, default):
    year_open(framework=default, deadline=day(2026, 3, 1), user=cast.reviewer, today=day(2026, 1, 5))
    with pytest.raises(ReviewError, match="不是历史数据年度"):
        historical_year_score(year=default.year, user=cast.reviewer)
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("role", ["staff_a", "reviewer_scoped", "congress"])
def test_only_the_bureau_asks_for_scoring_a_historical_year(cast, year_2021, role):
    with pytest.raises(ReviewError, match="只有司法局"):
        historical_year_score(year=2021, user=cast.user(role))
    assert not ScoreSheet.objects.exists()


def test_the_historical_years_page_says_unscored_then_scored_with_the_button(client, cast, year_2021):
    client.force_login(cast.reviewer)
    page = strip_tags(client.get(reverse("assessments:historical_years")).content.decode())
    assert "未评分" in page and "评分" in page
    response = client.post(reverse("reviews:historical_score", args=[2021]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reviews:results", args=[2021])
    assert "已按2021年度历史数据为 5 个单位评分" in response.content.decode()
    page = strip_tags(client.get(reverse("assessments:historical_years")).content.decode())
    assert "已评分（5个单位）" in page and "重新评分" in page


def test_the_results_page_of_an_unscored_historical_year_says_it_is_not_scored(client, cast, year_2021):
    client.force_login(cast.reviewer)
    page = strip_tags(client.get(reverse("reviews:results", args=[2021])).content.decode())
    assert "2021年度是历史数据年度（补录以前年度数据），默认不评分，尚未评分" in page


# --- done when: 2021 imported, 2022 reports say 较上年 ----------------------------------------------


def test_a_city_opens_2021_imports_it_opens_2022_and_both_reports_say_compared_with_2021(cast, year_2021):
    imported = bulk_import(
        cast,
        2021,
        {
            "C000": {"G1.5": 28, "H1.6": 40000, "G2.7": 3},
            "C002": {"G2.5": 5, "H1.6": 300, "A3.1": 4, "G2.1.num": 9, "G2.1.den": 10},
            "C110": {"G2.5": 1, "H1.6": 120},
        },
    )
    assert imported == 9  # the rate G2.1 is one value
    framework_2022 = framework_load_default(year=2022, publish=True)[0]
    year_open(framework=framework_2022, deadline=day(2023, 3, 1), user=cast.reviewer, today=day(2023, 1, 5))
    bulk_import(
        cast,
        2022,
        {
            "C000": {"G1.5": 71, "H1.6": 52902, "G2.7": 5},
            "C002": {"G2.5": 8, "H1.6": 350, "A3.1": 6, "G2.1.num": 10, "G2.1.den": 10},
            "C110": {"G2.5": 2, "H1.6": 100},
        },
    )
    when = timezone.make_aware(datetime.datetime(2023, 2, 20, 10, 0))
    for department, user in ((cast.city, cast.admin), (cast.dept_a, cast.staff_a), (cast.dept_b, cast.staff_b)):
        submitted(AnnualReturn.objects.get(department=department, year=2022), user, when)

    data = department_report_data(department=cast.dept_a, year=2022)
    figures = {figure.indicator.code: figure for figure in data.figures}
    assert data.has_previous_year and figures["G2.5"].previous.value == 5
    department_text = text_of(department_report_document(data, options={}), "reports/pdf/department_annual.html")
    assert "全年开展领导班子集体学法、会前学法6次，较上年增加2次" in department_text
    assert "行政机关负责人出庭应诉率达100%，较上年提高10个百分点" in department_text
    # Statistical figures: the prose cites them, the appendix table compares them with 2021.
    assert "一审行政应诉案件8件" in department_text and "一审行政应诉案件数8件5件增加3件" in department_text

    government = government_report_data(government=cast.city, year=2022)
    totals = {figure.indicator.code: figure for figure in government.figures}
    assert totals["H1.6"].previous.value == 40000 + 300 + 120
    government_text = text_of(government_report_document(government, options={}), "reports/pdf/government_annual.html")
    assert "全年开展领导班子集体学法、会前学法6次，较上年增加2次" in government_text
    assert "行政机关负责人出庭应诉率达100%，较上年提高10个百分点" in government_text
    assert "主动公开政府信息条数53352条40420条增长31.99%" in government_text
    assert "办理行政复议案件数71件28件增长153.57%" in government_text


def test_a_target_no_unit_met_in_the_historical_year_is_warned_about_for_the_next(cast, year_2021):
    bulk_import(cast, 2021, {"C002": {"G2.1.num": 9, "G2.1.den": 10}, "C110": {"G2.1.num": 1, "G2.1.den": 2}})
    framework_2022 = framework_clone(framework=year_2021, user=cast.admin, year=2022)
    warnings = [warning for warning in target_warnings(framework_2022) if warning.startswith("G2.1 ")]
    assert warnings and "2021年填报的2个单位无一达到目标≥100%" in warnings[0]


def test_the_entry_page_of_2022_shows_the_2021_figure_as_last_year(client, cast, year_2021):
    bulk_import(cast, 2021, {"C002": {"G2.5": 5}})
    framework_2022 = framework_load_default(year=2022, publish=True)[0]
    year_open(framework=framework_2022, deadline=day(2023, 3, 1), user=cast.reviewer, today=day(2023, 1, 5))
    client.force_login(cast.staff_a)
    annual_return = AnnualReturn.objects.get(department=cast.dept_a, year=2022)
    html = client.get(reverse("assessments:return_edit", args=[annual_return.pk])).content.decode()
    field = html[html.index("一审行政应诉案件数") :][:1500]
    assert "上年：5件" in field or "上年：5" in field


def test_a_historical_years_own_report_can_be_generated_without_the_unsubmitted_note(cast, year_2021):
    bulk_import(cast, 2021, {"C002": {"G2.5": 5, "H1.6": 300}})
    data = department_report_data(department=cast.dept_a, year=2021)
    document = department_report_document(data, options={})
    assert document.notes == () or all("尚未提交" not in note for note in document.notes)
    assert "一审行政应诉案件5件" in text_of(document, "reports/pdf/department_annual.html")
    government = government_report_data(government=cast.city, year=2021)
    assert {figure.indicator.code: figure for figure in government.figures}["H1.6"].current.value == 300
