"""Recovery in a minute: re-queue the report runs nobody is working on, exactly once.

Two kinds of run are stranded when a worker or the broker goes away:
- a **running** run whose execution died (worker killed, machine lost, a transient database error):
  its heartbeat stops (reports/liveness.py). Once it is older than REPORTS_HEARTBEAT_TIMEOUT_SECONDS,
  or at once when its executor was a process of this machine that no longer exists, the sweeper puts
  the run back in the queue (past services.MAX_ATTEMPTS claims it fails instead);
- a **queued** run whose message is gone (Redis restarted without its data, the broker was down when
  the run was requested, a worker died between taking the message and starting the run): the
  sweeper asks Redis which runs still have a message (reports/dispatch.py) and sends the others
  again once their last dispatch is older than REPORTS_REDISPATCH_AFTER_SECONDS. Without a broker
  the process that holds a queued run renews its `dispatched_at` every heartbeat (a lease), so a
  queued run whose lease ran out has no process left to render it.

Each re-queue or re-dispatch is a conditional UPDATE on the values the sweeper read (status,
attempt, executor, heartbeat or last dispatch): of two sweepers racing, one changes the row and
sends, the other changes nothing. A message that still turns up later finds the run done or alive
and does nothing (services._claim), and a run is stored once (services._store).

Who sweeps: every Celery worker, when it is ready and then every REPORTS_SWEEP_SECONDS
(reports/worker.py); without a broker, every web process the same way (reports/background.py);
beat's entry and `manage.py sweep_report_runs` are extra, never required.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone

from . import dispatch, liveness
from .models import ReportRun

logger = logging.getLogger(__name__)
Status = ReportRun.Status


def stuck_after() -> timedelta:
    """A broker we cannot ask (not Redis): a queued run is re-sent only after the hard time limit."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + timedelta(minutes=2)


def redispatch_after() -> timedelta:
    return timedelta(seconds=float(settings.REPORTS_REDISPATCH_AFTER_SECONDS))


def sweep_interval() -> float:
    return float(settings.REPORTS_SWEEP_SECONDS)


def _requeue_stopped(now: datetime) -> list[int]:
    """Running runs whose execution stopped: back to the queue, or failed past the attempt cap."""
    from .services import MAX_ATTEMPTS

    requeued: list[int] = []
    rows = ReportRun.objects.filter(status=Status.RUNNING).values_list("pk", "attempts", "claimed_by", "heartbeat_at")
    for pk, attempts, claimed_by, heartbeat_at in rows:
        if liveness.is_alive(claimed_by=claimed_by, heartbeat_at=heartbeat_at, now=now):
            continue
        as_read = ReportRun.objects.filter(
            pk=pk, status=Status.RUNNING, attempts=attempts, claimed_by=claimed_by, heartbeat_at=heartbeat_at
        )
        if attempts >= MAX_ATTEMPTS:
            if as_read.update(
                status=Status.FAILED,
                error_message=f"已尝试生成 {attempts} 次仍未成功，已停止自动重试。请检查数据后点击“重新生成”。",
                stage="生成失败",
                finished_at=now,
            ):
                logger.error("Report run %s stopped %s times; failed", pk, attempts)
            continue
        if as_read.update(status=Status.QUEUED, progress=0, stage="重新排队等待生成", dispatched_at=now, claimed_by=""):
            requeued.append(pk)
    return requeued


def _orphans(now: datetime) -> list[int]:
    """Queued runs without a message (or, without a broker, without a live process holding them)."""
    if dispatch.uses_broker():
        present = dispatch.runs_with_a_message(reserved_since=now - redispatch_after())
        cutoff = now - (redispatch_after() if present is not None else stuck_after())
    else:
        present = set()
        cutoff = now - liveness.heartbeat_timeout()
    # An automatic run waiting out its debounce has no message yet by design (readiness sends it).
    queued = ReportRun.objects.filter(status=Status.QUEUED).exclude(pk__in=present or []).exclude(not_before__gt=now)
    if dispatch.uses_broker():
        queued = queued.filter(Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True))
    rows = [
        (pk, dispatched_at)
        for pk, dispatched_at, holder in queued.order_by("pk").values_list("pk", "dispatched_at", "claimed_by")
        # without a broker a held run names its holder: a process of this machine that is gone
        # left it, no need to wait for its lease to run out
        if dispatched_at is None or dispatched_at < cutoff or (holder and liveness.executor_is_gone(holder))
    ]
    claimed: list[int] = []
    for pk, dispatched_at in rows:
        as_read = ReportRun.objects.filter(pk=pk, status=Status.QUEUED)
        as_read = (
            as_read.filter(dispatched_at=dispatched_at)
            if dispatched_at is not None
            else as_read.filter(dispatched_at__isnull=True)
        )
        if as_read.update(dispatched_at=now, claimed_by="", stage="重新排队等待生成"):
            claimed.append(pk)
    return claimed


def report_runs_recover(*, now: datetime | None = None) -> list[int]:
    """One sweep: re-queue stopped runs and re-send orphaned ones; returns the ids sent."""
    now = now or timezone.now()
    requeued = _requeue_stopped(now)
    orphans = _orphans(now)
    sent = requeued + orphans
    if sent:
        logger.warning("Report runs re-queued: %s stopped, %s without a message", requeued, orphans)
        dispatch.dispatch_now(sent)
    return sent


class Watchdog:
    """A daemon thread that calls `tick` now and then every `interval` seconds until stopped."""

    def __init__(self, *, name: str, interval: float, tick: Callable[[], object]) -> None:
        self.name = name
        self.interval = interval
        self.tick = tick
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Watchdog:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        failing = False
        try:
            while not self._stop.is_set():
                try:
                    if self.tick() is False:
                        return
                    if failing:
                        logger.warning("%s: sweeping again", self.name)
                        failing = False
                except Exception:  # the database or the broker is away: the next tick tries again
                    # Once per outage with its traceback, not every few seconds while it lasts: a
                    # database down for an hour would otherwise bury the log in identical tracebacks.
                    if not failing:
                        logger.warning("%s: sweep failed (retrying quietly until it works)", self.name, exc_info=True)
                        failing = True
                    else:
                        logger.debug("%s: sweep failed again", self.name, exc_info=True)
                finally:
                    connections.close_all()  # this thread's own connection
                self._stop.wait(self.interval)
        finally:
            connections.close_all()
