"""Reports without a broker (the embedded default): a single report and a batch alike render in a
thread after the response, not inside the POST, by the same Celery task a worker runs; commands that
exit right after render in-process; the web process recovers runs another process left behind."""

import io
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports import background, services
from reports.fingerprint import report_fingerprint
from reports.models import ReportBatch, ReportKind, ReportRun

from .builders import two_years_for


@pytest.fixture(autouse=True)
def _render_in_background(settings):
    """As `make run` does (the test settings render in-process so other tests see finished runs)."""
    settings.REPORTS_RENDER_IN_BACKGROUND = True
    yield
    background.stop_supervisor()


def _wait_for_threads() -> None:
    """Join the report threads (gone already if they were quick)."""
    for thread in threading.enumerate():
        if thread.name.startswith(background.THREAD_PREFIX):
            thread.join(timeout=120)
            assert not thread.is_alive()


def _wait_for_batch(batch: ReportBatch) -> None:
    _wait_for_threads()
    assert not batch.runs.filter(status__in=(ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_batch_request_returns_before_any_report_is_rendered(cast, django_assert_max_num_queries):
    """Rendering a report takes dozens of queries; in the request's connection there are only the
    few that create the batch. The reports are made on the background thread's own connection."""
    two_years_for(cast.dept_a)
    two_years_for(cast.dept_b)

    with django_assert_max_num_queries(12):
        batch = services.report_batch_request(year=2025, user=cast.reviewer)

    _wait_for_batch(batch)


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_generates_every_report_of_the_batch(cast):
    two_years_for(cast.dept_a)
    two_years_for(cast.dept_b)

    batch = services.report_batch_request(year=2025, user=cast.reviewer)
    _wait_for_batch(batch)

    statuses = {run.department.code: run.status for run in batch.runs.select_related("department")}
    # The justice bureau (C001) has no return: its run fails with the reason, the others are done.
    assert statuses == {"C001": "failed", "C002": "done", "C110": "done"}
    assert (
        batch.runs.get(department=cast.justice_bureau).error_message == "测试市司法局尚无2025年度填报，无法生成报告。"
    )


@pytest.mark.django_db
def test_the_batch_page_answers_with_every_report_still_queued(cast, client, django_capture_on_commit_callbacks):
    """The POST redirects to the batch page having rendered nothing: all it leaves for after the
    commit is the one callback that starts the background thread."""
    two_years_for(cast.dept_a)
    client.force_login(cast.reviewer)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:batch_request"), {"year": 2025})

    batch = ReportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:batch_detail", args=[batch.pk])
    assert {run.status for run in batch.runs.all()} == {ReportRun.Status.QUEUED}
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_the_process_renews_the_lease_of_the_runs_its_threads_still_hold(cast, settings):
    """So no other process's sweeper takes the queue of a thread that is still working through it."""
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    long_ago = timezone.now() - timedelta(hours=1)
    held = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.reviewer,
        queued_at=long_ago, dispatched_at=long_ago,
    )  # fmt: skip
    with background._lock:
        background._held.add(held.pk)
    try:
        background.ensure_supervisor()
        time.sleep(0.5)
    finally:
        with background._lock:
            background._held.discard(held.pk)

    held.refresh_from_db()
    assert held.dispatched_at > timezone.now() - timedelta(seconds=5)
    assert held.status == ReportRun.Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_the_web_process_renders_a_run_a_dead_process_left_queued(cast, settings):
    """No broker, no cron: the supervisor's sweep finds the run whose lease ran out and renders it."""
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    settings.REPORTS_SWEEP_SECONDS = 0.05
    two_years_for(cast.dept_a)
    long_ago = timezone.now() - timedelta(hours=1)
    left = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.reviewer,
        queued_at=long_ago, dispatched_at=long_ago,
    )  # fmt: skip

    background.ensure_supervisor()
    deadline = time.monotonic() + 60
    while ReportRun.objects.get(pk=left.pk).status != ReportRun.Status.DONE and time.monotonic() < deadline:
        time.sleep(0.1)
    background.stop_supervisor()
    _wait_for_threads()

    left.refresh_from_db()
    assert (left.status, left.attempts, left.edition) == (ReportRun.Status.DONE, 1, 1)


@pytest.mark.django_db
def test_one_failing_report_does_not_stop_the_batch(cast):
    two_years_for(cast.dept_b)
    runs = [
        ReportRun.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=d, requested_by=cast.reviewer)
        for d in (cast.dept_a, cast.dept_b)
    ]

    background.execute_in_order([run.pk for run in runs])

    assert [ReportRun.objects.get(pk=run.pk).status for run in runs] == ["failed", "done"]


@pytest.mark.django_db
def test_the_sweep_command_generates_runs_left_behind_by_a_restart(cast, django_capture_on_commit_callbacks):
    two_years_for(cast.dept_a)
    stuck = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.reviewer,
        queued_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip

    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_report_runs", stdout=out)

    stuck.refresh_from_db()
    assert stuck.status == ReportRun.Status.DONE
    assert "已重新提交 1 份" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_single_report_request_returns_before_the_report_is_rendered(cast, django_assert_max_num_queries):
    """It held the POST 2.6–4.9 s with no feedback; now it is queued like a batch's runs. The request
    builds the document once (its fingerprint: is a file of these data ready?), never renders it."""
    two_years_for(cast.dept_a)
    with CaptureQueriesContext(connection) as build:
        report_fingerprint(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, options={})

    with django_assert_max_num_queries(len(build.captured_queries) + 12):
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )

    _wait_for_threads()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.page_count


@pytest.mark.django_db
def test_the_report_request_redirects_to_the_run_page_with_the_run_still_queued(
    cast, client, django_capture_on_commit_callbacks
):
    two_years_for(cast.dept_a)
    client.force_login(cast.staff_a)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reports:request_run"),
            {"kind": ReportKind.DEPARTMENT_ANNUAL, "year": 2025, "department": cast.dept_a.pk},
        )

    run = ReportRun.objects.get()
    assert response.url == reverse("reports:run_detail", args=[run.pk]) + "?download=1"
    assert run.status == ReportRun.Status.QUEUED
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_the_demo_reports_are_made_before_seed_demo_exits(cast, django_capture_on_commit_callbacks):
    """A command's daemon thread would die with the command: demo and sweeper render in-process."""
    two_years_for(cast.dept_a)

    with background.in_process(), django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )

    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_web_process_renders_a_changed_report_once_its_debounce_is_over(cast, settings):
    """Ready on click as `make run` has it: the supervisor (not the sweep, switched off here) sends
    the automatic run when its debounce ends, and the thread renders it."""
    from assessments.models import NarrativeSection
    from reports import readiness

    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    settings.REPORTS_SWEEP_SECONDS = 0
    settings.REPORTS_REFRESH_DEBOUNCE_SECONDS = 0.3
    annual_return = two_years_for(cast.dept_a)
    with background.in_process():
        services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")
    (waiting,) = readiness.report_refresh_schedule(scopes=readiness.kept_ready(years=[2025]))

    background.ensure_supervisor()
    deadline = time.monotonic() + 60
    while ReportRun.objects.get(pk=waiting).status != ReportRun.Status.DONE and time.monotonic() < deadline:
        time.sleep(0.1)
    background.stop_supervisor()
    _wait_for_threads()

    rendered = ReportRun.objects.get(pk=waiting)
    assert (rendered.status, rendered.is_automatic, rendered.edition, rendered.attempts) == (
        ReportRun.Status.DONE, True, None, 1,
    )  # fmt: skip
