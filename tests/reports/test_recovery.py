"""Recovery in a minute (issue 18 §2): a running report proves it is alive; the sweeper re-queues a
run whose heartbeat stopped, or a queued run whose message is gone, exactly once."""

import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from reports import dispatch, liveness, recovery, services
from reports.models import ReportKind, ReportRun

from .builders import two_years_for

DEPT = ReportKind.DEPARTMENT_ANNUAL
Status = ReportRun.Status


@pytest.fixture
def sent(monkeypatch):
    """What the sweeper sends (the sending itself is the dispatcher's, tested with the real broker)."""
    ids: list[int] = []
    monkeypatch.setattr(dispatch, "dispatch_now", lambda run_ids: ids.extend(run_ids))
    return ids


def _run(cast, **fields) -> ReportRun:
    return ReportRun.objects.create(kind=DEPT, year=2025, department=cast.dept_a, requested_by=cast.staff_a, **fields)


def _ago(seconds: float):
    return timezone.now() - timedelta(seconds=seconds)


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _identity_of(pid: int) -> str:
    return liveness.identity().rsplit(":", 1)[0] + f":{pid}"


@pytest.mark.django_db
def test_a_running_run_whose_heartbeat_stopped_is_requeued_and_sent(cast, sent):
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(31))

    assert recovery.report_runs_recover() == [run.pk]

    run.refresh_from_db()
    assert (run.status, run.attempts, sent) == (Status.QUEUED, 1, [run.pk])


@pytest.mark.django_db
def test_a_running_run_with_a_recent_heartbeat_is_left_alone(cast, sent):
    _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(20))

    assert recovery.report_runs_recover() == []
    assert sent == []


@pytest.mark.django_db
def test_a_run_whose_process_on_this_machine_is_gone_is_requeued_without_waiting_for_the_timeout(cast, sent):
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by=_identity_of(_dead_pid()), heartbeat_at=_ago(1))

    assert recovery.report_runs_recover() == [run.pk]


@pytest.mark.django_db
def test_a_run_whose_process_on_this_machine_lives_is_left_alone(cast, sent):
    _run(cast, status=Status.RUNNING, attempts=1, claimed_by=_identity_of(1), heartbeat_at=_ago(1))

    assert recovery.report_runs_recover() == []


@pytest.mark.django_db
def test_a_stopped_run_that_used_up_its_attempts_fails_instead(cast, sent):
    run = _run(cast, status=Status.RUNNING, attempts=services.MAX_ATTEMPTS, heartbeat_at=_ago(3600))

    assert recovery.report_runs_recover() == []

    run.refresh_from_db()
    assert run.status == Status.FAILED and "已尝试生成 3 次" in run.error_message


@pytest.mark.django_db
def test_without_a_broker_a_queued_run_whose_lease_ran_out_is_sent_again(cast, sent):
    orphan = _run(cast, queued_at=_ago(3600), dispatched_at=_ago(31))
    _run(cast, queued_at=_ago(3600), dispatched_at=_ago(2))  # renewed by the process that holds it

    assert recovery.report_runs_recover() == [orphan.pk]

    orphan.refresh_from_db()
    assert orphan.status == Status.QUEUED and orphan.dispatched_at > _ago(5)


@pytest.mark.django_db
def test_without_a_broker_a_queued_run_whose_holder_on_this_machine_is_gone_is_sent_at_once(cast, sent):
    left = _run(cast, queued_at=_ago(60), dispatched_at=_ago(1), claimed_by=_identity_of(_dead_pid()))
    _run(cast, queued_at=_ago(60), dispatched_at=_ago(1), claimed_by=_identity_of(1))  # its holder lives

    assert recovery.report_runs_recover() == [left.pk]


@pytest.mark.django_db
def test_with_redis_a_queued_run_is_sent_again_only_when_its_message_is_gone(cast, sent, monkeypatch):
    waiting = _run(cast, dispatched_at=_ago(600))
    lost = _run(cast, dispatched_at=_ago(31))
    just_sent = _run(cast, dispatched_at=_ago(5))
    monkeypatch.setattr(dispatch, "uses_broker", lambda: True)
    monkeypatch.setattr(dispatch, "runs_with_a_message", lambda reserved_since: {waiting.pk})

    assert recovery.report_runs_recover() == [lost.pk]
    assert just_sent.pk not in sent


@pytest.mark.django_db
def test_when_the_broker_cannot_be_asked_a_queued_run_waits_for_the_time_limit(cast, sent, monkeypatch):
    old = _run(cast, dispatched_at=timezone.now() - recovery.stuck_after() - timedelta(seconds=1))
    _run(cast, dispatched_at=_ago(600))
    monkeypatch.setattr(dispatch, "uses_broker", lambda: True)
    monkeypatch.setattr(dispatch, "runs_with_a_message", lambda reserved_since: None)

    assert recovery.report_runs_recover() == [old.pk]


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_requeue_a_stopped_run_exactly_once(cast, sent, monkeypatch, is_postgres):
    if not is_postgres:
        pytest.skip("two sweepers need two database connections (PostgreSQL)")
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(60))
    both_read = threading.Barrier(2, timeout=10)
    real_is_alive = liveness.is_alive

    def read_then_wait(**kwargs):
        both_read.wait()  # both sweepers have read the row as stopped before either changes it
        return real_is_alive(**kwargs)

    monkeypatch.setattr(liveness, "is_alive", read_then_wait)
    results: list[list[int]] = []

    def sweep():
        try:
            results.append(recovery.report_runs_recover())
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results) == [[], [run.pk]]
    assert sent == [run.pk]


