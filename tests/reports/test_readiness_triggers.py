"""Reports ready on click (issue 19 §5): what schedules a report kept ready for its background render.
Each input a report reads schedules the reports that read it (and not the others), after the commit,
debounced: a burst of changes leaves one waiting run per report."""

import datetime

import pytest
import tablib
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Department
from accounts.resources import DepartmentResource
from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from assessments.services.entry import ValueInput, indicator_values_save, narrative_save
from indicators.models import IndicatorFramework
from indicators.provisions import indicator_provision_set
from reports.models import ChangedReturn, ReportKind, ReportRun
from reviews.services.appeals import appeal_decide
from reviews.services.publication import results_set_ranking_public
from tests.assessments.test_provided import provide
from tests.factories import UserFactory
from tests.reviews.factories import appeal_on_judgement, published_sheet

from .builders import done_run, two_years_for

pytestmark = pytest.mark.django_db
DEPT, GOVERNMENT, NOTICE = ReportKind.DEPARTMENT_ANNUAL, ReportKind.GOVERNMENT_ANNUAL, ReportKind.RESULTS_NOTICE
Status = ReportRun.Status


def keep_ready(kind, department, user, year=2025):
    """A report someone asked for (a finished edition): it is kept ready from then on."""
    return done_run(department, user=user, kind=kind, year=year)


def waiting():
    """(kind, unit, year) of each automatic run waiting for its render."""
    runs = ReportRun.objects.filter(is_automatic=True, status=Status.QUEUED)
    return sorted((run.kind, run.department_id, run.year) for run in runs)


def in_progress(annual_return):
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    annual_return.refresh_from_db()
    return annual_return


def save_value(annual_return, code, text, user):
    row = IndicatorValue.objects.get(annual_return=annual_return, indicator__code=code)
    return indicator_values_save(
        annual_return=annual_return, inputs=[ValueInput(row.indicator_id, {"value": text}, row.version)], user=user
    )


def settle():
    """Run the commit callbacks the fixtures' own writes left waiting, as their commit would have:
    what a test's change schedules is then all that is captured."""
    connection = transaction.get_connection()
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()


@pytest.fixture
def kept(cast):
    """dept_a's and dept_b's own reports and the city's government report, each asked for once."""
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    keep_ready(DEPT, cast.dept_b, cast.staff_b)
    keep_ready(GOVERNMENT, cast.city, cast.reviewer)


# --- a return's figures and texts -------------------------------------------------------------------


def test_a_value_saved_in_a_draft_schedules_only_the_units_own_report(cast, kept, django_capture_on_commit_callbacks):
    """A draft counts in no government report; another unit's report does not read it."""
    annual_return = in_progress(two_years_for(cast.dept_a))

    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


def test_a_value_saved_schedules_the_units_report_of_the_next_year(cast, django_capture_on_commit_callbacks):
    """Next year's report prints this year's figures as 上年."""
    annual_return = in_progress(two_years_for(cast.dept_a))
    keep_ready(DEPT, cast.dept_a, cast.staff_a, year=2026)

    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)

    assert waiting() == [(DEPT, cast.dept_a.pk, 2026)]


def test_a_narrative_saved_schedules_the_units_report(cast, kept, django_capture_on_commit_callbacks):
    annual_return = in_progress(two_years_for(cast.dept_a))
    section = annual_return.narratives.get(kind=NarrativeSection.Kind.NEXT_YEAR)

    with django_capture_on_commit_callbacks(execute=True):
        narrative_save(
            annual_return=annual_return, kind=section.kind, text="推进综合执法改革。",
            expected_version=section.version, user=cast.staff_a,
        )  # fmt: skip

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


def test_a_governments_own_texts_schedule_its_government_report(cast, kept, django_capture_on_commit_callbacks):
    """The government report prints its own return's texts, submitted or not."""
    annual_return = in_progress(two_years_for(cast.city))
    section = annual_return.narratives.get(kind=NarrativeSection.Kind.MEASURES)
    city_staff = UserFactory(username="city_staff", department=cast.city)

    with django_capture_on_commit_callbacks(execute=True):
        narrative_save(
            annual_return=annual_return, kind=section.kind, text="全面推进依法行政。",
            expected_version=section.version, user=city_staff,
        )  # fmt: skip

    assert waiting() == [(GOVERNMENT, cast.city.pk, 2025)]


def test_a_burst_of_saves_leaves_one_waiting_run(cast, kept, django_capture_on_commit_callbacks):
    annual_return = in_progress(two_years_for(cast.dept_a))

    for figure in ("80", "81", "82"):
        with django_capture_on_commit_callbacks(execute=True):
            save_value(annual_return, "G2.1", figure, cast.staff_a)

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


