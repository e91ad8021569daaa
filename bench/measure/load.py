"""Load test on loopback: gunicorn as production runs it (lawgov/gunicorn_config.py: (2 × cores) + 1
= 5 sync workers) on 127.0.0.1, driven by locust (bench/locustfile.py) with a mixed deadline-day
workload (70 % department staff saving drafts, 20 % reviewers, 10 % congress staff downloading PDFs)
at 100 concurrent users; bounded by time (--seconds) and by a request budget, so it always stops by
itself. The cache (CACHE_URL) is Redis when one answers on 127.0.0.1:6379 (BENCH_CACHE_URL, default
redis://127.0.0.1:6379/1), as in production; otherwise per process, as an installation without Redis.

The one command (what the lead runs on a quiet machine; it fills lawgov_bench_city first if empty):

    make bench SCALE=city ONLY=load        # = .venv/bin/python bench/run.py --scale city --only load
    python -m bench.measure.load [--users 100] [--seconds 60]     # alone, against DATABASE_URL

The load generator must not starve the server it measures: locust runs pinned to one core (the
last; `--locust-cpu` to choose, -1 not to pin) and its own CPU time is reported beside the server's
(gunicorn's processes) and the database's (the PostgreSQL backends serving this database), each
also per request, with the whole machine's busy share over the window and the load average before
and after: on a shared machine wall times are only as good as that line says, while CPU per request
is what a change to the code or to the server's set-up can be judged by.

Reported: the whole mix (req/s, p95, 5xx) against the target, then each page's req/s, p50 and p95,
and the save conflicts (409) with their cause. Sessions are created beforehand for staff of open
returns (one return per staff user while there are enough; users beyond them share, and a shared
return's saves conflict by design: the page's version check), a reviewer and congress staff; at
least two generated PDFs are made in-process so congress staff have something to download.
"""

import argparse
import csv
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .common import Result, log, setup_django

HOST = "127.0.0.1"


def _free_port() -> int:
    """A port nobody listens on: a fixed one (8765 until now) was another checkout's load test on a
    shared machine, and locust then measured that server's login page."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


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


STAFF_WEIGHT, REVIEWER_WEIGHT, CONGRESS_WEIGHT = 7, 2, 1  # as the user classes of bench/locustfile.py


def staff_users(users: int) -> int:
    """How many of `users` locust makes department staff (it spawns the classes by weight)."""
    return round(users * STAFF_WEIGHT / (STAFF_WEIGHT + REVIEWER_WEIGHT + CONGRESS_WEIGHT))


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
        "staff_users": staff_users(users),
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


def _wait_for_port(server: subprocess.Popen, port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode} (see its log)")
        with socket.socket() as probe:
            if probe.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not start")


def _warm_up(port: int, rounds: int, plan: dict) -> None:
    """Each worker's first requests of a page compile its templates and fill the per-process caches
    (the framework's tree, the indicators' fragments): costs of a worker's start, not of a request.
    Every page of the mix is asked for `rounds` times, concurrently (one client in sequence is
    served by whichever worker is idle, often the same one), so the measured window sees warm
    workers and its CPU per request is the steady state's."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    session_cookie = plan["cookies"]["session"]
    pages = [("/accounts/login/", None)]
    pages += [(staff["edit_url"], staff["session"]) for staff in plan["staff"][:3]]
    pages += [(plan["reviewer"]["queue_url"], plan["reviewer"]["session"])]
    pages += [(url, plan["reviewer"]["session"]) for url in plan["reviewer"]["review_urls"][:3]]
    pages += [(plan["congress"]["index_url"], plan["congress"]["session"])]
    pages += [(url, plan["congress"]["session"]) for url in plan["congress"]["download_urls"][:1]]

    def fetch(page):
        url, session = page
        headers = {"Cookie": f"{session_cookie}={session}"} if session else {}
        request = urllib.request.Request(f"http://{HOST}:{port}{url}", headers=headers)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - http://127.0.0.1, ours
            response.read()

    with ThreadPoolExecutor(max_workers=len(pages)) as pool:
        list(pool.map(fetch, pages * rounds))