@pytest.mark.django_db
def test_a_duplicate_message_leaves_a_run_another_execution_is_rendering(cast):
    two_years_for(cast.dept_a)
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(2))

    assert services.report_run_execute(run_id=run.pk) is None

    run.refresh_from_db()
    assert (run.status, run.attempts, run.claimed_by) == (Status.RUNNING, 1, "elsewhere:1:42")


@pytest.mark.django_db
def test_a_run_whose_execution_stopped_is_taken_over_by_the_next_message(cast):
    two_years_for(cast.dept_a)
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(31))

    services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.edition) == (Status.DONE, 2, 1)
    assert run.claimed_by == liveness.identity()


@pytest.mark.django_db
def test_a_transient_database_error_gives_the_run_back_to_the_sweeper(cast, sent, monkeypatch):
    two_years_for(cast.dept_a)
    run = _run(cast, queued_at=_ago(1), dispatched_at=_ago(1))

    def database_gone(run):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_render", database_gone)
    with pytest.raises(OperationalError):
        services.report_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.attempts, run.dispatched_at) == (Status.QUEUED, 1, None)
    assert recovery.report_runs_recover() == [run.pk]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_stamps_the_run_while_the_block_runs_and_stops_after(cast, settings):
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by=liveness.identity(), heartbeat_at=_ago(60))

    with liveness.Heartbeat(run.pk, claimed_by=run.claimed_by, attempt=1):
        time.sleep(0.5)
        during = ReportRun.objects.get(pk=run.pk).heartbeat_at
    time.sleep(0.2)
    after = ReportRun.objects.get(pk=run.pk).heartbeat_at

    assert during > _ago(1)
    time.sleep(0.2)
    assert ReportRun.objects.get(pk=run.pk).heartbeat_at == after


@pytest.mark.django_db(transaction=True)
def test_an_execution_that_lost_its_run_cannot_keep_it_looking_alive(cast, settings):
    settings.REPORTS_HEARTBEAT_SECONDS = 0.05
    stale = _ago(60)
    run = _run(cast, status=Status.RUNNING, attempts=2, claimed_by="elsewhere:1:42", heartbeat_at=stale)

    with liveness.Heartbeat(run.pk, claimed_by=liveness.identity(), attempt=1):
        time.sleep(0.3)

    assert ReportRun.objects.get(pk=run.pk).heartbeat_at == stale


def test_the_task_id_names_its_run():
    assert dispatch.run_id_of(dispatch.task_id_for(4711)) == 4711
    assert dispatch.run_id_of("c0ffee-1234") is None


def test_the_default_settings_requeue_within_a_minute(settings):
    """Worst case after a worker or Redis comes back: the heartbeat timeout (or the re-dispatch
    delay) plus one sweep interval."""
    wait = max(settings.REPORTS_HEARTBEAT_TIMEOUT_SECONDS, settings.REPORTS_REDISPATCH_AFTER_SECONDS)
    assert wait + settings.REPORTS_SWEEP_SECONDS <= 45
    assert settings.REPORTS_HEARTBEAT_SECONDS * 3 <= settings.REPORTS_HEARTBEAT_TIMEOUT_SECONDS


@pytest.mark.django_db(transaction=True)
def test_a_worker_sweeps_as_soon_as_it_is_ready(cast, sent, settings):
    from reports import worker

    run = _run(cast, status=Status.RUNNING, attempts=1, claimed_by="elsewhere:1:42", heartbeat_at=_ago(31))

    worker.start_sweeper()
    try:
        deadline = time.monotonic() + 10
        while ReportRun.objects.get(pk=run.pk).status != Status.QUEUED and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop_sweeper()
        worker._watchdog = None

    assert sent == [run.pk]


def test_a_worker_told_not_to_sweep_starts_no_sweeper(settings):
    from reports import worker

    settings.REPORTS_SWEEP_SECONDS = 0

    worker.start_sweeper()
    try:
        assert worker._watchdog is None
    finally:
        # the refresher it did start must not outlive the test: left running, it kept ticking
        # against the test database into later tests (and logged into their closed streams)
        worker.stop_sweeper()


def _watch(ticks: list, caplog) -> list[str]:
    """Runs a watchdog through `ticks` (an exception is raised, anything else returned) and gives
    the warnings it logged."""
    done = threading.Event()
    outcomes = iter(ticks)

    def tick():
        outcome = next(outcomes, False)
        if outcome is False:
            done.set()
            return False
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    with caplog.at_level("DEBUG", logger=recovery.logger.name):
        watchdog = recovery.Watchdog(name="test-sweeper", interval=0, tick=tick).start()
        assert done.wait(5)
        watchdog.stop()
    # only this watchdog's thread: a report sweeper another test left running logs here too
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelname == "WARNING" and record.threadName == "test-sweeper"
    ]


def test_an_outage_is_logged_once_with_its_traceback_not_at_every_tick(caplog):
    warnings = _watch([OperationalError("down")] * 5, caplog)

    assert warnings == ["test-sweeper: sweep failed (retrying quietly until it works)"]


def test_the_sweeper_says_when_it_works_again_after_an_outage(caplog):
    warnings = _watch([OperationalError("down"), OperationalError("down"), None, OperationalError("down")], caplog)

    assert warnings == [
        "test-sweeper: sweep failed (retrying quietly until it works)",
        "test-sweeper: sweeping again",
        "test-sweeper: sweep failed (retrying quietly until it works)",
    ]


def test_stopping_the_worker_stops_its_refresher(settings):
    from reports import worker

    settings.REPORTS_SWEEP_SECONDS = 0
    worker.start_sweeper()
    refresher = worker._refresher

    worker.stop_sweeper()

    assert refresher is not None and not refresher.is_alive()
