"""Load test on loopback: gunicorn with (2 × cores) + 1 = 5 sync workers on 127.0.0.1, driven by
locust (bench/locustfile.py) with a mixed deadline-day workload at 50 concurrent users; bounded by
time (--seconds) and by a request budget, so it always stops by itself.

Sessions are created beforehand for staff of open returns, a reviewer and congress staff; at least
two generated PDFs are made in-process so congress staff have something to download.

    python -m bench.measure.load [--users 50] [--seconds 60]
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Result, log, setup_django

HOST, PORT = "127.0.0.1", 8765


def _session(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _downloads(congress) -> list[str]:
    from django.urls import reverse

    from accounts.models import Department
    from assessments.models import AnnualReturn
    from reports.models import ReportKind, ReportRun
    from reports.services import report_run_execute, report_run_request

    done = list(ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-pk")[:10])
    if len(done) < 2:
        year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first() - 1
        for department in Department.objects.filter(kind=Department.Kind.WORKING_DEPARTMENT).order_by("code")[:2]:
            run = report_run_request(kind=ReportKind.DEPARTMENT_ANNUAL, year=year, department=department, user=congress)
            report_run_execute(run_id=run.pk)
        done = list(ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-pk")[:10])
    return [reverse("reports:run_download", args=[run.pk]) for run in done]


def make_plan(users: int) -> dict:
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import AnnualReturn, IndicatorValue

    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    open_returns = list(
        AnnualReturn.objects.filter(
            year=year, status__in=[AnnualReturn.Status.IN_PROGRESS, AnnualReturn.Status.NOT_STARTED]
        )
        .select_related("department")
        .order_by("department__code")[:users]
    )
    staff = []
    for annual_return in open_returns:
        user = User.objects.filter(department=annual_return.department, role=User.Role.DEPARTMENT_STAFF).first()
        counts = list(
            IndicatorValue.objects.filter(annual_return=annual_return, indicator__value_type="count").values_list(
                "indicator_id", flat=True
            )
        )
        staff.append(
            {
                "session": _session(user),
                "edit_url": reverse("assessments:return_edit", args=[annual_return.pk]),
                "save_url": reverse("assessments:value_save", args=[annual_return.pk, 999999999]),
                "count_indicators": counts,
            }
        )
    reviewer = User.objects.get(username="bench_reviewer")
    submitted = AnnualReturn.objects.filter(year=year, status=AnnualReturn.Status.SUBMITTED).exclude(
        department_id=reviewer.department_id
    )
    congress = User.objects.get(username="bench_congress")
    from django.conf import settings

    return {
        "cookies": {"session": settings.SESSION_COOKIE_NAME, "csrf": settings.CSRF_COOKIE_NAME},
        "staff": staff,
        "reviewer": {
            "session": _session(reviewer),
            "queue_url": reverse("reviews:queue"),
            "review_urls": [reverse("reviews:review", args=[pk]) for pk in submitted.values_list("pk", flat=True)[:30]],
        },
        "congress": {
            "session": _session(congress),
            "download_urls": _downloads(congress),
            "index_url": reverse("reports:index"),
        },
    }


def _wait_for_port(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, PORT)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def _warm_up(count: int) -> None:
    """Every worker runs the start-up checks (fonts, a test render) on its first request; wait for
    them so the measured window sees a ready server. Sent concurrently: one client in sequence is
    served by whichever worker is idle, often the same one, and left the others to run their checks
    inside the measured window."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_):
        with urllib.request.urlopen(f"http://{HOST}:{PORT}/accounts/login/", timeout=120) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(fetch, range(count)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20000)
    arguments = parser.parse_args()
    setup_django()
    plan = make_plan(arguments.users)
    folder = Path(tempfile.mkdtemp(prefix="lawgov-bench-load-"))
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    workers = 2 * (os.cpu_count() or 1) + 1
    environment = {
        **os.environ,
        "BENCH_PLAN": str(folder / "plan.json"),
        "BENCH_MAX_REQUESTS": str(arguments.max_requests),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lawgov.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{PORT}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115 - the server outlives this statement
        start_new_session=True,
    )
    try:
        _wait_for_port()
        _warm_up(workers * 3)
        log(f"load: {workers} gunicorn workers, {arguments.users} users for {arguments.seconds} s")
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(Path(__file__).resolve().parents[1] / "locustfile.py"),
                "--headless",
                "-u",
                str(arguments.users),
                "-r",
                "10",
                "-t",
                f"{arguments.seconds}s",
                "--host",
                f"http://{HOST}:{PORT}",
                "--csv",
                str(folder / "load"),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            env=environment,
            capture_output=True,
            text=True,
            timeout=arguments.seconds + 120,
            check=False,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    (folder / "locust.log").write_text(locust.stdout + locust.stderr, encoding="utf-8")
    conflicts = next((line.split()[1] for line in locust.stdout.splitlines() if line.startswith("CONFLICTS")), "?")
    _report(folder, arguments, workers, conflicts)


def _report(folder: Path, arguments, workers: int, conflicts: str) -> None:
    with open(folder / "load_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "load_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    server_errors = sum(int(row["Occurrences"]) for row in failures if " 5" in row["Error"] or "50" in row["Error"])
    total = next(row for row in rows if row["Name"] == "Aggregated")
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    per_name = "; ".join(
        f"{row['Name']} p50 {row['50%']} / p95 {row['95%']} ms ({row['Request Count']})"
        for row in rows
        if row["Name"] != "Aggregated"
    )
    Result(
        "load",
        f"mixed workload, {arguments.users} users, gunicorn {workers} workers",
        round(float(total["Requests/s"]), 1),
        "req/s",
        "0 × 5xx, p95 ≤ 500 ms",
        server_errors == 0 and p95 <= 500,
        p95=p95,
        note=f"{total['Request Count']} requests in {arguments.seconds} s, {errors} errors ({server_errors} 5xx), "
        f"{conflicts} save conflicts (409); {per_name}",
        extra={"requests": int(total["Request Count"]), "errors": errors, "server_errors": server_errors},
    ).emit()
    log(f"load: files in {folder}")


if __name__ == "__main__":
    main()
