import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Department, User

from .factories import DepartmentFactory, UserFactory


def pytest_make_parametrize_id(config, val, argname):
    """Generated file bytes (zip headers carry the time) would give each xdist worker other test
    ids and fail collection; name such parameters by their argument instead."""
    if isinstance(val, bytes | bytearray):
        return argname
    return None


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    broker = (
        "eager (in-process, no broker)" if settings.CELERY_BROKER_URL == "memory://" else (settings.CELERY_BROKER_URL)
    )
    return [f"lawgov database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']})", f"lawgov broker: {broker}"]


@dataclass
class Cast:
    """The standing cast of every access test: two departments in different branches, one user per role.

    city ─ dept_a (市直部门, staff_a)
         └ county ─ dept_b (乡镇, staff_b)
         └ court (数据提供单位, not assessed: no return; provider)
    reviewer sees all (and sits in the justice bureau); reviewer_scoped sees only the county branch;
    provider enters the figures the court provides (none, unless a test marks an indicator provided).
    """

    city: Department
    justice_bureau: Department
    dept_a: Department
    county: Department
    dept_b: Department
    staff_a: User
    staff_b: User
    reviewer: User
    reviewer_scoped: User
    congress: User
    admin: User
    court: Department
    provider: User

    def user(self, role_name: str) -> User | None:
        return None if role_name == "anonymous" else getattr(self, role_name)


@pytest.fixture(autouse=True)
def _fresh_framework_trees():
    """Each test starts with no framework tree held from another test's (rolled-back) data."""
    from indicators.selectors import framework_tree_cache_clear

    framework_tree_cache_clear()
    yield
    framework_tree_cache_clear()


@pytest.fixture
def cast(db) -> Cast:
    G, D, T = Department.Kind.GOVERNMENT, Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP
    city = DepartmentFactory(code="C000", name="测试市人民政府", kind=G, level=Department.Level.CITY)
    justice = DepartmentFactory(code="C001", name="测试市司法局", kind=D, parent=city)
    dept_a = DepartmentFactory(code="C002", name="测试市甲局", kind=D, parent=city)
    county = DepartmentFactory(code="C100", name="测试县人民政府", kind=G, level=Department.Level.COUNTY, parent=city)
    court = DepartmentFactory(
        code="C090", name="测试市中级人民法院", short_name="市中级人民法院", kind=D, parent=city, is_assessed=False
    )
    dept_b = DepartmentFactory(
        code="C110", name="测试县乙镇人民政府", kind=T, level=Department.Level.TOWNSHIP, parent=county
    )
    return Cast(
        city=city,
        justice_bureau=justice,
        dept_a=dept_a,
        county=county,
        dept_b=dept_b,
        staff_a=UserFactory(username="staff_a", department=dept_a),
        staff_b=UserFactory(username="staff_b", department=dept_b),
        reviewer=UserFactory(username="reviewer", role=User.Role.REVIEWER, department=justice),
        reviewer_scoped=UserFactory(
            username="reviewer_scoped", role=User.Role.REVIEWER, department=justice, review_scope=county
        ),
        congress=UserFactory(username="congress", role=User.Role.CONGRESS, department=None),
        admin=UserFactory(username="admin", role=User.Role.ADMIN, department=None, is_superuser=True),
        court=court,
        provider=UserFactory(username="provider", role=User.Role.PROVIDER, department=court),
    )


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- The real Celery worker ---------------------------------------------------------------------
# Integration tests send tasks through the real broker to a real worker process that reads the
# test database. The worker consumes a queue of its own, so no other worker on the machine can
# take these tasks (and run them against a different database).


def _integration_unavailable_reason() -> str | None:
    if settings.CELERY_BROKER_URL == "memory://":
        return "CELERY_BROKER_URL is not set: no broker, so no real worker"
    if connection.vendor != "postgresql":
        return "the worker needs a database shared between processes (set DATABASE_URL to PostgreSQL)"
    return None


def _database_url(settings_dict) -> str:
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{quote(user)}:{quote(password)}@" if password else (f"{quote(user)}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def live_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the real broker, pointed at the test database."""
    with django_db_blocker.unblock():
        reason = _integration_unavailable_reason()
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI must run the integration tests, but {reason}")
            pytest.skip(reason)
        database_url = _database_url(connection.settings_dict)
    from lawgov.celery import app

    queue = f"lawgov-test-{uuid.uuid4().hex[:8]}"
    log_path = Path(settings.BASE_DIR) / "var" / f"{queue}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lawgov.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,  # its own queue, for whatever it sends
        "LAWGOV_TEST_WORKER": "1",
        # It lives for the whole session beside other tests' fabricated runs: it must not sweep them.
        "REPORTS_SWEEP_SECONDS": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "lawgov", "worker", "--pool=prefork", "--concurrency=1",
        f"--queues={queue}", f"--hostname={queue}@%h", "--without-gossip", "--without-mingle",
        "--loglevel=INFO", f"--logfile={log_path}",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while True:
            replies = app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1.0)
            if replies:
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
        yield LiveWorker(queue=queue, process=process, log_path=log_path)
    finally:
        app.conf.task_default_queue = previous_queue
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class LiveWorker:
    queue: str
    process: subprocess.Popen
    log_path: Path


@pytest.fixture
def celery_live(live_worker, settings):
    """Within a test: tasks are sent to the real broker and run by the live worker."""
    from lawgov.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield live_worker
    finally:
        app.conf.task_always_eager = True


# --- Measurements printed at the end of the run (the fault tests' recovery times) -----------------
# A test records `record_property("measured", "...")`; under pytest-xdist the report carries it to
# the controller, which prints them all in a "measured" section of the summary.
_MEASURED: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _MEASURED.extend(f"{report.nodeid}: {value}" for name, value in report.user_properties if name == "measured")


def pytest_terminal_summary(terminalreporter):
    if _MEASURED:
        terminalreporter.section("measured")
        for line in _MEASURED:
            terminalreporter.write_line(line)
