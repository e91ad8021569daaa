"""Reports without a broker: render the runs after the response, one after another, in a thread.

With no broker configured (the embedded default) Celery runs tasks eagerly, inside the caller. For
one report that held the request 3–5 s with no feedback; for a batch of a 300-unit city it would be
most of an hour inside one POST, long past any proxy's timeout. So a single report and a batch alike
go to a daemon thread of the web process once the transaction commits, and the run or batch page
polls their progress as it does with a worker.

Commands that must finish their reports before they exit (seed_demo, sweep_report_runs) render them
in their own process: `with background.in_process(): ...`. The test settings render in-process too
(REPORTS_RENDER_IN_BACKGROUND = False) unless a test asks for the thread.

A thread dies with its process (a restart, a recycled gunicorn worker). The runs it had not finished
stay queued or running; `manage.py sweep_report_runs` (cron, every few minutes) re-runs them once
they are older than the sweeper's cutoff. So that it does not take the queue of a thread that is
still working through a long batch, the thread marks its remaining runs as freshly queued after
each report.
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from .models import ReportRun

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5


_local = threading.local()


def thread_name(batch_id: int) -> str:
    return f"reports-batch-{batch_id}"


def run_thread_name(run_id: int) -> str:
    return f"reports-run-{run_id}"


def is_wanted() -> bool:
    """Render in a thread of this process: no broker, not asked to render in-process."""
    from .tasks import report_run_task

    return (
        bool(report_run_task.app.conf.task_always_eager)
        and settings.REPORTS_RENDER_IN_BACKGROUND
        and not getattr(_local, "in_process", False)
    )


@contextmanager
def in_process():
    """Within the block, reports requested without a broker render before the request returns."""
    previous = getattr(_local, "in_process", False)
    _local.in_process = True
    try:
        yield
    finally:
        _local.in_process = previous


def _execute_with_retries(run_id: int) -> None:
    """services.report_run_execute (idempotent, marks its own failures), retried after a pause on a
    transient database error as the Celery task would be; its claim counts the attempts and fails
    the run past services.MAX_ATTEMPTS."""
    from .services import MAX_ATTEMPTS, TRANSIENT_ERRORS, report_run_execute

    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            report_run_execute(run_id=run_id)
            return
        except TRANSIENT_ERRORS:
            logger.warning("Report run %s: database unavailable (attempt %s)", run_id, attempt, exc_info=True)
            close_old_connections()
            time.sleep(RETRY_SECONDS * attempt)
    report_run_execute(run_id=run_id)  # past the limit the claim marks the run failed


def runs_execute_in_order(run_ids: list[int]) -> None:
    for position, run_id in enumerate(run_ids):
        try:
            _execute_with_retries(run_id)
        except Exception:
            # The run is marked failed (or left for the sweeper); the batch goes on with the next unit.
            logger.exception("Report run %s failed in the background", run_id)
        remaining = run_ids[position + 1 :]
        if remaining:
            ReportRun.objects.filter(pk__in=remaining, status=ReportRun.Status.QUEUED).update(queued_at=timezone.now())


def _thread_main(run_ids: list[int]) -> None:
    try:
        runs_execute_in_order(run_ids)
    finally:
        # The thread's own database connections; nobody else will close them.
        connections.close_all()


def start(*, name: str, run_ids: list[int]) -> threading.Thread:
    thread = threading.Thread(target=_thread_main, args=(list(run_ids),), name=name, daemon=True)
    thread.start()
    return thread
