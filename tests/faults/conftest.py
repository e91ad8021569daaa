"""Fault injection on this machine's real services: Celery workers started (and killed) by the
test itself, a PRIVATE redis-server on its own port (the shared Redis on 6379 is never touched),
and database connections cut from the server side. Nothing here stops a shared service."""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import _database_url, _integration_unavailable_reason


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _require_real_services():
    reason = _integration_unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the fault tests, but {reason}")
        pytest.skip(reason)


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def kill_whole_worker(self) -> None:
        """SIGKILL to the worker's process group: the main process and its pool children at once."""
        os.killpg(self.process.pid, 9)
        self.process.wait(timeout=10)


class Workers:
    """Starts real `celery worker` processes on one private queue, pointed at the test database."""

    def __init__(self, broker_url: str):
        from lawgov.celery import app

        self.app = app
        self.broker_url = broker_url
        self.queue = f"lawgov-fault-{uuid.uuid4().hex[:8]}"
        self.started: list[Worker] = []

    def start(self, *, wait: bool = True) -> Worker:
        number = len(self.started) + 1
        log_path = Path(settings.BASE_DIR) / "var" / f"{self.queue}-{number}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lawgov.settings.test",
            "DATABASE_URL": _database_url(connection.settings_dict),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,  # what its sweeper re-sends goes to its own queue
            "LAWGOV_TEST_WORKER": "1",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        hostname = f"{self.queue}-{number}@{socket.gethostname()}"
        command = [
            sys.executable, "-m", "celery", "-A", "lawgov", "worker", "--pool=prefork", "--concurrency=1",
            f"--queues={self.queue}", f"--hostname={hostname}", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "--loglevel=INFO", f"--logfile={log_path}",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True)
        worker = Worker(process=process, queue=self.queue, log_path=log_path)
        self.started.append(worker)
        if wait:
            # The worker's own "ready" line (a control ping would go through this process's cached
            # mailbox producer, which may point at another broker than the one under test).
            deadline = time.monotonic() + 60
            while not (
                log_path.exists()
                and f"{self.queue}-{number}@" in log_path.read_text()
                and " ready." in log_path.read_text()
            ):
                if process.poll() is not None or time.monotonic() > deadline:
                    text = log_path.read_text()[-3000:] if log_path.exists() else ""
                    pytest.fail(f"worker did not start; see {log_path}:\n{text}")
                time.sleep(0.2)
        return worker

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.process.poll() is None:
                os.killpg(worker.process.pid, 15)
                try:
                    worker.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.process.pid, 9)


def _use_broker(app, url: str) -> None:
    """Point this process's Celery app (the 'web' side) at another broker, dropping cached pools."""
    app.conf.broker_url = app.conf.broker_write_url = app.conf.broker_read_url = url
    app._pool = None  # not closed: kombu's registry may hand the same pool back when we switch back
    app.amqp._producer_pool = None


@pytest.fixture
def workers(django_db_serialized_rollback_off, settings):
    """Real workers on the shared broker (a private queue); the app sends to that queue."""
    _require_real_services()
    pool = Workers(os.environ["CELERY_BROKER_URL"])
    yield from _sending_to(pool, settings)


def _sending_to(pool: Workers, settings):
    app = pool.app
    previous = (app.conf.task_default_queue, app.conf.task_always_eager)
    app.conf.task_default_queue = pool.queue
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        yield pool
    finally:
        pool.stop_all()
        app.conf.task_default_queue, app.conf.task_always_eager = previous


@pytest.fixture
def django_db_serialized_rollback_off(transactional_db):
    """Workers read the test database from other processes: data must be committed."""
    return transactional_db


class PrivateRedis:
    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        # appendonly off on purpose: the broker loses whatever it held, and the database sweeper
        # must bring the work back (issue 9 §5, F5/F6).
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"private redis-server on {self.port} did not start")
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    _require_real_services()
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = int(os.environ.get("LAWGOV_FAULT_REDIS_PORT") or _free_port())  # never the shared 6379
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        pytest.fail(f"port {port} is taken; set LAWGOV_FAULT_REDIS_PORT")
    except OSError:
        pass
    redis = PrivateRedis(port, tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def workers_on_private_redis(private_redis, django_db_serialized_rollback_off, settings):
    from lawgov.celery import app

    previous_broker = app.conf.broker_url
    _use_broker(app, private_redis.url)
    pool = Workers(private_redis.url)
    try:
        yield from _sending_to(pool, settings)
    finally:
        _use_broker(app, previous_broker)
