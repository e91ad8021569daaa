"""Report click → PDF in hand, when the report's data have not changed since it was last rendered
(issue 19 §5: ready on click). Target: p95 ≤ 1 s for each of the four kinds, at the database's scale.

For each kind (the scopes of bench.measure.report_build), the report is made once beforehand, in this
process. Then each click is what the browser does: POST 生成 (the request builds the document to
fingerprint it and finds the stored edition) → GET the run page it is sent to → GET the PDF, read to
the last byte; timed together, through Django's test client, logged in as the administrator. A click
that starts a render would show as a new run: the note says how many the clicks made (0 expected).

    python -m bench.measure.click [--runs 15]
"""

import argparse
from urllib.parse import urlsplit

from .common import Result, log, setup_django, time_calls
from .report_build import KINDS, _request

TARGET_MS = 1000


def _ready(request, user) -> None:
    from reports import background, services

    with background.in_process():
        run = services.report_run_request(
            kind=request.kind, year=request.year, department=request.department, user=user, options={}
        )
    run.refresh_from_db()
    if not run.is_done:
        raise SystemExit(f"{request.kind}: the report could not be made: {run.status} {run.error_message}")


def measure(kind: str, runs: int, client, user) -> Result:
    from django.urls import resolve, reverse

    from reports.models import ReportRun

    request = _request(kind)
    _ready(request, user)
    data = {"kind": kind, "year": request.year}
    if request.department is not None:
        data["department"] = request.department.pk
    sizes: list[int] = []

    def click(number) -> None:
        response = client.post(reverse("reports:request_run"), data)
        page = client.get(response["Location"])
        run_id = resolve(urlsplit(response["Location"]).path).kwargs["pk"]
        if page.status_code != 200:
            raise SystemExit(f"{kind}: the run page answered {page.status_code}")
        download = client.get(reverse("reports:run_download", args=[run_id]))
        content = b"".join(download.streaming_content)
        if download.status_code != 200 or not content.startswith(b"%PDF"):
            raise SystemExit(f"{kind}: no PDF in hand ({download.status_code})")
        sizes.append(len(content))

    before = ReportRun.objects.count()
    timing = time_calls(click, runs=runs)
    made = ReportRun.objects.count() - before
    scope = request.department.name if request.department else "全市"
    return Result(
        "click",
        f"{kind} — click → PDF in hand, data unchanged",
        timing.p50_ms,
        "ms",
        target=f"p95 ≤ {TARGET_MS} ms",
        met=timing.p95_ms <= TARGET_MS and made == 0,
        p95=timing.p95_ms,
        note=f"{scope} {request.year}; POST 生成 + run page + PDF ({max(sizes) // 1024} KiB); "
        f"{timing.runs} clicks, {made} new runs",
        extra={"cpu_p50_ms": timing.cpu_p50_ms},
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--kinds", default=",".join(KINDS))
    options = parser.parse_args()
    setup_django()
    from django.test import Client

    from accounts.models import User

    user = User.objects.filter(role=User.Role.ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise SystemExit("no administrator in the benchmark database")
    client = Client()
    client.force_login(user)
    for kind in options.kinds.split(","):
        log(f"clicking {kind}…")
        measure(kind, options.runs, client, user).emit()


if __name__ == "__main__":
    main()