def test_a_save_that_changes_nothing_schedules_nothing(cast, kept, django_capture_on_commit_callbacks):
    annual_return = in_progress(two_years_for(cast.dept_a))

    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "71", cast.staff_a)

    assert waiting() == []


def test_the_bureaus_import_schedules_the_reports_of_the_units_it_changed(
    cast, kept, django_capture_on_commit_callbacks
):
    from assessments.excel.common import SignedChange
    from assessments.services.excel_import import bulk_import_apply

    annual_return = in_progress(two_years_for(cast.dept_a))
    row = IndicatorValue.objects.get(annual_return=annual_return, indicator__code="G2.1")
    change = SignedChange(annual_return.pk, row.indicator_id, {"value": "90"}, None, row.version)

    with django_capture_on_commit_callbacks(execute=True):
        bulk_import_apply(year=2025, changes=[change], user=cast.reviewer)

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


# --- figures a 数据提供单位 provides ---------------------------------------------------------------------


def test_a_figure_provided_into_a_units_return_schedules_its_report(
    cast, court, court_user, provided_return_a, django_capture_on_commit_callbacks
):
    settle()
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    keep_ready(DEPT, cast.dept_b, cast.staff_b)

    with django_capture_on_commit_callbacks(execute=True):
        provide(court, court_user, provided_return_a, "K1", "value", "12")

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


def test_a_figure_provided_into_a_submitted_return_schedules_the_government_report_too(
    cast, court, court_user, provided_return_a, django_capture_on_commit_callbacks
):
    settle()
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    keep_ready(GOVERNMENT, cast.city, cast.reviewer)
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, submitted_at=timezone.now(), first_submitted_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        provide(court, court_user, provided_return_a, "K1", "value", "12")

    assert waiting() == sorted([(DEPT, cast.dept_a.pk, 2025), (GOVERNMENT, cast.city.pk, 2025)])


def test_a_change_of_who_provides_a_figure_schedules_the_reports_of_the_framework(
    cast, court, django_capture_on_commit_callbacks
):
    """The report names the source of a provided figure (数据来源)."""
    two_years_for(cast.dept_a)
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    indicator = IndicatorFramework.objects.get(year=2025).indicators.get(code="G2.1")

    with django_capture_on_commit_callbacks(execute=True):
        indicator_provision_set(indicator=indicator, provider=court, user=cast.admin)

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]


# --- review results and appeals ---------------------------------------------------------------------


def test_a_review_change_before_publication_schedules_no_report(cast, kept, django_capture_on_commit_callbacks):
    """Scores are printed only once the year is published."""
    from reviews.services.audit import review_audit_entry_record

    with django_capture_on_commit_callbacks(execute=True):
        review_audit_entry_record(
            action="review_score", subject="测试", year=2025, department=cast.dept_a, user=cast.reviewer
        )

    assert waiting() == []


@pytest.fixture
def appeal(cast):
    """dept_a's published 2025 sheet with an appeal pending; its report and the notice kept ready,
    and dept_b's report."""
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    appeal = appeal_on_judgement(sheet, cast.staff_a)
    settle()
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    keep_ready(DEPT, cast.dept_b, cast.staff_b)
    keep_ready(NOTICE, None, cast.reviewer)
    return appeal


def test_an_appeal_decision_schedules_the_notice_and_the_units_report(cast, appeal, django_capture_on_commit_callbacks):
    """Without a public ranking another unit's report shows nothing of this score."""
    second = UserFactory(username="reviewer_two", role="reviewer", department=cast.justice_bureau)

    with django_capture_on_commit_callbacks(execute=True):
        appeal_decide(appeal=appeal, user=second, decision="upheld", reason="材料已补充")

    assert waiting() == sorted([(DEPT, cast.dept_a.pk, 2025), (NOTICE, None, 2025)])


