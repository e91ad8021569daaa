import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.models import NarrativeSection
from reports import services
from reports.models import ReportKind, ReportRun

from .builders import done_run, failed_run, two_years_for

pytestmark = pytest.mark.django_db
DEPT = ReportKind.DEPARTMENT_ANNUAL


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Request a report and run the task in-process (eager Celery), as the embedded default does."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            created = services.report_run_request(**kwargs)
        created.refresh_from_db()
        return created

    return run


def test_request_creates_a_queued_run_and_sends_the_task_after_commit(cast, django_capture_on_commit_callbacks):
    two_years_for(cast.dept_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.report_run_request(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert run.status == ReportRun.Status.QUEUED
    assert run.queued_at is not None
    assert len(callbacks) == 1


def test_generation_in_process_ends_done_with_a_pdf_its_hash_and_a_word_file(cast, generate):
    two_years_for(cast.dept_a)

    run = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert run.status == ReportRun.Status.DONE
    assert run.progress == 100
    assert run.edition == 1
    assert run.attempts == 1
    pdf = run.file.read()
    assert pdf.startswith(b"%PDF-")
    assert run.sha256 == hashlib.sha256(pdf).hexdigest()
    assert run.docx_file.read().startswith(b"PK")
    assert run.page_count >= 2
    assert run.started_at <= run.finished_at


def test_each_regeneration_after_a_change_is_a_new_edition_and_old_ones_stay(cast, generate):
    annual_return = two_years_for(cast.dept_a)

    first = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    annual_return.narratives.filter(kind=NarrativeSection.Kind.SHORTCOMINGS).update(text="培训覆盖面仍需扩大。")
    second = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.reviewer)

    assert (first.edition, second.edition) == (1, 2)
    first.refresh_from_db()
    assert first.file.read().startswith(b"%PDF-")
    assert first.file.name != second.file.name


def test_rendering_the_same_data_again_gives_the_same_text(cast, generate):
    from .pdf_text import pdf_to_text

    two_years_for(cast.dept_a)
    first = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)
    second = ReportRun.objects.create(kind=DEPT, year=2025, department=cast.dept_a, requested_by=cast.staff_a)
    services.report_run_execute(run_id=second.pk)
    second.refresh_from_db()

    assert pdf_to_text(first.file.read()) == pdf_to_text(second.file.read())


def test_executing_a_done_run_again_changes_nothing(cast, generate):
    two_years_for(cast.dept_a)
    run = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert services.report_run_execute(run_id=run.pk) is None

    again = ReportRun.objects.get(pk=run.pk)
    assert (again.attempts, again.file.name, again.sha256, again.edition) == (1, run.file.name, run.sha256, 1)


def test_missing_data_fails_the_run_with_a_chinese_reason(cast, generate):
    run = generate(kind=DEPT, year=2025, department=cast.dept_a, user=cast.staff_a)

    assert run.status == ReportRun.Status.FAILED
    assert "2025年度指标体系尚未发布" in run.error_message
    assert run.edition is None and not run.file


def test_a_run_that_keeps_dying_stops_after_the_attempt_cap(cast):
    two_years_for(cast.dept_a)
    run = ReportRun.objects.create(
        kind=DEPT, year=2025, department=cast.dept_a, requested_by=cast.staff_a,
        status=ReportRun.Status.RUNNING, attempts=services.MAX_ATTEMPTS,
    )  # fmt: skip

    assert services.report_run_execute(run_id=run.pk) is None

    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert "已尝试生成 3 次" in run.error_message


def test_a_redelivered_running_run_is_claimed_again_and_finishes_once(cast):
    two_years_for(cast.dept_a)
    run = ReportRun.objects.create(
        kind=DEPT, year=2025, department=cast.dept_a, requested_by=cast.staff_a,
        status=ReportRun.Status.RUNNING, attempts=1, started_at=timezone.now(),
    )  # fmt: skip

    services.report_run_execute(run_id=run.pk)
    services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.edition) == (ReportRun.Status.DONE, 2, 1)


def test_staff_cannot_request_another_departments_report(cast):
    with pytest.raises(PermissionDenied):
        services.report_run_request(kind=DEPT, year=2025, department=cast.dept_b, user=cast.staff_a)


def test_a_department_report_needs_a_department(cast):
    with pytest.raises(PermissionDenied):
        services.report_run_request(kind=DEPT, year=2025, department=None, user=cast.congress)


def test_only_congress_staff_and_admins_request_the_congress_report(cast):
    with pytest.raises(PermissionDenied):
        services.report_run_request(kind=ReportKind.CONGRESS_SURVEY, year=2025, user=cast.reviewer)


def test_retry_puts_a_failed_run_back_in_the_queue(cast, django_capture_on_commit_callbacks):
    run = failed_run(cast.dept_a, user=cast.staff_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.report_run_retry(run=run, user=cast.staff_a) is True

    run.refresh_from_db()
    assert (run.status, run.attempts, run.error_message) == (ReportRun.Status.QUEUED, 0, "")
    assert len(callbacks) == 1


def test_retry_of_a_done_run_does_nothing(cast):
    run = done_run(cast.dept_a, user=cast.staff_a)

    assert services.report_run_retry(run=run, user=cast.staff_a) is False


def test_retry_is_refused_to_users_outside_the_scope(cast):
    run = failed_run(cast.dept_a, user=cast.staff_a)

    with pytest.raises(PermissionDenied):
        services.report_run_retry(run=run, user=cast.staff_b)


def test_congress_staff_mark_a_congress_report_final(cast):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)

    services.report_run_mark_final(run=run, user=cast.congress)

    run.refresh_from_db()
    assert run.is_final and run.finalized_by == cast.congress and run.finalized_at


def test_a_final_report_allows_no_new_edition(cast):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)
    services.report_run_mark_final(run=run, user=cast.congress)

    with pytest.raises(ValidationError, match="已定稿"):
        services.report_run_request(kind=ReportKind.CONGRESS_SURVEY, year=2025, user=cast.congress)


def test_a_run_finishing_after_finalisation_fails_instead_of_replacing_the_final_edition(cast):
    final = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)
    late = ReportRun.objects.create(kind=ReportKind.CONGRESS_SURVEY, year=2025, requested_by=cast.congress)
    services.report_run_mark_final(run=final, user=cast.congress)

    rendered = services.RenderedReport(pdf=b"%PDF-late", page_count=1, docx=None, seconds=0)
    assert services._store(late.pk, rendered) is None

    late.refresh_from_db()
    assert late.status == ReportRun.Status.FAILED and late.edition is None


def test_department_reports_cannot_be_marked_final(cast):
    run = done_run(cast.dept_a, user=cast.staff_a)

    with pytest.raises(PermissionDenied):
        services.report_run_mark_final(run=run, user=cast.congress)


def test_reviewers_cannot_mark_the_congress_report_final(cast):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)

    with pytest.raises(PermissionDenied):
        services.report_run_mark_final(run=run, user=cast.reviewer)


def test_beat_sweeps_every_minute_as_a_spare_to_the_workers_own_sweeps(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-sweep-stuck-runs"]

    assert entry["task"] == "reports.sweep_stuck_runs"
    assert entry["schedule"].total_seconds() <= 60


def test_a_batch_queues_one_report_per_visible_department(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = services.report_batch_request(year=2025, user=cast.reviewer_scoped)

    assert [run.department for run in batch.runs.all()] == [cast.dept_b]
    assert batch.scope == cast.county
    assert len(callbacks) == 1


def test_department_staff_cannot_request_a_batch(cast):
    with pytest.raises(PermissionDenied):
        services.report_batch_request(year=2025, user=cast.staff_a)
