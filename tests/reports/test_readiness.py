"""Reports ready on click (issue 19 §5): the fingerprint, serving a stored file, the debounced
background render, and never serving a file whose data changed since."""

import datetime
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from assessments.services.workflow import annual_return_transition
from congress.models import RespondentGroup
from congress.services.surveys import response_set_validity
from indicators.models import IndicatorFramework, ValidationRule
from reports import fingerprint, readiness, services
from reports.models import ReportDraft, ReportDraftSection, ReportKind, ReportRun
from reports.permissions import runs_for_user

from .builders import two_years_for

pytestmark = pytest.mark.django_db
DEPT = ReportKind.DEPARTMENT_ANNUAL
Status = ReportRun.Status


def current(kind=DEPT, department=None, year=2025, options=None):
    return fingerprint.report_fingerprint(kind=kind, year=year, department=department, options=options or {})


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Request a report and render it in-process, as the embedded default does (after the commit)."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            created = services.report_run_request(**kwargs)
        created.refresh_from_db()
        return created

    return run


# --- the fingerprint: each kind of input ------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "scope"),
    [
        (ReportKind.DEPARTMENT_ANNUAL, "dept_a"),
        (ReportKind.GOVERNMENT_ANNUAL, "city"),
        (ReportKind.CONGRESS_SURVEY, None),
        (ReportKind.RESULTS_NOTICE, None),
    ],
)
def test_the_fingerprint_of_unchanged_data_is_the_same_every_time(cast, congress_year, published_year, kind, scope):
    department = getattr(cast, scope) if scope else None

    assert current(kind, department) == current(kind, department) is not None


def test_the_fingerprint_changes_with_a_value_of_the_return(cast):
    two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)

    IndicatorValue.objects.filter(annual_return__year=2025, indicator__code="G2.1").update(value_integer=72)

    assert current(department=cast.dept_a) != before


def test_the_fingerprint_changes_with_a_narrative_of_the_return(cast):
    annual_return = two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)

    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")

    assert current(department=cast.dept_a) != before


def test_the_fingerprint_changes_with_last_years_figures(cast):
    two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)

    IndicatorValue.objects.filter(annual_return__year=2024, indicator__code="G2.1").update(value_integer=50)

    assert current(department=cast.dept_a) != before


def test_the_fingerprint_changes_with_the_frameworks_relations(cast):
    """Its tree is locked once a unit files; a relation between figures is not."""
    two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)

    ValidationRule.objects.create(
        framework=IndicatorFramework.objects.get(year=2025), code="R1", expression="G2.2.num <= G2.1 - 50",
        message="负责人出庭案件数不合理", is_relation=True,
    )  # fmt: skip

    assert current(department=cast.dept_a) != before


def test_the_fingerprint_changes_with_the_units_name(cast):
    two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)

    Department.objects.filter(pk=cast.dept_a.pk).update(name="测试市甲管理局")
    cast.dept_a.refresh_from_db()

    assert current(department=cast.dept_a) != before


def test_the_fingerprint_changes_with_a_section_text_of_the_report_draft(cast, congress_year):
    kind = ReportKind.GOVERNMENT_ANNUAL
    before = current(kind, cast.city)

    draft = ReportDraft.objects.create(kind=kind, year=2025, department=cast.city, updated_by=cast.reviewer)
    key, text = "存在的不足和原因", "执法力量不足。"
    ReportDraftSection.objects.create(draft=draft, key=key, text=text, updated_by=cast.reviewer)

    assert current(kind, cast.city) != before


def test_the_fingerprint_changes_with_the_signing_date_of_the_report_draft(cast, published_year):
    kind = ReportKind.RESULTS_NOTICE
    before = current(kind)

    ReportDraft.objects.create(kind=kind, year=2025, signed_on=datetime.date(2026, 4, 1), updated_by=cast.reviewer)

    assert current(kind) != before


def test_the_fingerprint_changes_with_survey_data(cast, congress_year):
    kind = ReportKind.CONGRESS_SURVEY
    before = current(kind)

    response = RespondentGroup.objects.get(name="普通群众").responses.first()
    response_set_validity(response=response, is_valid=False, user=cast.congress)

    assert current(kind) != before


def test_the_fingerprint_changes_with_the_published_scores(cast, published_year):
    kind = ReportKind.RESULTS_NOTICE
    before = current(kind)

    cast.dept_a.score_sheets.filter(year=2025).update(grade="good")

    assert current(kind) != before


def test_the_fingerprint_changes_with_the_options(cast):
    two_years_for(cast.dept_a)

    assert current(department=cast.dept_a, options={"has_cover": True}) != current(department=cast.dept_a)


def test_the_code_version_covers_every_kinds_template_and_the_print_stylesheet():
    names = {path.name for path in fingerprint._code_files()}

    expected = {f"{kind}.html" for kind in ReportKind.values} | {"base.html", "_blocks.html", "reports-print.css"}
    assert expected <= names
    assert {"render.py", "fonts.py", "docx_writer.py", "health.py"} <= names


