"""Faults on the real services (issue 9 §5; issue 18 §2 "recovery in a minute"): the whole worker
killed mid-render, Redis restarted empty while a render is in flight, the broker down while a user
saves and asks for a report, and, without a broker, the web process killed mid-batch. A report run
row is the source of truth; the sweepers that run inside every worker (and every web process without
a broker) re-queue what stopped or lost its message, with the default settings, and every requested
report ends done exactly once within 60 s of the restart. Each test measures and records that time
(printed in the "measured" section at the end of the run)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, NarrativeSection
from reports import dispatch, recovery, services
from reports.models import ReportBatch, ReportKind, ReportRun
from tests.conftest import _database_url
from tests.reports.builders import two_years_for

pytestmark = [pytest.mark.faults, pytest.mark.integration]

RECOVERY_BUDGET = 60  # seconds from the restart to the last report done (issue 18 §2)
LONG_TEXT = "\n".join(["全面落实行政执法三项制度，严格规范公正文明执法。" * 40] * 20)[:19000]
FINISHED = (ReportRun.Status.DONE, ReportRun.Status.FAILED)


def _wait_for(run_pk: int, *, until=None, timeout: float = 90) -> ReportRun:
    until = until or (lambda run: run.status in FINISHED)
    deadline = time.monotonic() + timeout
    while True:
        run = ReportRun.objects.get(pk=run_pk)
        if until(run) or time.monotonic() > deadline:
            return run
        time.sleep(0.1)


def _city_with_a_long_report(cast) -> None:
    """Three units with returns; 甲局's report is ~100 pages, slow enough to kill mid-render."""
    two_years_for(cast.justice_bureau)
    two_years_for(cast.dept_a, narratives=dict.fromkeys(NarrativeSection.Kind.values, LONG_TEXT))
    two_years_for(cast.dept_b)


def _request_batch(cast) -> list[ReportRun]:
    with transaction.atomic():
        batch = services.report_batch_request(year=2025, user=cast.reviewer)
    return list(batch.runs.select_related("department").order_by("pk"))


def _all_done_after(restarted: float, runs: list[ReportRun], *, timeout: float = 120) -> float:
    """Seconds from `restarted` (time.time()) until the last run was stored as done."""
    finished = [_wait_for(run.pk, timeout=timeout) for run in runs]
    for run in finished:
        assert run.status == ReportRun.Status.DONE, (run.department, run.status, run.error_message)
    return max(run.finished_at.timestamp() for run in finished) - restarted


def _exactly_once(runs: list[ReportRun]) -> dict[str, int]:
    """One edition, one PDF per unit; returns the attempts per unit."""
    done = [ReportRun.objects.get(pk=run.pk) for run in runs]
    assert ReportRun.objects.count() == len(done)
    assert {run.edition for run in done} == {1}
    for run in done:
        assert run.file.read().startswith(b"%PDF-")
    return {run.department.code: run.attempts for run in done}


def test_killing_the_whole_worker_mid_render_finishes_every_report_exactly_once_within_a_minute(
    cast, workers, record_property
):
    _city_with_a_long_report(cast)
    first = workers.start()
    runs = _request_batch(cast)
    long_one = next(run for run in runs if run.department == cast.dept_a)
    running = _wait_for(long_one.pk, until=lambda r: r.stage == "排版生成 PDF", timeout=90)
    assert running.status == ReportRun.Status.RUNNING and running.attempts == 1

    first.kill_whole_worker()
    # Its message stays unacknowledged in Redis until the visibility timeout (15 min); the row says
    # running, with a heartbeat that has stopped.
    assert ReportRun.objects.get(pk=long_one.pk).status == ReportRun.Status.RUNNING
    restarted = time.time()
    workers.start()
    seconds = _all_done_after(restarted, runs)

    record_property("measured", f"whole worker kill -9 → all {len(runs)} reports done {seconds:.1f} s after restart")
    assert seconds < RECOVERY_BUDGET
    assert _exactly_once(runs) == {"C001": 1, "C002": 2, "C110": 1}

    # When the broker finally redelivers the first message, the run is done: nothing happens twice.
    done = ReportRun.objects.get(pk=long_one.pk)
    dispatch.send([long_one.pk])
    time.sleep(2)
    again = ReportRun.objects.get(pk=long_one.pk)
    assert (again.status, again.attempts, again.sha256, again.edition) == (ReportRun.Status.DONE, 2, done.sha256, 1)


