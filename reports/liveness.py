"""A running report proves it is alive: who renders it (`claimed_by`) and a heartbeat (`heartbeat_at`).

The process that claims a run stamps `claimed_by` (host, PID namespace and PID) and, from a thread
beside the render, `heartbeat_at` every REPORTS_HEARTBEAT_SECONDS. A run is alive while its heartbeat
is younger than REPORTS_HEARTBEAT_TIMEOUT_SECONDS and, when its executor was a process of this
machine, that process still exists. A run that is not alive is re-queued by the sweeper
(reports/recovery.py) and may be claimed again by any execution (services._claim); a live one is
left alone, so a duplicate message never renders a report twice at the same time.

The PID check only ever makes recovery faster (a worker restarted on the same machine takes over at
once); on another machine, or when the PID was reused, the heartbeat's age decides.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from types import TracebackType

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from .models import ReportRun

logger = logging.getLogger(__name__)


def heartbeat_interval() -> float:
    return float(settings.REPORTS_HEARTBEAT_SECONDS)


def heartbeat_timeout() -> timedelta:
    return timedelta(seconds=float(settings.REPORTS_HEARTBEAT_TIMEOUT_SECONDS))


def _pid_namespace() -> str:
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "-"


def _machine() -> str:
    return f"{socket.gethostname()}:{_pid_namespace()}"


def identity() -> str:
    """This process, as `claimed_by` records it: host:pid-namespace:pid."""
    return f"{_machine()}:{os.getpid()}"


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child nobody has reaped yet is a zombie: dead for our purpose
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def executor_is_gone(claimed_by: str) -> bool:
    """True only when the executor was another process of this machine and it no longer exists."""
    machine, _, pid = claimed_by.rpartition(":")
    if machine != _machine() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    return not _process_exists(int(pid))


def is_alive(*, claimed_by: str, heartbeat_at: datetime | None, now: datetime) -> bool:
    """A running run whose executor still proves it is working on it."""
    if heartbeat_at is None or heartbeat_at < now - heartbeat_timeout():
        return False
    return not executor_is_gone(claimed_by)


class Heartbeat:
    """While the block runs, a thread stamps the run's `heartbeat_at` every REPORTS_HEARTBEAT_SECONDS.

    Only the execution that holds the claim beats (same `claimed_by` and attempt), so an execution
    that lost its run to the sweeper cannot keep it looking alive. Inside a transaction (the test
    suite's in-process runs) nobody else can see the row and there is nothing to prove: no thread.
    """

    def __init__(self, run_id: int, *, claimed_by: str, attempt: int) -> None:
        self.run_id = run_id
        self.claimed_by = claimed_by
        self.attempt = attempt
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        interval = heartbeat_interval()
        if interval > 0 and not connection.in_atomic_block:
            self._thread = threading.Thread(
                target=self._beat, args=(interval,), name=f"reports-heartbeat-{self.run_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def beat(self) -> bool:
        """One stamp; False when the run is no longer this execution's (finished, failed, re-queued)."""
        updated = ReportRun.objects.filter(
            pk=self.run_id, status=ReportRun.Status.RUNNING, claimed_by=self.claimed_by, attempts=self.attempt
        ).update(heartbeat_at=timezone.now())
        return bool(updated)

    def _beat(self, interval: float) -> None:
        try:
            while not self._stop.wait(interval):
                try:
                    if not self.beat():
                        return
                except Exception:  # the database is away: try again at the next beat
                    logger.warning("Report run %s: heartbeat not recorded", self.run_id, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's own connection; nobody else closes it
