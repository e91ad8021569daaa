"""Batch generation: all department reports of one city's year (批量生成) through two real Celery
workers (prefork, `-c 2` on this 2-core machine) on Redis, as production runs them. Reports per
minute from the batch request to the last run finished (done or failed).

The broker is Redis database 5 (the benchmark's own; purged first); files go to a temporary
MEDIA_ROOT. The year measured is the last complete (published) one. At province scale the batch is
one city's: a reviewer scoped to the first city government requests it.

    python -m bench.measure.batch [--timeout 900]
"""

import argparse
import os
import signal
import subprocess
import sys
import time

from .common import Result, log, setup_django

BROKER = "redis://127.0.0.1:6379/5"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--concurrency", type=int, default=2)
    arguments = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = BROKER
    setup_django()
    from django.db.models import Count

    from accounts.models import Department, User
    from assessments.models import AnnualReturn
    from reports.models import ReportRun
    from reports.services import report_batch_request

    city = Department.objects.filter(parent__isnull=True).order_by("sort_order", "code").first()
    reviewer, _ = User.objects.get_or_create(
        username="bench_city_reviewer",
        defaults={"role": User.Role.REVIEWER, "review_scope": city, "full_name": "市级审核员"},
    )
    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first() - 1
    environment = {**os.environ}
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "lawgov", "purge", "-f"],
        env=environment,
        capture_output=True,
        check=False,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lawgov",
            "worker",
            "-c",
            str(arguments.concurrency),
            "-l",
            "warning",
            "-n",
            f"bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for_worker()
        started = time.monotonic()
        batch = report_batch_request(year=year, user=reviewer)
        total = batch.runs.count()
        log(f"batch: {total} department reports of {city.name} {year}")
        finished = 0
        while time.monotonic() - started < arguments.timeout:
            states = dict(batch.runs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
            finished = states.get(ReportRun.Status.DONE, 0) + states.get(ReportRun.Status.FAILED, 0)
            if finished >= total:
                break
            time.sleep(2)
        elapsed = time.monotonic() - started
        done = batch.runs.filter(status=ReportRun.Status.DONE).count()
        failed = batch.runs.filter(status=ReportRun.Status.FAILED).count()
        per_minute = round(done / elapsed * 60, 1)
        note = (
            f"{done} of {total} done, {failed} failed in {elapsed:.0f} s with {arguments.concurrency} worker processes"
        )
        if finished < total:
            note += f" (stopped at the {arguments.timeout:.0f} s limit)"
            batch.runs.filter(status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]).update(
                status=ReportRun.Status.FAILED, error_message="benchmark stopped", stage="benchmark stopped"
            )
        Result(
            "batch",
            f"batch of department reports ({year}, 2 Celery workers)",
            per_minute,
            "reports/min",
            note=note,
            extra={"done": done, "failed": failed, "total": total, "seconds": round(elapsed)},
        ).emit()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "lawgov", "purge", "-f"],
            env=environment,
            capture_output=True,
            check=False,
        )


def _wait_for_worker() -> None:
    from lawgov.celery import app

    for _ in range(60):
        if app.control.inspect(timeout=1).ping():
            return
        time.sleep(1)
    raise RuntimeError("the Celery worker did not start")


if __name__ == "__main__":
    main()
