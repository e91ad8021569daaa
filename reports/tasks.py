import os
import socket

from celery import shared_task
from django.db import connection

from accounts.models import Department

from . import recovery, services


@shared_task(name="reports.worker_healthcheck")
def worker_healthcheck() -> dict[str, object]:
    """Proves a worker is alive and reads the same database as the web process."""
    return {
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "database_vendor": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        "department_count": Department.objects.count(),
    }


@shared_task(name="reports.report_run", ignore_result=True)
def report_run_task(run_id: int) -> None:
    """Generate one report run. Idempotent: the row decides (see services.report_run_execute).

    No retry of its own: a run whose execution stops (a killed worker, a transient database error)
    is re-queued by the sweeper (reports/recovery.py), with a broker or without. acks_late,
    reject-on-worker-lost and the time limits are global (settings); a run that keeps stopping
    fails after services.MAX_ATTEMPTS claims. No result is stored: the row is the result.
    """
    services.report_run_execute(run_id=run_id)


@shared_task(name="reports.sweep_stuck_runs", ignore_result=True)
def sweep_stuck_runs_task() -> list[int]:
    return recovery.report_runs_recover()