def test_making_the_ranking_public_schedules_every_units_report_and_the_notice(
    cast, appeal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        results_set_ranking_public(year=2025, is_public=True, user=cast.reviewer)

    assert waiting() == sorted([(DEPT, cast.dept_a.pk, 2025), (DEPT, cast.dept_b.pk, 2025), (NOTICE, None, 2025)])


# --- units ------------------------------------------------------------------------------------------


def test_a_unit_renamed_schedules_its_reports_and_the_reports_that_list_it(
    cast, kept, django_capture_on_commit_callbacks
):
    headers = ["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"]
    renamed = tablib.Dataset(("C002", "测试市甲管理局", "", "C000", "政府工作部门", "市级", 3, "是"), headers=headers)

    with django_capture_on_commit_callbacks(execute=True):
        result = DepartmentResource().import_data(renamed, user=cast.admin)

    assert not result.has_errors()
    assert waiting() == sorted([(DEPT, cast.dept_a.pk, 2025), (GOVERNMENT, cast.city.pk, 2025)])


def test_a_government_renamed_schedules_the_reports_addressed_to_it(cast, django_capture_on_commit_callbacks):
    """A unit's report is addressed to its parent by name (测试县人民政府：)."""
    keep_ready(DEPT, cast.dept_b, cast.staff_b)
    keep_ready(DEPT, cast.dept_a, cast.staff_a)
    county = Department.objects.get(pk=cast.county.pk)
    headers = ["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"]
    row = ("C100", "测试县政府", "", "C000", "政府", "县级", county.sort_order, "是")

    with django_capture_on_commit_callbacks(execute=True):
        DepartmentResource().import_data(tablib.Dataset(row, headers=headers), user=cast.admin)

    assert Department.objects.get(pk=cast.county.pk).name == "测试县政府"
    assert waiting() == [(DEPT, cast.dept_b.pk, 2025)]


def test_a_scheduled_report_is_rendered_once_its_wait_is_over(cast, kept, django_capture_on_commit_callbacks):
    """The trigger ends in the ordinary debounced run: due after the debounce, not before."""
    from reports import readiness

    annual_return = in_progress(two_years_for(cast.dept_a))
    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)
    run = ReportRun.objects.get(is_automatic=True, status=Status.QUEUED)

    assert readiness.report_refreshes_dispatch_due(now=run.not_before - datetime.timedelta(seconds=1)) == []
    ReportRun.objects.filter(pk=run.pk).update(not_before=run.created_at - datetime.timedelta(seconds=1))
    assert readiness.report_refreshes_dispatch_due() == [run.pk]


# --- where a refresh tick runs (a worker's, or without a broker the web processes') -----------------


@pytest.fixture
def ticking(settings):
    """As `make run` and production have it: a tick (not the save's commit) schedules what changed."""
    settings.REPORTS_RENDER_IN_BACKGROUND = True


def test_where_a_tick_runs_a_save_only_marks_its_return(cast, kept, ticking, django_capture_on_commit_callbacks):
    annual_return = in_progress(two_years_for(cast.dept_a))
    settle()

    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)

    assert waiting() == []
    assert list(ChangedReturn.objects.values_list("annual_return_id", flat=True)) == [annual_return.pk]


def test_the_tick_schedules_the_reports_reading_a_marked_return_and_takes_the_mark(
    cast, kept, ticking, django_capture_on_commit_callbacks
):
    from reports import readiness

    annual_return = in_progress(two_years_for(cast.dept_a))
    with django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)

    readiness.report_refreshes_tick()

    assert waiting() == [(DEPT, cast.dept_a.pk, 2025)]
    assert not ChangedReturn.objects.exists()


def test_a_report_scheduled_by_the_tick_waits_the_debounce_after_the_last_change(
    cast, kept, ticking, settings, django_capture_on_commit_callbacks
):
    """The tick comes up to a heartbeat later; the wait is still counted from the change."""
    from reports import readiness

    annual_return = in_progress(two_years_for(cast.dept_a))
    for figure in ("80", "81"):
        with django_capture_on_commit_callbacks(execute=True):
            save_value(annual_return, "G2.1", figure, cast.staff_a)
    (mark,) = ChangedReturn.objects.all()
    last_change = IndicatorValue.objects.get(annual_return=annual_return, indicator__code="G2.1").updated_at

    readiness.report_refreshes_schedule_marked()

    run = ReportRun.objects.get(is_automatic=True, status=Status.QUEUED)
    assert mark.changed_at >= last_change
    assert run.not_before == mark.changed_at + datetime.timedelta(seconds=settings.REPORTS_REFRESH_DEBOUNCE_SECONDS)


def test_a_save_where_a_tick_runs_reads_nothing_for_the_reports(
    cast, kept, ticking, django_capture_on_commit_callbacks
):
    """One statement (the mark) in the save's transaction; no report is looked up on its commit."""
    annual_return = in_progress(two_years_for(cast.dept_a))
    settle()

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        save_value(annual_return, "G2.1", "80", cast.staff_a)

    touching_reports = [query["sql"] for query in queries.captured_queries if "reports_" in query["sql"]]
    assert len(touching_reports) == 1
    assert touching_reports[0].startswith("INSERT INTO")
