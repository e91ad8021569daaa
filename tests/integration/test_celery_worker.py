import os

import pytest

from reports.tasks import worker_healthcheck
from tests.factories import DepartmentFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_sent_through_the_broker_runs_in_the_real_worker_on_the_test_database(celery_live):
    DepartmentFactory.create_batch(3)

    result = worker_healthcheck.apply_async().get(timeout=60)

    assert result["database_vendor"] == "postgresql"
    assert result["department_count"] == 3
    assert result["pid"] != os.getpid()  # it ran in the worker, not in-process
