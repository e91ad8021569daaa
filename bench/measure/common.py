"""What every measurement shares: Django set up like production, timing, results as JSON lines."""

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

# Production-like settings on loopback: DEBUG off (no query log, cached templates), no HTTPS
# redirect or secure-only cookies (plain HTTP on 127.0.0.1), static files from the source tree.
BENCH_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "lawgov.settings.base",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_MANIFEST": "0",
}


def setup_django() -> None:
    for key, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    # Generated files of the benchmark database live beside it, never in the project's var/media.
    database = os.environ.get("DATABASE_URL", "sqlite").rstrip("/").rsplit("/", 1)[-1]
    os.environ.setdefault("MEDIA_ROOT", f"/tmp/lawgov-bench-media/{database}")  # noqa: S108 - scratch files of a scratch database
    import django

    django.setup()


@dataclass
class Result:
    section: str
    name: str
    value: float | None  # the headline number, in `unit`
    unit: str
    target: str = ""
    met: bool | None = None
    p95: float | None = None
    queries: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    def emit(self) -> None:
        print("RESULT " + json.dumps(asdict(self), ensure_ascii=False, default=str), flush=True)


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    runs: int
    cpu_p50_ms: float  # this process's CPU time: what the app server spends, less waiting on a busy machine


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, min(len(sorted_values) - 1, round(share * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def time_calls(call: Callable[[int], object], *, runs: int, warmup: int = 2) -> Timing:
    for number in range(warmup):
        call(-1 - number)
    timings, cpu = [], []
    for number in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call(number)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    return Timing(
        p50_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile(timings, 0.95), 1),
        runs=runs,
        cpu_p50_ms=round(statistics.median(cpu), 1),
    )


def count_queries(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def database_cpu_seconds() -> Callable[[], float | None]:
    """A reader of the CPU time (user + system, seconds) the PostgreSQL backend serving this
    process's connection has used, when that server runs on this machine and /proc shows it; the
    reader returns None otherwise. With the process's own CPU it is what a request costs, whatever
    else the machine is doing (wall time on a shared machine is mostly waiting)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("select pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = f"/proc/{pid}/stat"
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float | None:
        try:
            with open(stat, encoding="ascii") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            return None  # another machine's server, or not ours to read
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
