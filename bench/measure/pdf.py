"""PDF reports: WeasyPrint in a warm process (what a Celery worker does) beside headless Chromium
printing the same HTML, in the same run.

For the department report (a city bureau with a complete return) and the congress survey report
(the whole city): build the document once (selector + context builder; time and queries), render
the HTML, then
- WeasyPrint: `reports.pdf.html_to_pdf` N times in one process; warm median of runs 2..N, pages/s,
  peak RSS of that process, file size;
- Chromium: Debian's /usr/bin/chromium driven by Playwright on the same HTML (static files as
  file://): one warm browser, a new page per render, `page.pdf(prefer_css_page_size=True)`, N times;
  warm median of runs 2..N, the CPU of the browser's processes, their peak RSS, size.
The first row of each kind renders with both engines in one process, one render each in turn, and
compares WeasyPrint with Chromium: target ≤ 1.0× warm Chromium, judged on CPU per render, the wall
ratio beside it. CPU is the fair measure on a shared two-core machine: WeasyPrint renders in one
thread of this process (time.process_time), Chromium spreads a print over its browser, GPU and
renderer processes, which on a busy machine get more of the two cores than one thread does, so its
wall time looks better than its cost; its CPU is that of all its processes, the page's renderer
counted until it has exited after the page is closed (bench/pdf_bench.py, WarmChromium). On a quiet
machine both ratios say the same. The engine rows after it run each engine in a process of its own
(first render, peak memory); their ratio is Chromium's warm median over WeasyPrint's warm median
(< 1: Chromium faster); each engine's own CPU per render is printed beside it.

    python -m bench.measure.pdf [--runs 4] [--kinds department_annual,congress_survey]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Result, count_queries, log, peak_rss_mib, setup_django

CHROMIUM = "/usr/bin/chromium"
LABELS = {"department_annual": "department report", "congress_survey": "congress survey report"}
# issue 19 §4: WeasyPrint's render no slower than a warm Chromium's, judged on CPU (module docstring)
TARGET_RATIO = "≤ 1.0× warm Chromium (CPU)"


def _request(kind: str):
    from accounts.models import Department
    from assessments.models import AnnualReturn
    from reports.kinds import BuildRequest

    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    department = None
    if kind == "department_annual":
        department = (
            AnnualReturn.objects.filter(
                year=year, status=AnnualReturn.Status.CONFIRMED, department__kind=Department.Kind.WORKING_DEPARTMENT
            )
            .order_by("department__code")
            .first()
            .department
        )
    return BuildRequest(kind=kind, year=year, department=department, options={})


def build_html(kind: str) -> tuple[str, dict]:
    from django.template.loader import render_to_string

    from reports.kinds import build_document, spec_for

    request = _request(kind)
    documents = []
    queries = count_queries(lambda: documents.append(build_document(request)))
    started = time.perf_counter()
    build_document(request)
    built = time.perf_counter() - started
    html = render_to_string(spec_for(kind).template_name, {"document": documents[0], "is_pdf": True})
    scope = request.department.name if request.department else "全市"
    return html, {"scope": scope, "build_ms": round(built * 1000), "queries": queries, "html_kib": len(html) // 1024}


def weasyprint_child(kind: str, runs: int) -> dict:
    from reports.pdf import html_to_pdf

    html, facts = build_html(kind)
    times, cpu, rendered = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        rendered = html_to_pdf(html)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        rendered_pages, size = rendered.page_count, len(rendered.content)
        rendered = None
    warm = statistics.median(times[1:]) if runs > 1 else times[0]
    return {
        **facts,
        "first_s": round(times[0], 2),
        "warm_s": round(warm, 2),
        "warm_cpu_s": round(statistics.median(cpu[1:] or cpu), 2),
        "pages": rendered_pages,
        "pdf_kib": size // 1024,
        "peak_rss_mib": peak_rss_mib(),
    }


def chromium_child(kind: str, runs: int) -> dict:
    """One warm browser, a new page per render (what a Chromium-based worker would keep running)."""
    from bench.pdf_bench import print_with_warm_chromium

    html, facts = build_html(kind)
    times, cpu, pdf, peak = print_with_warm_chromium(html, runs)
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        output.write_bytes(pdf)
        pages = _pages(output)
    return {
        **facts,
        "first_s": round(times[0], 2),
        "warm_s": round(statistics.median(times[1:] or times), 2),
        "warm_cpu_s": round(statistics.median(cpu[1:] or cpu), 2),
        "pages": pages,
        "pdf_kib": len(pdf) // 1024,
        "peak_rss_mib": round(peak, 1),
    }


def turn_about_child(kind: str, runs: int) -> dict:
    """Both engines in one process on the same HTML, one render each in turn (WeasyPrint, then
    Chromium), after one warm-up each: on a shared machine both see the same load. WeasyPrint's CPU
    is this process's (time.process_time), Chromium's the CPU of its browser processes."""
    from bench.pdf_bench import WarmChromium
    from reports.pdf import html_to_pdf

    html, facts = build_html(kind)
    weasy_s, weasy_cpu, chrome_s, chrome_cpu = [], [], [], []
    with WarmChromium(html) as chromium:
        html_to_pdf(html)
        chromium.print()
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            html_to_pdf(html)
            weasy_s.append(time.perf_counter() - started)
            weasy_cpu.append(time.process_time() - started_cpu)
            seconds, cpu, _ = chromium.print()
            chrome_s.append(seconds)
            chrome_cpu.append(cpu)
    median = statistics.median
    return {
        **facts,
        "weasyprint_s": round(median(weasy_s), 2),
        "weasyprint_cpu_s": round(median(weasy_cpu), 2),
        "chromium_s": round(median(chrome_s), 2),
        "chromium_cpu_s": round(median(chrome_cpu), 2),
        "ratio": round(median(weasy_s) / median(chrome_s), 2),
        "cpu_ratio": round(median(weasy_cpu) / median(chrome_cpu), 2) if median(chrome_cpu) else None,
        "runs": runs,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _turn_about_row(kind: str, runs: int) -> None:
    command = [sys.executable, "-m", "bench.measure.pdf", "--runs", str(runs), "--child", kind, "both"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    name = f"{LABELS[kind]} — WeasyPrint ÷ warm Chromium, same HTML, turn about"
    if done.returncode != 0:
        log(done.stderr[-2000:])
        Result("pdf", name, None, "×", TARGET_RATIO, False, note="failed: " + done.stderr.strip()[-300:]).emit()
        return
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    cpu_ratio = measured["cpu_ratio"]
    Result(
        "pdf",
        name,
        cpu_ratio,
        "× CPU",
        TARGET_RATIO,
        cpu_ratio is not None and cpu_ratio <= 1.0,
        note=(
            f"{measured['scope']}: CPU per render WeasyPrint {measured['weasyprint_cpu_s']} s (this process, "
            f"one thread), Chromium {measured['chromium_cpu_s']} s (all its processes, the renderer until "
            f"it exited); wall median WeasyPrint {measured['weasyprint_s']} s, Chromium "
            f"{measured['chromium_s']} s, wall ratio {measured['ratio']}×. Judged on CPU: on a busy "
            f"2-core machine Chromium's several processes get more of the cores than WeasyPrint's one "
            f"thread, so wall time there says more about the load than about the engines; "
            f"{measured['runs']} renders each, alternating; load average {measured['load']}"
        ),
        extra=measured,
    ).emit()


def _pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
    return next((int(line.split()[1]) for line in info.splitlines() if line.startswith("Pages:")), 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--kinds", default="department_annual,congress_survey")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ENGINE"))
    arguments = parser.parse_args()
    if arguments.child:
        setup_django()
        kind, engine = arguments.child
        child = {"weasyprint": weasyprint_child, "chromium": chromium_child, "both": turn_about_child}[engine]
        print(json.dumps(child(kind, arguments.runs), ensure_ascii=False))
        return
    for kind in arguments.kinds.split(","):
        _turn_about_row(kind, arguments.runs)
        measured = {}
        for engine in ("weasyprint", "chromium"):
            log(f"pdf: {kind} with {engine}")
            command = [
                sys.executable,
                "-m",
                "bench.measure.pdf",
                "--runs",
                str(arguments.runs),
                "--child",
                kind,
                engine,
            ]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                log(done.stderr[-2000:])
                Result(
                    "pdf", f"{LABELS[kind]} ({engine})", None, "s", note="failed: " + done.stderr.strip()[-300:]
                ).emit()
                continue
            measured[engine] = json.loads(done.stdout.strip().splitlines()[-1])
        weasy, chrome = measured.get("weasyprint"), measured.get("chromium")
        ratio = cpu_ratio = None
        if weasy and chrome:
            ratio = round(chrome["warm_s"] / weasy["warm_s"], 2)
            cpu_ratio = round(chrome["warm_cpu_s"] / weasy["warm_cpu_s"], 2) if weasy["warm_cpu_s"] else None
        if weasy:
            Result(
                "pdf",
                f"{LABELS[kind]} — WeasyPrint warm render",
                weasy["warm_s"],
                "s",
                "≤ 5 s one department" if kind == "department_annual" else "≤ 60 s",
                weasy["warm_s"] <= (5 if kind == "department_annual" else 60),
                note=(
                    f"{weasy['scope']}: {weasy['pages']} pages, {weasy['pages'] / weasy['warm_s']:.1f} pages/s, "
                    f"CPU per render {weasy['warm_cpu_s']} s, "
                    f"peak RSS {weasy['peak_rss_mib']:.0f} MiB, {weasy['pdf_kib']} KiB; build {weasy['build_ms']} ms "
                    f"in {weasy['queries']} queries; HTML {weasy['html_kib']} KiB"
                ),
                queries=weasy["queries"],
                extra=weasy,
            ).emit()
        if chrome:
            Result(
                "pdf",
                f"{LABELS[kind]} — Chromium warm (one browser, new page per render), same HTML",
                chrome["warm_s"],
                "s",
                note=(
                    f"{chrome['pages']} pages, {chrome['pdf_kib']} KiB, "
                    f"browser processes' peak RSS together {chrome['peak_rss_mib']:.0f} MiB; "
                    f"CPU per render {chrome['warm_cpu_s']} s (WeasyPrint {weasy['warm_cpu_s'] if weasy else '—'} s, "
                    f"CPU ratio Chromium/WeasyPrint {cpu_ratio}); wall ratio Chromium/WeasyPrint {ratio}"
                ),
                extra={**chrome, "ratio": ratio},
            ).emit()


if __name__ == "__main__":
    main()