def test_the_code_version_changes_when_a_report_template_changes(settings, tmp_path):
    for folder in ("templates/reports/pdf", "static/css"):
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder)
    settings.BASE_DIR = tmp_path
    fingerprint.code_version.cache_clear()
    before = fingerprint.code_version()

    with (tmp_path / "templates/reports/pdf/base.html").open("a") as template:
        template.write("\n")
    fingerprint.code_version.cache_clear()

    assert fingerprint.code_version() != before
    fingerprint.code_version.cache_clear()


# --- on click ------------------------------------------------------------------------------------


def test_a_request_with_unchanged_data_is_served_the_stored_edition_without_a_new_run(cast, generate):
    two_years_for(cast.dept_a)
    first = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    again = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.reviewer)

    assert again.pk == first.pk
    assert (again.status, again.attempts, again.file.name) == (Status.DONE, 1, first.file.name)
    assert ReportRun.objects.count() == 1


def test_a_request_after_a_change_queues_a_new_run(cast, generate, django_capture_on_commit_callbacks):
    annual_return = two_years_for(cast.dept_a)
    first = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")

    with django_capture_on_commit_callbacks(execute=False):
        second = services.report_run_request(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert second.pk != first.pk
    assert second.status == Status.QUEUED


def test_the_fingerprint_a_run_records_is_the_one_a_request_computes(cast, generate):
    two_years_for(cast.dept_a)

    run = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert run.fingerprint == current(department=cast.dept_a)


def test_a_file_whose_data_changed_while_it_rendered_keeps_the_old_fingerprint_and_is_not_served(
    cast, generate, monkeypatch
):
    """The race: data change after the render read them. The file is stored (the run is done) under the
    fingerprint of what it shows, and a request afterwards gets a new run, not that file."""
    annual_return = two_years_for(cast.dept_a)
    before = current(department=cast.dept_a)
    render = services.render_pdf_document

    def render_while_the_data_change(*args, **kwargs):
        annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")
        return render(*args, **kwargs)

    monkeypatch.setattr(services, "render_pdf_document", render_while_the_data_change)
    raced = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    monkeypatch.setattr(services, "render_pdf_document", render)

    assert (raced.status, raced.fingerprint) == (Status.DONE, before)
    served = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    assert served.pk != raced.pk
    assert served.fingerprint == current(department=cast.dept_a) != before


# --- in the background ------------------------------------------------------------------------------


def _move(annual_return, action, user, django_capture_on_commit_callbacks, comment=""):
    with django_capture_on_commit_callbacks(execute=True):
        return annual_return_transition(annual_return=annual_return, action=action, user=user, comment=comment)


def an_hour_ago():
    """A start in the past: the debounce is over (a run's own claim reads the real clock)."""
    return timezone.now() - timedelta(hours=1)


def _waiting():
    return ReportRun.objects.filter(is_automatic=True, status=Status.QUEUED)


def test_a_report_nobody_asked_for_is_not_rendered_when_its_data_change(cast, django_capture_on_commit_callbacks):
    annual_return = two_years_for(cast.dept_a)

    _move(annual_return, "approve", cast.reviewer, django_capture_on_commit_callbacks)

    assert not ReportRun.objects.exists()


def test_a_return_move_schedules_the_reports_kept_ready_that_read_it(
    cast, generate, django_capture_on_commit_callbacks
):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    _move(annual_return, "approve", cast.reviewer, django_capture_on_commit_callbacks)

    waiting = _waiting().get()
    assert (waiting.kind, waiting.department_id, waiting.requested_by) == (DEPT, cast.dept_a.pk, None)
    assert waiting.not_before > timezone.now()


def test_a_burst_of_changes_is_one_render_after_the_last(cast, generate, django_capture_on_commit_callbacks, settings):
    settings.REPORTS_REFRESH_DEBOUNCE_SECONDS = 10
    settings.REPORTS_REFRESH_MAX_WAIT_SECONDS = 600
    annual_return = two_years_for(cast.dept_a)
    first = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    now = timezone.now() - timedelta(hours=1)  # the render's own claim reads the clock
    scope = readiness.kept_ready(years=[2025])

    for seconds in (0, 3, 6):
        IndicatorValue.objects.filter(annual_return=annual_return, indicator__code="G2.1").update(
            value_integer=80 + seconds
        )
        readiness.report_refresh_schedule(scopes=scope, now=now + timedelta(seconds=seconds))

    waiting = _waiting().get()
    assert waiting.not_before == now + timedelta(seconds=16)
    assert readiness.report_refreshes_dispatch_due(now=now + timedelta(seconds=15)) == []
    assert readiness.report_refreshes_dispatch_due(now=now + timedelta(seconds=16)) == [waiting.pk]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.edition, waiting.is_automatic) == (Status.DONE, None, True)
    assert ReportRun.objects.exclude(pk__in=[first.pk, waiting.pk]).count() == 0