def test_redis_restarted_empty_mid_render_finishes_every_report_exactly_once_within_a_minute(
    cast, private_redis, workers_on_private_redis, record_property
):
    """The render in flight is slower than the outage and finishes on its own; the message of the
    run still waiting is gone with Redis's data, and the worker's sweeper sends it again."""
    _city_with_a_long_report(cast)
    workers_on_private_redis.start()
    runs = _request_batch(cast)
    long_one = next(run for run in runs if run.department == cast.dept_a)
    waiting = next(run for run in runs if run.department == cast.dept_b)
    _wait_for(long_one.pk, until=lambda r: r.stage == "排版生成 PDF", timeout=90)

    private_redis.stop()  # kill -9: the queue with 乙镇's message is gone
    time.sleep(1)
    private_redis.start()  # back, empty (no AOF on this one)
    restarted = time.time()
    assert ReportRun.objects.get(pk=long_one.pk).status == ReportRun.Status.RUNNING, "the render was not in flight"
    assert ReportRun.objects.get(pk=waiting.pk).status == ReportRun.Status.QUEUED
    seconds = _all_done_after(restarted, runs)

    record_property("measured", f"Redis restarted empty → all {len(runs)} reports done {seconds:.1f} s after restart")
    assert seconds < RECOVERY_BUDGET
    assert _exactly_once(runs) == {"C001": 1, "C002": 1, "C110": 1}


def test_a_queued_run_whose_message_waits_in_redis_is_not_sent_again(cast, private_redis, workers_on_private_redis):
    """No worker reads the queue: the message waits, and the sweeper leaves the run alone until the
    message is gone (here: deleted), then sends it once."""
    with transaction.atomic():
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    later = timezone.now() + datetime.timedelta(minutes=5)

    assert dispatch.runs_with_a_message(reserved_since=later) == {run.pk}
    assert recovery.report_runs_recover(now=later) == []

    import redis

    redis.Redis.from_url(private_redis.url).delete(workers_on_private_redis.queue)
    assert recovery.report_runs_recover(now=later) == [run.pk]
    assert recovery.report_runs_recover(now=later) == []
    assert dispatch.runs_with_a_message(reserved_since=later) == {run.pk}


def test_with_the_broker_down_a_draft_saves_and_the_report_is_queued_then_made_later(
    cast, client, private_redis, workers_on_private_redis, record_property
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

    private_redis.start()  # back, empty: the message was never sent
    restarted = time.time()
    workers_on_private_redis.start()  # its sweeper sends the run once its dispatch is old enough
    run = _wait_for(run.pk)
    record_property(
        "measured",
        f"broker down at request → report ended {run.finished_at.timestamp() - restarted:.1f} s after restart",
    )
    assert run.finished_at.timestamp() - restarted < RECOVERY_BUDGET
    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.attempts == 1 and run.edition == 1
    row.refresh_from_db()
    assert row.value_integer == 37


# --- Without a broker ---------------------------------------------------------------------------

WEB_PROCESS = """
import sys, time
import django
django.setup()
import lawgov.wsgi  # as gunicorn or runserver load it: starts the report supervisor
if sys.argv[1] == "request":
    from django.db import transaction
    from accounts.models import User
    from reports import services
    with transaction.atomic():
        services.report_batch_request(year=2025, user=User.objects.get(pk=int(sys.argv[2])))
time.sleep(3600)
"""


@pytest.fixture
def web_processes(is_postgres, django_db_serialized_rollback_off):
    """`lawgov.wsgi` in processes of their own, with no broker, on the test database."""
    if not is_postgres:
        pytest.skip("processes sharing a database need PostgreSQL")
    env = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="lawgov.settings.test",
        DATABASE_URL=_database_url(connection.settings_dict),
        LAWGOV_TEST_RENDER_IN_BACKGROUND="1",
    )
    started: list[subprocess.Popen] = []
    log = Path(settings.BASE_DIR) / "var" / f"fault-web-{os.getpid()}.log"

    def start(*args: str) -> subprocess.Popen:
        with log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-c", WEB_PROCESS, *args], env=env, cwd=settings.BASE_DIR, stdout=out, stderr=out
            )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_without_a_broker_a_web_process_killed_mid_batch_leaves_nothing_unfinished(
    cast, web_processes, record_property
):
    _city_with_a_long_report(cast)
    first = web_processes("request", str(cast.reviewer.pk))
    deadline = time.monotonic() + 90
    while not ReportBatch.objects.exists():
        assert time.monotonic() < deadline and first.poll() is None, "the web process did not request the batch"
        time.sleep(0.2)
    runs = list(ReportRun.objects.select_related("department").order_by("pk"))
    long_one = next(run for run in runs if run.department == cast.dept_a)
    waiting = next(run for run in runs if run.department == cast.dept_b)
    _wait_for(long_one.pk, until=lambda r: r.stage == "排版生成 PDF", timeout=90)
    _wait_for(waiting.pk, until=lambda r: bool(r.claimed_by), timeout=30)  # its lease names the process

    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    restarted = time.time()
    web_processes("serve")
    seconds = _all_done_after(restarted, runs)

    record_property(
        "measured", f"no broker, web process kill -9 → all {len(runs)} reports done {seconds:.1f} s after restart"
    )
    assert seconds < RECOVERY_BUDGET
    assert _exactly_once(runs) == {"C001": 1, "C002": 2, "C110": 1}
