import os
import socket

from celery import shared_task
from django.db import connection

from accounts.models import Department


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
