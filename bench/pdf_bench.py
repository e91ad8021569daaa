"""PDF rendering benchmark: WeasyPrint (what the workers use) beside headless Chromium, same HTML.

For the department report of one city bureau and the congress survey report of the whole city, it
builds the document once (selector + context builder: time and query count), then renders the same
HTML N times in one warm process with each engine and reports the warm median render time (runs
2..N), pages per second, the engine's peak memory and the PDF size. Each report kind and engine runs
in a child process of its own, so peak memory belongs to that render alone.

    DEBUG=1 DATABASE_URL=postgres://…/lawgov_reports_bench python manage.py generate_data --scale city
    DEBUG=1 DATABASE_URL=postgres://…/lawgov_reports_bench python -m bench.pdf_bench --runs 5

Chromium is Debian's /usr/bin/chromium driven by Playwright for Python (one warm browser, a new page
per render, `page.pdf(prefer_css_page_size=True)`), never a downloaded browser.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

CHROMIUM = "/usr/bin/chromium"
YEAR_DEFAULT = None  # the latest year with returns


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawgov.settings.base")
    django.setup()


def _subject(kind: str, year: int):
    from accounts.models import Department
    from assessments.models import AnnualReturn

    if kind == "department_annual":
        returned = (
            AnnualReturn.objects.filter(year=year, department__kind=Department.Kind.WORKING_DEPARTMENT)
            .exclude(status__in=["not_started"])
            .select_related("department")
            .order_by("department__code")
            .first()
        )
        return returned.department
    return None


def _latest_year() -> int:
    from assessments.models import AnnualReturn

    return AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()


def build_html(kind: str, year: int) -> tuple[str, dict]:
    from django.db import connection, reset_queries
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from reports.kinds import BuildRequest, build_document, spec_for

    department = _subject(kind, year)
    reset_queries()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        document = build_document(BuildRequest(kind=kind, year=year, department=department, options={}))
    built = time.perf_counter() - started
    html = render_to_string(spec_for(kind).template_name, {"document": document, "is_pdf": True})
    scope = department.name if department else "全市"
    return html, {
        "scope": scope,
        "build_seconds": round(built, 3),
        "queries": len(queries),
        "html_kib": len(html.encode()) // 1024,
    }


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_weasyprint(html: str, runs: int) -> dict:
    from reports.pdf import html_to_pdf

    times, cpu, result = [], [], None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = html_to_pdf(html)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    return {
        "warm_cpu_seconds": round(statistics.median(cpu[1:] or cpu), 2),
        "first_seconds": round(times[0], 2),
        "warm_median_seconds": round(warm, 2),
        "warm_min_max": [round(min(times[1:] or times), 2), round(max(times[1:] or times), 2)],
        "pages": result.page_count,
        "pages_per_second": round(result.page_count / warm, 1),
        "peak_rss_mib": round(_peak_rss_mib()),
        "pdf_kib": len(result.content) // 1024,
    }


def _chromium_processes() -> list[Path]:
    """/proc entries of the Chromium processes below us (browser, zygotes, renderers, GPU and utility;
    an exited one not yet reaped too: its times stay readable until its parent reaps it)."""
    table = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            cmdline = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        table[int(fields["Pid"].strip())] = (int(fields["PPid"].strip()), cmdline, status.parent)
    ours, found = {os.getpid()}, []
    changed = True
    while changed:
        changed = False
        for pid, (parent, _, _) in table.items():
            if parent in ours and pid not in ours:
                ours.add(pid)
                changed = True
    for pid in ours:
        # A zombie's cmdline is empty: it is one of Chromium's when its parent is.
        if pid in table and (b"chromium" in table[pid][1] or (not table[pid][1] and table[pid][0] != os.getpid())):
            found.append(table[pid][2])
    return found


def _peak_mib(processes: list[Path]) -> float:
    total_kib = 0
    for process in processes:
        try:
            for line in (process / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return total_kib / 1024


def _cpu_seconds(processes: list[Path]) -> float:
    """CPU of the processes and of their children that have exited and been reaped (a closed page's
    renderer ends up in its zygote's cutime + cstime): a process's work is counted once, alive, as a
    zombie or reaped, as long as its parent is one of ours."""
    ticks = 0
    for process in processes:
        try:
            fields = (process / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += sum(int(field) for field in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _renderer_exited(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True  # reaped: its times are in its parent's
    return state in ("Z", "X")


class WarmChromium:
    """One browser kept running; each `print()` opens a new page on the HTML, prints it and closes
    it: (seconds to the PDF in hand, CPU seconds of the browser's processes for the whole print, PDF).
    /static/ links point at the checkout's files.

    The CPU includes every Chromium process's share (browser, GPU, renderer, utilities) and the page's
    renderer until it has exited after the page is closed: a renderer goes on working after `page.pdf()`
    returns (tearing the document down, ~1-2 s of CPU for the congress report on a loaded machine), and
    read before it exited that work was missed, or, when the previous page's renderer exited during the
    next print, subtracted from it."""

    def __init__(self, html: str) -> None:
        static = Path(__file__).resolve().parent.parent / "static"
        self.html = html.replace('href="/static/', f'href="file://{static}/').replace(
            'src="/static/', f'src="file://{static}/'
        )

    def __enter__(self) -> "WarmChromium":
        from playwright.sync_api import sync_playwright

        self._folder = tempfile.TemporaryDirectory()
        self.page_file = Path(self._folder.name) / "report.html"
        self.page_file.write_text(self.html, encoding="utf-8")
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        return self

    def print(self) -> tuple[float, float, bytes]:
        present = {int(process.name) for process in _chromium_processes()}
        started, before = time.perf_counter(), _cpu_seconds(_chromium_processes())
        page = self.browser.new_page()
        page.goto(self.page_file.as_uri(), wait_until="load")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        seconds = time.perf_counter() - started
        # The page's renderer: the process that came with the page and worked most.
        busiest = max(
            (process for process in _chromium_processes() if int(process.name) not in present),
            key=lambda process: _cpu_seconds([process]),
            default=None,
        )
        page.close()
        deadline = time.monotonic() + 30
        while busiest is not None and not _renderer_exited(int(busiest.name)) and time.monotonic() < deadline:
            time.sleep(0.02)
        cpu = _cpu_seconds(_chromium_processes()) - before
        return seconds, cpu, pdf

    def peak_mib(self) -> float:
        return _peak_mib(_chromium_processes())

    def __exit__(self, *exc: object) -> None:
        self.browser.close()
        self._playwright.stop()
        self._folder.cleanup()


def print_with_warm_chromium(html: str, runs: int) -> tuple[list[float], list[float], bytes, float]:
    """One warm browser, a new page per render: seconds and CPU seconds per render, the last PDF and
    the browser's peak RSS (MiB)."""
    times: list[float] = []
    cpu: list[float] = []
    pdf = b""
    with WarmChromium(html) as chromium:
        for _ in range(runs):
            seconds, used, pdf = chromium.print()
            times.append(seconds)
            cpu.append(used)
        peak = chromium.peak_mib()
    return times, cpu, pdf, peak


def run_chromium(html: str, runs: int) -> dict:
    times, cpu, pdf, peak = print_with_warm_chromium(html, runs)
    pages = pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + pdf.count(b"/Type /Page ")
    pages = pages or _pdf_pages(pdf)
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    return {
        "warm_cpu_seconds": round(statistics.median(cpu[1:] or cpu), 2),
        "first_seconds": round(times[0], 2),
        "warm_median_seconds": round(warm, 2),
        "warm_min_max": [round(min(times[1:] or times), 2), round(max(times[1:] or times), 2)],
        "pages": pages,
        "pages_per_second": round(pages / warm, 1) if pages else None,
        "peak_rss_mib": round(peak),
        "pdf_kib": len(pdf) // 1024,
    }


def _pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=False).stdout
    for line in info.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def child(kind: str, engine: str, runs: int, year: int | None) -> None:
    _setup()
    year = year or _latest_year()
    html, built = build_html(kind, year)
    measured = run_weasyprint(html, runs) if engine == "weasyprint" else run_chromium(html, runs)
    print(json.dumps({"kind": kind, "engine": engine, "year": year, **built, **measured}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--kinds", default="department_annual,congress_survey")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ENGINE"))
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.runs, args.year)
        return
    rows = []
    for kind in args.kinds.split(","):
        for engine in ("weasyprint", "chromium"):
            command = [sys.executable, "-m", "bench.pdf_bench", "--runs", str(args.runs), "--child", kind, engine]
            if args.year:
                command += ["--year", str(args.year)]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            rows.append(json.loads(output.strip().splitlines()[-1]))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print()
    header = (
        f"{'report':<20}{'engine':<12}{'pages':>6}{'warm s':>8}{'CPU s':>7}{'pages/s':>9}{'peak MiB':>10}{'PDF KiB':>9}"
    )
    print(header)
    for row in rows:
        print(
            f"{row['kind']:<20}{row['engine']:<12}{row['pages']:>6}{row['warm_median_seconds']:>8}"
            f"{row['warm_cpu_seconds']:>7}{row['pages_per_second']:>9}{row['peak_rss_mib']:>10}{row['pdf_kib']:>9}"
        )


if __name__ == "__main__":
    main()
