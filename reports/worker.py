"""Celery worker start-up: refuse to start a worker that would render broken or 4× slower PDFs, and
run the report sweeper (reports/recovery.py) in every worker: once the worker is ready, then every
REPORTS_SWEEP_SECONDS. So interrupted reports are re-queued within a minute of a worker (or the
broker) coming back, with or without beat."""

import logging
from typing import Any

from celery.signals import worker_init, worker_ready, worker_shutdown

from . import liveness, readiness, recovery
from .system_requirements import assert_rendering_requirements, rendering_problems

logger = logging.getLogger(__name__)

_watchdog: recovery.Watchdog | None = None
_refresher: recovery.Watchdog | None = None


@worker_init.connect(dispatch_uid="reports.check_rendering_requirements")
def check_rendering_requirements(**kwargs: Any) -> None:
    for problem in rendering_problems():
        if not problem.is_fatal:
            logger.warning(problem.message)
    assert_rendering_requirements()


@worker_ready.connect(dispatch_uid="reports.start_sweeper")
def start_sweeper(**kwargs: Any) -> None:
    """In the worker's main process, beside the consumer: a thread, so a slow database or broker
    never holds up the tasks."""
    global _watchdog, _refresher
    if _refresher is None or not _refresher.is_alive():
        # Reports whose data changed: scheduled, and sent once their debounce is over (reports/readiness.py).
        _refresher = recovery.Watchdog(
            name="reports-refresher",
            interval=max(liveness.heartbeat_interval(), 0.1),
            tick=readiness.report_refreshes_tick,
        ).start()
    if recovery.sweep_interval() <= 0:  # switched off (REPORTS_SWEEP_SECONDS=0): beat or cron sweeps
        return
    if _watchdog is None or not _watchdog.is_alive():
        _watchdog = recovery.Watchdog(
            name="reports-sweeper", interval=recovery.sweep_interval(), tick=recovery.report_runs_recover
        ).start()


@worker_shutdown.connect(dispatch_uid="reports.stop_sweeper")
def stop_sweeper(**kwargs: Any) -> None:
    for watchdog in (_watchdog, _refresher):
        if watchdog is not None:
            watchdog.stop()
