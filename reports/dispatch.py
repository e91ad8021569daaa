"""Sending report runs to be rendered, and asking the broker which runs still have a message.

One execution path: every run is rendered by the Celery task `reports.report_run`. With a broker the
task goes to a worker; without one (the embedded default) the same task runs eagerly in a thread of
the web process after the commit (reports/background.py). Each message carries a task id that names
its run (`report-run-<id>-<random>`), so the sweeper can tell a queued run whose message waits in
Redis from one whose message was lost (reports/recovery.py).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

TASK_ID_PREFIX = "report-run-"


def task_id_for(run_id: int) -> str:
    return f"{TASK_ID_PREFIX}{run_id}-{uuid.uuid4().hex[:12]}"


def run_id_of(task_id: object) -> int | None:
    if not isinstance(task_id, str) or not task_id.startswith(TASK_ID_PREFIX):
        return None
    number = task_id[len(TASK_ID_PREFIX) :].split("-", 1)[0]
    return int(number) if number.isdigit() else None


def uses_broker() -> bool:
    from .tasks import report_run_task

    return not report_run_task.app.conf.task_always_eager


def send(run_ids: Iterable[int]) -> None:
    """One message per run on the broker, now. Raises when the broker cannot be reached."""
    from .tasks import report_run_task

    with report_run_task.app.producer_or_acquire() as producer:
        for run_id in run_ids:
            report_run_task.apply_async((run_id,), task_id=task_id_for(run_id), producer=producer)


def _send_or_leave_queued(run_ids: list[int]) -> None:
    try:
        send(run_ids)
    except Exception:
        # The runs stay queued without a message; the sweeper sends them once the broker is back.
        logger.warning("Broker unreachable: report runs %s stay queued for the sweeper", run_ids, exc_info=True)


def dispatch_on_commit(run_ids: list[int]) -> None:
    """Render the runs once the current transaction commits (the request never waits for a render).

    Like `delay_on_commit` but `robust`: a broker outage at that moment does not fail the request.
    Without a broker the runs go to reports.background, which decides now (not at commit) whether
    they render in a thread or in this process (`background.in_process()`).
    """
    from . import background

    ids = list(run_ids)
    if not ids:
        return
    if uses_broker():
        transaction.on_commit(lambda: _send_or_leave_queued(ids), robust=True)
    else:
        background.submit_on_commit(ids)


def dispatch_now(run_ids: list[int]) -> None:
    """The sweeper's dispatch: outside any transaction, right away."""
    from . import background

    if not run_ids:
        return
    if uses_broker():
        _send_or_leave_queued(run_ids)
    else:
        background.submit(run_ids)


def _run_id_in(raw: bytes | str) -> int | None:
    try:
        message: Any = json.loads(raw)
    except ValueError:
        return None
    if isinstance(message, list):  # an unacked entry: [message, exchange, routing_key]
        message = message[0] if message else {}
    headers = message.get("headers") if isinstance(message, dict) else None
    return run_id_of(headers.get("id")) if isinstance(headers, dict) else None


def runs_with_a_message(*, reserved_since: datetime) -> set[int] | None:
    """The runs that have a message in Redis: waiting in the queue, or taken by a worker at or after
    `reserved_since` (a worker starts a run within milliseconds of taking its message, so a message
    taken earlier whose run is still queued belongs to a worker that died before starting it).

    None when the broker cannot be asked: it is not Redis, or it cannot be reached now.
    """
    from .tasks import report_run_task

    app = report_run_task.app
    try:
        with app.connection_for_read() as conn:
            if conn.transport.driver_type != "redis":
                return None
            conn.ensure_connection(max_retries=1)
            channel: Any = conn.default_channel
            client = channel.client
            queue = app.conf.task_default_queue
            present: set[int] = set()
            for key in {channel._q_for_pri(queue, step) for step in channel.priority_steps}:
                present.update(run_id for raw in client.lrange(key, 0, -1) if (run_id := _run_id_in(raw)))
            taken_at = dict(client.zrange(channel.unacked_index_key, 0, -1, withscores=True))
            threshold = reserved_since.timestamp()
            for tag, raw in client.hgetall(channel.unacked_key).items():
                if taken_at.get(tag, threshold) >= threshold and (run_id := _run_id_in(raw)):
                    present.add(run_id)
            return present
    except Exception:
        logger.warning("Cannot read the broker's queue; queued report runs are checked later", exc_info=True)
        return None
