import os
import socket

from celery import shared_task
from django.db import connection

from accounts.models import Department

from . import services


@shared_task(name="reports.worker_healthcheck")
def worker_healthcheck() -> dict:
    """Proves a worker is alive and reads the same database as the web process."""
    return {
        "hostname": socket.gethostname(),
        "pid": os.getpid(),
        "database_vendor": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        "department_count": Department.objects.count(),
    }


@shared_task(
    name="reports.report_run",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def report_run_task(run_id: int) -> None:
    """Generate one report run. Idempotent: the row decides (see services.report_run_execute).

    acks_late, reject-on-worker-lost and the time limits are global (settings); a run that keeps
    killing its worker stops after services.MAX_ATTEMPTS claims.
    """
    services.report_run_execute(run_id=run_id)


@shared_task(name="reports.sweep_stuck_runs")
def sweep_stuck_runs_task() -> list[int]:
    return services.report_runs_sweep()