def test_a_burst_that_goes_on_is_rendered_after_the_max_wait(cast, generate, settings):
    settings.REPORTS_REFRESH_DEBOUNCE_SECONDS = 10
    settings.REPORTS_REFRESH_MAX_WAIT_SECONDS = 30
    two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    scope = readiness.kept_ready(years=[2025])
    readiness.report_refresh_schedule(scopes=scope)
    created_at = _waiting().get().created_at

    readiness.report_refresh_schedule(scopes=scope, now=created_at + timedelta(seconds=25))

    assert _waiting().get().not_before == created_at + timedelta(seconds=30)


def test_the_automatic_render_becomes_the_requesters_next_edition_without_rendering(
    cast, generate, django_capture_on_commit_callbacks
):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")
    readiness.report_refresh_schedule(scopes=readiness.kept_ready(years=[2025]), now=an_hour_ago())
    (automatic,) = readiness.report_refreshes_dispatch_due()
    rendered = ReportRun.objects.get(pk=automatic)
    assert rendered not in runs_for_user(cast.staff_a)

    served = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert served.pk == automatic
    assert (served.is_automatic, served.edition, served.requested_by) == (False, 2, cast.staff_a)
    assert (served.attempts, served.file.name, served.finished_at) == (1, rendered.file.name, rendered.finished_at)
    assert served in runs_for_user(cast.staff_a)


def test_an_automatic_run_of_data_already_rendered_is_dropped_without_rendering(cast, generate):
    two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    readiness.report_refresh_schedule(scopes=readiness.kept_ready(years=[2025]), now=an_hour_ago())

    (automatic,) = readiness.report_refreshes_dispatch_due()

    assert not ReportRun.objects.filter(pk=automatic).exists()
    assert ReportRun.objects.count() == 1


def test_a_click_while_the_automatic_run_waits_starts_it_as_the_users_run(
    cast, generate, django_capture_on_commit_callbacks
):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")
    (waiting,) = readiness.report_refresh_schedule(scopes=readiness.kept_ready(years=[2025]))

    served = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.reviewer)

    assert served.pk == waiting
    assert (served.status, served.is_automatic, served.edition, served.requested_by) == (
        Status.DONE, False, 2, cast.reviewer,
    )  # fmt: skip


def test_a_newer_automatic_render_replaces_the_one_nobody_took(cast, generate):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    renders = []
    for text in ("推进综合执法改革。", "深化综合执法改革。"):
        annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text=text)
        readiness.report_refresh_schedule(
            scopes=readiness.kept_ready(years=[2025]), now=timezone.now() - timedelta(hours=1)
        )
        renders += readiness.report_refreshes_dispatch_due()

    assert list(ReportRun.objects.filter(is_automatic=True).values_list("pk", flat=True)) == renders[1:]


def test_a_survey_change_schedules_the_congress_report(
    cast, congress_year, generate, django_capture_on_commit_callbacks
):
    generate(kind=ReportKind.CONGRESS_SURVEY, year=2025, department=None, user=cast.congress)
    response = RespondentGroup.objects.get(name="普通群众").responses.first()

    with django_capture_on_commit_callbacks(execute=True):
        response_set_validity(response=response, is_valid=False, user=cast.congress)

    assert _waiting().get().kind == ReportKind.CONGRESS_SURVEY


def test_a_report_draft_change_schedules_its_report(cast, published_year, generate, django_capture_on_commit_callbacks):
    from reports.draft_services import report_draft_save

    generate(kind=ReportKind.RESULTS_NOTICE, year=2025, department=None, user=cast.reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        report_draft_save(
            kind=ReportKind.RESULTS_NOTICE, year=2025, department=None, signed_on=datetime.date(2026, 4, 1),
            document_number="", attachment_note="", version=0, user=cast.reviewer,
        )  # fmt: skip

    assert _waiting().get().kind == ReportKind.RESULTS_NOTICE


def test_a_final_report_is_not_kept_ready(cast, generate):
    two_years_for(cast.dept_a)
    run = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    ReportRun.objects.filter(pk=run.pk).update(is_final=True)

    assert readiness.kept_ready(years=[2025]) == []


def test_a_framework_change_schedules_the_reports_of_its_year(cast, generate, django_capture_on_commit_callbacks):
    from indicators.services import framework_archive

    two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        framework_archive(framework=IndicatorFramework.objects.get(year=2025), user=cast.admin)

    assert _waiting().get().kind == DEPT


def test_a_return_sent_back_and_submitted_again_keeps_one_waiting_run(
    cast, generate, django_capture_on_commit_callbacks
):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    annual_return = _move(annual_return, "return", cast.reviewer, django_capture_on_commit_callbacks, comment="补充")
    _move(annual_return, "resume", cast.staff_a, django_capture_on_commit_callbacks)

    assert _waiting().count() == 1
    assert AnnualReturn.objects.get(pk=annual_return.pk).status == AnnualReturn.Status.IN_PROGRESS


def test_the_changes_of_one_transaction_schedule_each_report_once(cast, generate, django_capture_on_commit_callbacks):
    annual_return = two_years_for(cast.dept_a)
    generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for _ in range(3):
            readiness.refresh_after_return_move(annual_return=annual_return)

    assert len(callbacks) == 1
    assert _waiting().count() == 1
