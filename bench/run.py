"""The benchmark suite: one command, one database per scale, one markdown table per run.

    make bench SCALE=city            # = .venv/bin/python bench/run.py --scale city
    .venv/bin/python bench/run.py --scale province --only pages,scoring,import

Uses DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/lawgov_bench_<scale>; creates,
migrates and fills it (`manage.py generate_data --scale <scale> --seed 42`) when it has no data.
Each measurement runs as a process of its own (bench/measure/*.py) with production-like settings
(DEBUG off). The table goes to bench/results/<scale>-<git sha>.md and to the terminal; compare two
runs with `python bench/compare.py OLD.md NEW.md`.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure.common import BENCH_ENVIRONMENT  # noqa: E402

# (name, module, arguments, seconds allowed)
MEASUREMENTS = {
    "pages": ("bench.measure.pages", ["--runs", "30"], 900),
    "public": ("bench.measure.public_pages", ["--runs", "30"], 600),
    "provided": ("bench.measure.provided", ["--runs", "15"], 900),
    "scoring": ("bench.measure.scoring", [], 1200),
    "import": ("bench.measure.xlsx_import", [], 1200),
    "pdf": ("bench.measure.pdf", ["--runs", "4"], 1800),
    "reports": ("bench.measure.report_build", ["--runs", "7"], 900),
    "batch": ("bench.measure.batch", ["--timeout", "900"], 1200),
    "click": ("bench.measure.click", ["--runs", "15"], 900),
    "api": ("bench.measure.api", ["--runs", "15"], 600),
    "load": ("bench.measure.load", ["--users", "100", "--seconds", "60"], 600),
}


def database_url(scale: str) -> str:
    return os.environ.get("DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/lawgov_bench_{scale}"


def ensure_database(url: str, scale: str, environment: dict) -> None:
    """Create, migrate and fill the benchmark database unless it already holds data."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if url.startswith("postgres"):
        if not name.startswith("lawgov_bench"):
            raise SystemExit(f"refusing to use {name}: benchmark databases are named lawgov_bench*")
        server = url.rsplit("/", 1)[0] + "/postgres"
        query = f"select 1 from pg_database where datname='{name}'"  # noqa: S608 - our own database's name
        exists = subprocess.run(["psql", server, "-Atc", query], capture_output=True, text=True, check=True)
        exists = exists.stdout.strip()
        if not exists:
            subprocess.run(["psql", server, "-qc", f'create database "{name}"'], check=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=environment, check=True, cwd=ROOT)
    check = "from accounts.models import Department; print(Department.objects.exists())"
    filled = (
        subprocess.run(
            [*manage, "shell", "-c", check], env=environment, capture_output=True, text=True, check=True, cwd=ROOT
        )
        .stdout.strip()
        .endswith("True")
    )
    if not filled:
        print(f"generating {scale} data into {name} …", flush=True)
        subprocess.run(
            [*manage, "generate_data", "--scale", scale, "--seed", "42"], env=environment, check=True, cwd=ROOT
        )


def run_measurement(name: str, environment: dict) -> list[dict]:
    module, arguments, allowed = MEASUREMENTS[name]
    print(f"== {name}", flush=True)
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", module, *arguments],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=allowed,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return [
            {
                "section": name,
                "name": name,
                "value": None,
                "unit": "",
                "target": "",
                "met": False,
                "note": f"did not finish within {allowed} s",
            }
        ]
    results = [json.loads(line[7:]) for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0:
        tail = [line for line in done.stderr.strip().splitlines() if "weasyprint.progress" not in line][-3:]
        results.append(
            {
                "section": name,
                "name": f"{name} (crashed)",
                "value": None,
                "unit": "",
                "target": "",
                "met": False,
                "note": " / ".join(tail)[-400:],
            }
        )
    for result in results:
        print(f"   {result['name']}: {result['value']} {result['unit']}", flush=True)
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    return results


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def _ratios(extra: dict) -> str:
    """A page against the bare-form anchor of the same run (bench/measure/anchor.py): "CPU 2.3×
    (wall 2.6×) GET", CPU being the app's plus its database queries'."""
    if extra.get("ratio_wall") is None:
        return ""
    cpu = f"CPU {extra['ratio_cpu']:.2f}× " if extra.get("ratio_cpu") is not None else ""
    return f"{cpu}(wall {extra['ratio_wall']:.2f}×) {extra['anchor']}"


def table(results: list[dict], header: dict) -> str:
    lines = [f"# lawgov benchmarks — {header['scale']} — {header['sha']}", ""]
    lines += [f"- {key}: {value}" for key, value in header.items()]
    lines += [
        "",
        "| section | measurement | result | unit | p95 | app CPU p50 | queries | × bare form | target | met | notes |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | --- | --- | --- | --- |",
    ]
    for result in results:
        met = {True: "yes", False: "**no**", None: ""}[result.get("met")]
        note = (result.get("note") or "").replace("|", "/")
        extra = result.get("extra") or {}
        lines.append(
            f"| {result['section']} | {result['name']} | {_number(result.get('value'))} | {result.get('unit', '')} "
            f"| {_number(result.get('p95'))} | {_number(extra.get('cpu_p50_ms'))} "
            f"| {_number(result.get('queries'))} | {_ratios(extra)} | {result.get('target', '')} | {met} "
            f"| {note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="lawgov benchmark suite")
    parser.add_argument("--scale", choices=["small", "city", "province"], default="city")
    parser.add_argument("--only", default=",".join(MEASUREMENTS), help="comma-separated: " + ",".join(MEASUREMENTS))
    arguments = parser.parse_args()
    url = database_url(arguments.scale)
    environment = {**os.environ, **BENCH_ENVIRONMENT, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    environment.pop("CELERY_BROKER_URL", None)  # tasks run in-process except in the batch measurement
    ensure_database(url, arguments.scale, environment)
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    header = {
        "scale": arguments.scale,
        "sha": sha + ("+dirty" if dirty else ""),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}",
        "database": url.rsplit("/", 1)[-1],
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }
    results = []
    for name in arguments.only.split(","):
        results += run_measurement(name, environment)
    header["load average at end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = table(results, header)
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    path = folder / f"{arguments.scale}-{sha}.md"
    path.write_text(text, encoding="utf-8")
    (folder / f"{arguments.scale}-{sha}.json").write_text(
        json.dumps({"header": header, "results": results}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print()
    print(text)
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