def _process_cpu_seconds(pid: int) -> float:
    """utime + stime of one live process, from /proc (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuWatch:
    """CPU seconds a changing set of processes used in a window: gunicorn's (a worker is replaced
    after its max_requests) or the PostgreSQL backends serving one database (a connection is
    replaced after CONN_MAX_AGE). A thread reads them every second and keeps each one's last
    reading; a process there at the start counts from its reading then, one started later from 0."""

    def __init__(self, pids: Callable[[], Iterable[int]]):
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, *, baseline: bool = False) -> None:
        for pid in self.pids():
            seconds = _process_cpu_seconds(pid)
            self.first.setdefault(pid, seconds if baseline else 0.0)
            self.last[pid] = max(seconds, self.last.get(pid, 0.0))  # 0 once it is gone

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self._sample()

    def start(self) -> "CpuWatch":
        self._sample(baseline=True)
        self._thread.start()
        return self

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        self._sample()
        return sum(seconds - self.first[pid] for pid, seconds in self.last.items())


def _group_pids(group: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == group:
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


def _database_backends() -> Callable[[], list[int]]:
    """The pids of the PostgreSQL backends serving this database but not this process: read on a
    connection of their own (the sampling thread's), whose backend is left out too."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        return list
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        own = {cursor.fetchone()[0]}
    settings = connection.get_connection_params()
    settings.pop("cursor_factory", None)
    settings.pop("context", None)
    watcher = psycopg.connect(**settings, autocommit=True)
    own.add(watcher.info.backend_pid)
    database = connection.settings_dict["NAME"]

    def pids() -> list[int]:
        rows = watcher.execute("select pid from pg_stat_activity where datname = %s", [database]).fetchall()
        return [row[0] for row in rows if row[0] not in own]

    return pids


def _cache_url() -> str | None:
    """Redis for the sessions and the cache, as production has it, when one answers; None: the
    database and a per-process cache (what an installation without Redis has)."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/1")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # any failure means: no Redis to use
        return None
    return url


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores from /proc/stat."""
    with open("/proc/stat", encoding="ascii") as file:
        values = [int(value) for value in file.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def _locust_core(cpu: int) -> int | None:
    """The core locust is pinned to (the `cpu`-th this process may use), None: not pinned."""
    cores = sorted(os.sched_getaffinity(0))
    if cpu < 0 or len(cores) < 2:
        return None
    return cores[cpu] if cpu < len(cores) else cores[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--locust-cpu", type=int, default=-1 + len(os.sched_getaffinity(0)), help="-1: not pinned")
    arguments = parser.parse_args()
    cache_url = os.environ.get("CACHE_URL") or _cache_url()
    if cache_url:
        os.environ["CACHE_URL"] = cache_url  # the plan's sessions are made where the server reads them
    setup_django()
    plan = make_plan(arguments.users)
    folder = Path(tempfile.mkdtemp(prefix="lawgov-bench-load-"))
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    from django.conf import settings

    from lawgov import gunicorn_config

    workers = gunicorn_config.workers
    setup = f"{workers} workers; sessions: {settings.SESSION_ENGINE}, cache: {cache_url or 'per process'}"
    port = _free_port()
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
            "-c",
            str(Path(gunicorn_config.__file__)),
            "lawgov.wsgi",
            "-b",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(folder / "gunicorn.log", "w"),  # noqa: SIM115 - the server outlives this statement
        start_new_session=True,
    )
    machine: dict[str, float] = {}
    try:
        _wait_for_port(server, port)
        _warm_up(port, workers * 2, plan)
        log(f"load: {workers} gunicorn workers, {arguments.users} users for {arguments.seconds} s")
        load_before = os.getloadavg()
        server_cpu = CpuWatch(lambda: _group_pids(server.pid)).start()
        database_cpu = CpuWatch(_database_backends()).start()
        busy_before = _machine_busy()
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        process = subprocess.Popen(
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
                f"http://{HOST}:{port}",
                "--csv",
                str(folder / "load"),
                "--only-summary",
                "--stop-timeout",
                "10",
                "--exit-code-on-error",
                "0",
            ],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        core = _locust_core(arguments.locust_cpu)
        if core is not None:
            os.sched_setaffinity(process.pid, {core})  # before it has spawned a user
        try:
            stdout, stderr = process.communicate(timeout=arguments.seconds + 120)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        wall = time.monotonic() - started
        children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy_after = _machine_busy()
        machine = {
            "wall": wall,
            "locust_cpu": (children_after.ru_utime + children_after.ru_stime)
            - (children_before.ru_utime + children_before.ru_stime),
            "server_cpu": server_cpu.stop(),
            "database_cpu": database_cpu.stop(),
            "busy_share": (busy_after[0] - busy_before[0]) / max(1, busy_after[1] - busy_before[1]),
            "load_before": load_before[0],
            "load_after": os.getloadavg()[0],
            "cores": len(os.sched_getaffinity(0)),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    (folder / "locust.log").write_text(stdout + stderr, encoding="utf-8")
    conflicts = next((line.split()[1] for line in stdout.splitlines() if line.startswith("CONFLICTS")), "?")
    _report(folder, arguments, setup, conflicts, plan, machine)


def _machine_text(machine: dict, pinned: bool, requests: int) -> str:
    def per_request(seconds: float) -> str:
        return f"{seconds * 1000 / max(1, requests):.1f} ms"

    return (
        f"CPU per request: gunicorn {per_request(machine['server_cpu'])}, PostgreSQL "
        f"{per_request(machine['database_cpu'])}, locust {per_request(machine['locust_cpu'])}; "
        f"locust {'pinned to one core, ' if pinned else ''}used {machine['locust_cpu']:.1f} CPU s "
        f"({machine['locust_cpu'] / machine['wall']:.0%} of a core), gunicorn {machine['server_cpu']:.1f} CPU s "
        f"({machine['server_cpu'] / machine['wall']:.0%} of a core), PostgreSQL {machine['database_cpu']:.1f} CPU s "
        f"in {machine['wall']:.0f} s; the machine's {machine['cores']} cores {machine['busy_share']:.0%} busy; "
        f"load average {machine['load_before']:.1f} before, {machine['load_after']:.1f} after"
    )


def _conflict_text(conflicts: str, plan: dict) -> str:
    returns, users = len(plan["staff"]), plan["staff_users"]
    shared = max(0, users - returns)
    why = (
        f"{users} staff users on {returns} open returns: {shared} share a return with another user, and their "
        "saves of the same indicator conflict by design (the version check)"
        if shared
        else f"every one of the {users} staff users has an open return of their own, so a conflict is a stale "
        "version on the page"
    )
    return f"{conflicts} save conflicts (409): {why}"


def _report(folder: Path, arguments, setup: str, conflicts: str, plan: dict, machine: dict) -> None:
    with open(folder / "load_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "load_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    server_errors = sum(int(row["Occurrences"]) for row in failures if " 5" in row["Error"] or "50" in row["Error"])
    total = next(row for row in rows if row["Name"] == "Aggregated")
    p95 = float(total["95%"])
    errors = int(total["Failure Count"])
    pinned = arguments.locust_cpu >= 0 and machine.get("cores", 1) > 1
    requests = int(total["Request Count"])
    context = _machine_text(machine, pinned, requests) if machine else ""
    Result(
        "load",
        f"mixed workload, {arguments.users} users, gunicorn (lawgov/gunicorn_config.py)",
        round(float(total["Requests/s"]), 1),
        "req/s",
        "0 × 5xx, p95 ≤ 500 ms",
        server_errors == 0 and p95 <= 500,
        p95=p95,
        note=f"{requests} requests in {arguments.seconds} s, {errors} errors ({server_errors} 5xx), "
        f"{_conflict_text(conflicts, plan)}; {context}; gunicorn: {setup}",
        extra={
            "requests": requests,
            **{
                f"{key}_ms_per_request": round(machine[key] * 1000 / max(1, requests), 2)
                for key in ("server_cpu", "database_cpu", "locust_cpu")
                if key in machine
            },
            "errors": errors,
            "server_errors": server_errors,
            "conflicts": conflicts,
            **{key: round(value, 3) for key, value in machine.items()},
        },
    ).emit()
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        Result(
            "load",
            f"· {row['Name']}",
            round(float(row["Requests/s"]), 1),
            "req/s",
            p95=float(row["95%"]),
            note=f"p50 {row['50%']} ms, p95 {row['95%']} ms, {row['Request Count']} requests, "
            f"{row['Failure Count']} failed",
        ).emit()
    log(f"load: files in {folder}")


if __name__ == "__main__":
    main()
