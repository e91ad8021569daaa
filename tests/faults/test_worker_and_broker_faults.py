"""Faults on the real services (issue 9 §5, F2/F6): the whole worker killed mid-render, and the
broker down while a user saves and asks for a report. A report run row is the source of truth;
the sweeper (a beat task in production, called here with a clock past its cutoff) re-queues what
the broker lost, and the run finishes exactly once."""

import datetime
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, NarrativeSection
from reports import services
from reports.models import ReportKind, ReportRun
from tests.reports.builders import two_years_for

pytestmark = [pytest.mark.faults, pytest.mark.integration]


def _wait_for(run_pk: int, *, until=None, timeout: float = 90) -> ReportRun:
    until = until or (lambda run: run.status in (ReportRun.Status.DONE, ReportRun.Status.FAILED))
    deadline = time.monotonic() + timeout
    while True:
        run = ReportRun.objects.get(pk=run_pk)
        if until(run) or time.monotonic() > deadline:
            return run
        time.sleep(0.2)


def _sweep_as_if_later() -> list[int]:
    """The beat's sweeper tick, as it runs once a run has been stuck past the hard time limit."""
    return services.report_runs_sweep(now=timezone.now() + services.stuck_after() + datetime.timedelta(seconds=1))


def test_killing_the_whole_worker_mid_render_still_finishes_the_report_exactly_once(cast, workers):
    long_text = "\n".join(["全面落实行政执法三项制度，严格规范公正文明执法。" * 40] * 20)[:19000]
    two_years_for(cast.dept_a, narratives=dict.fromkeys(NarrativeSection.Kind.values, long_text))
    first = workers.start()
    with transaction.atomic():
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    running = _wait_for(run.pk, until=lambda r: r.stage == "排版生成 PDF", timeout=60)
    assert running.status == ReportRun.Status.RUNNING and running.attempts == 1

    first.kill_whole_worker()
    # The message stays unacknowledged in Redis until the visibility timeout; the row says running.
    assert ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.RUNNING
    workers.start()
    assert _sweep_as_if_later() == [run.pk]

    run = _wait_for(run.pk)
    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.attempts == 2 and run.edition == 1
    assert ReportRun.objects.filter(kind=ReportKind.DEPARTMENT_ANNUAL, department=cast.dept_a).count() == 1
    sha256 = run.sha256
    assert run.file.read().startswith(b"%PDF-")

    # When the broker finally redelivers the first message, the run is done: nothing happens twice.
    from reports.tasks import report_run_task

    report_run_task.delay(run.pk)
    time.sleep(2)
    again = ReportRun.objects.get(pk=run.pk)
    assert (again.status, again.attempts, again.sha256, again.edition) == (ReportRun.Status.DONE, 2, sha256, 1)


def test_with_the_broker_down_a_draft_saves_and_the_report_is_queued_then_made_later(
    cast, client, private_redis, workers_on_private_redis
):
    from tests.assessments.factories import open_return
    from tests.reviews import factories as rf

    framework = rf.framework_for()
    annual_return = open_return(cast.dept_a, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    row = annual_return.values.get(indicator__code="A1.1")
    client.force_login(cast.staff_a)

    private_redis.stop()  # the broker is gone
    started = time.monotonic()
    saved = client.post(
        reverse("assessments:value_save", kwargs={"pk": annual_return.pk, "indicator_pk": row.indicator_id}),
        {"version": row.version, "value": "37"},
    )
    requested = client.post(
        reverse("reports:request_run"),
        {"kind": ReportKind.DEPARTMENT_ANNUAL, "year": 2025, "department": cast.dept_a.pk},
    )
    assert saved.status_code == 302 and requested.status_code == 302
    assert time.monotonic() - started < 30, "a broker outage must not hang the user's request"
    row.refresh_from_db()
    assert row.value_integer == 37
    run = ReportRun.objects.get(department=cast.dept_a)
    assert run.status == ReportRun.Status.QUEUED

    private_redis.start()  # back, empty: whatever it held is gone (no AOF on this one)
    workers_on_private_redis.start()
    assert _sweep_as_if_later() == [run.pk]
    run = _wait_for(run.pk)
    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.attempts == 1 and run.edition == 1
    row.refresh_from_db()
    assert row.value_integer == 37
