"""Reports without a broker: the Celery task `reports.report_run`, run eagerly in a thread of the
web process after the commit.

With no broker configured (the embedded default) Celery runs tasks eagerly, inside the caller. For
one report that held the request 3–5 s with no feedback; for a batch of a 300-unit city it would be
most of an hour inside one POST. So the runs of a request (one report or a batch) go to a daemon
thread once the transaction commits, which runs the same task a worker would, one run after another;
the run or batch page polls their progress as it does with a worker. There is no retry loop here:
a run whose execution stops is re-queued by the sweeper (reports/recovery.py), as on a worker, so
both installations have one retry policy.

The same guarantee as with a worker: each web process runs a supervisor thread (started when the
WSGI/ASGI application loads, and by the first report it renders) that every heartbeat renews the
lease of the queued runs its threads hold (`dispatched_at`, and `claimed_by` naming the holder), and
every REPORTS_SWEEP_SECONDS sweeps.
A process that dies (restart, recycled gunicorn worker) stops renewing: its running runs' heartbeat
stops and its queued runs' lease runs out, and the next sweep of any web process takes them over.

Commands that must finish their reports before they exit (seed_demo, sweep_report_runs) render them
in their own process: `with background.in_process(): ...`. The test settings render in-process too
(REPORTS_RENDER_IN_BACKGROUND = False) unless a test asks for the thread.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from . import dispatch, liveness, readiness, recovery
from .models import ReportRun

logger = logging.getLogger(__name__)

_local = threading.local()
_lock = threading.Lock()
_held: set[int] = set()  # queued runs a thread of this process will render: their leases
_supervisor: recovery.Watchdog | None = None
_supervisor_pid = 0
THREAD_PREFIX = "reports-runs-"


def thread_name(run_ids: list[int]) -> str:
    return f"{THREAD_PREFIX}{run_ids[0]}"


def is_local_installation() -> bool:
    """No broker, and reports are to render in the background of the web process."""
    return not dispatch.uses_broker() and bool(settings.REPORTS_RENDER_IN_BACKGROUND)


def is_wanted() -> bool:
    """Render in a thread of this process: no broker, not asked to render in-process."""
    return is_local_installation() and not getattr(_local, "in_process", False)


@contextmanager
def in_process() -> Iterator[None]:
    """Within the block, reports requested without a broker render before the request returns."""
    previous = getattr(_local, "in_process", False)
    _local.in_process = True
    try:
        yield
    finally:
        _local.in_process = previous


def execute(run_id: int) -> None:
    """The Celery task, eagerly: the code a worker runs, and its retry policy (the sweeper's)."""
    from .tasks import report_run_task

    report_run_task.apply((run_id,), task_id=dispatch.task_id_for(run_id), throw=True)


def execute_in_order(run_ids: list[int]) -> None:
    for run_id in run_ids:
        with _lock:
            _held.discard(run_id)  # from here the run's own claim and heartbeat say it is alive
        try:
            execute(run_id)
        except Exception:
            # The run is failed, or left to the sweeper; the batch goes on with the next unit.
            logger.exception("Report run %s failed in the background", run_id)


def _thread_main(run_ids: list[int]) -> None:
    try:
        execute_in_order(run_ids)
    finally:
        with _lock:
            _held.difference_update(run_ids)
        connections.close_all()  # the thread's own database connections; nobody else closes them


def _lease(run_ids: list[int]) -> None:
    """Stamp the lease of queued runs a thread of this process holds: sent now, by this process."""
    if run_ids:
        ReportRun.objects.filter(pk__in=run_ids, status=ReportRun.Status.QUEUED).update(
            dispatched_at=timezone.now(), claimed_by=liveness.identity()
        )


def _start_thread(run_ids: list[int]) -> None:
    with _lock:
        _held.update(run_ids)
    # The lease names this process from the start, not only from the supervisor's next tick: until
    # then a run waiting behind another in the thread would look like nobody's.
    _lease(run_ids)
    ensure_supervisor()
    threading.Thread(target=_thread_main, args=(run_ids,), name=thread_name(run_ids), daemon=True).start()


def submit(run_ids: list[int]) -> None:
    """Render the runs one after another: in a new thread of this process when wanted, else here."""
    ids = list(run_ids)
    if is_wanted():
        _start_thread(ids)
    else:
        execute_in_order(ids)


def submit_on_commit(run_ids: list[int]) -> None:
    """The same after the commit; whether in a thread is decided now, so `in_process()` blocks hold."""
    ids = list(run_ids)
    if is_wanted():
        transaction.on_commit(lambda: _start_thread(ids), robust=True)
    else:
        transaction.on_commit(lambda: execute_in_order(ids), robust=True)


# --- the supervisor --------------------------------------------------------------------------------


class _Supervision:
    """One tick every heartbeat: renew the leases of the held queued runs, schedule the reports whose
    data changed and send the automatic runs whose debounce is over (reports/readiness.py); sweep
    every sweep interval."""

    def __init__(self) -> None:
        self.beats_per_sweep = max(1, round(recovery.sweep_interval() / max(liveness.heartbeat_interval(), 0.1)))
        self.beats = 0

    def __call__(self) -> bool:
        if not is_local_installation():
            return False  # a broker was configured (or background rendering switched off): stop
        with _lock:
            held = list(_held)
        _lease(held)
        readiness.report_refreshes_tick()
        if recovery.sweep_interval() > 0 and self.beats % self.beats_per_sweep == 0:
            recovery.report_runs_recover()
        self.beats += 1
        return True


def ensure_supervisor() -> None:
    """Start this process's supervisor unless it runs (a forked process starts its own)."""
    global _supervisor, _supervisor_pid
    if not is_local_installation():
        return
    with _lock:
        if _supervisor is not None and _supervisor.is_alive() and _supervisor_pid == os.getpid():
            return
        _supervisor = recovery.Watchdog(
            name="reports-supervisor", interval=max(liveness.heartbeat_interval(), 0.1), tick=_Supervision()
        ).start()
        _supervisor_pid = os.getpid()


def stop_supervisor() -> None:
    global _supervisor
    with _lock:
        supervisor, _supervisor = _supervisor, None
    if supervisor is not None:
        supervisor.stop()
