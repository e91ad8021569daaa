"""Server time and query counts of the busiest pages, in-process through Django's test client
(the whole middleware stack, no network): the data-entry page and its saves, the reviewer's queue
and review page, the progress dashboard and the rankings.

    python -m bench.measure.pages --runs 15
"""

import argparse
import random
import time

from .anchor import Anchor, measure_anchor
from .common import Result, count_queries, log, percentile, setup_django, time_calls


def _entry_subject():
    """A working department's open return of the last year with the most indicator rows."""
    from django.db.models import Count

    from accounts.models import Department, User
    from assessments.models import AnnualReturn

    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    annual_return = (
        AnnualReturn.objects.filter(
            year=year, status=AnnualReturn.Status.IN_PROGRESS, department__kind=Department.Kind.WORKING_DEPARTMENT
        )
        .annotate(rows=Count("values"))
        .order_by("-rows", "department__code")
        .select_related("department")
        .first()
    )
    staff = User.objects.filter(department=annual_return.department, role=User.Role.DEPARTMENT_STAFF).first()
    return annual_return, staff


def _inputs(annual_return, number: int):
    from assessments.models import IndicatorValue
    from assessments.services.entry import ValueInput
    from bench.generator import raw_value

    rng = random.Random(number)
    rows = IndicatorValue.objects.filter(annual_return=annual_return).select_related("indicator").order_by("pk")
    return [
        ValueInput(
            indicator_id=row.indicator_id,
            raw=raw_value(rng, row.indicator, annual_return.year, annual_return.department.kind),
            expected_version=row.version,
        )
        for row in rows
    ]


def measure_entry(runs: int, anchor: Anchor) -> None:
    from django.test import Client
    from django.urls import reverse

    from assessments.models import IndicatorValue
    from assessments.services.entry import indicator_values_save

    annual_return, staff = _entry_subject()
    indicators = IndicatorValue.objects.filter(annual_return=annual_return).count()
    client = Client()
    client.force_login(staff)
    url = reverse("assessments:return_edit", args=[annual_return.pk])
    get = time_calls(lambda n: _ok(client.get(url)), runs=runs)
    queries = count_queries(lambda: client.get(url))
    where = f"{annual_return.department.name}, {indicators} indicators"
    Result(
        "entry",
        "data-entry page GET",
        get.p50_ms,
        "ms",
        "≤ 80 ms p50, ≤ 15 queries",
        get.p50_ms <= 80 and queries <= 15,
        get.p95_ms,
        queries,
        f"{where}; {anchor.ratio_get(get.p50_ms, get.cpu_p50_ms)}",
        extra={"cpu_p50_ms": get.cpu_p50_ms},
    ).emit()

    # The full form: every indicator of the return saved in one service call (what a page-wide save
    # or the department's Excel fill does), each value changed.
    timings, queries = [], None
    for number in range(runs + 2):
        inputs = _inputs(annual_return, number)
        started = time.perf_counter()
        if number == runs + 1:
            queries = count_queries(
                lambda inputs=inputs: indicator_values_save(annual_return=annual_return, inputs=inputs, user=staff)
            )
            continue
        outcomes = indicator_values_save(annual_return=annual_return, inputs=inputs, user=staff)
        if number >= 1:  # the first is the warm-up
            timings.append((time.perf_counter() - started) * 1000)
        assert not any(outcome.is_conflict for outcome in outcomes)
    timings.sort()
    p50 = round(percentile(timings, 0.5), 1)
    Result(
        "entry",
        f"full-form save ({indicators} values, service)",
        p50,
        "ms",
        "≤ 150 ms p50, ≤ 15 queries",
        p50 <= 150 and queries <= 15,
        round(percentile(timings, 0.95), 1),
        queries,
        f"indicator_values_save with every indicator changed; {anchor.ratio_post(p50)}",
    ).emit()

    row = IndicatorValue.objects.filter(annual_return=annual_return, indicator__value_type="count").first()
    save_url = reverse("assessments:value_save", args=[annual_return.pk, row.indicator_id])

    def autosave(number: int):
        version = IndicatorValue.objects.values_list("version", flat=True).get(pk=row.pk)
        return _ok(client.post(save_url, {"version": version, "value": str(number % 97)}, HTTP_HX_REQUEST="true"))

    save = time_calls(autosave, runs=runs)
    queries = count_queries(lambda: autosave(runs + 5)) - 1  # less the version look-up
    Result(
        "entry",
        "autosave POST (one indicator, htmx)",
        save.p50_ms,
        "ms",
        "≤ 150 ms p50, ≤ 15 queries",
        save.p50_ms <= 150 and queries <= 15,
        save.p95_ms,
        queries,
        f"re-renders the field and area; {anchor.ratio_post(save.p50_ms, save.cpu_p50_ms)}",
        extra={"cpu_p50_ms": save.cpu_p50_ms},
    ).emit()


def measure_review(runs: int, anchor: Anchor) -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import AnnualReturn

    reviewer = User.objects.get(username="bench_reviewer")
    client = Client()
    client.force_login(reviewer)
    url = reverse("reviews:queue")
    queue = time_calls(lambda n: _ok(client.get(url)), runs=runs)
    queries = count_queries(lambda: client.get(url))
    submitted = AnnualReturn.objects.filter(status=AnnualReturn.Status.SUBMITTED).count()
    Result(
        "review",
        "reviewer queue GET (待审核, all units)",
        queue.p50_ms,
        "ms",
        "≤ 100 ms p50, bounded queries",
        queue.p50_ms <= 100,
        queue.p95_ms,
        queries,
        f"{submitted} submitted returns, 50 per page; {anchor.ratio_get(queue.p50_ms, queue.cpu_p50_ms)}",
        extra={"cpu_p50_ms": queue.cpu_p50_ms},
    ).emit()
    annual_return = (
        AnnualReturn.objects.filter(status=AnnualReturn.Status.SUBMITTED)
        .exclude(department_id=reviewer.department_id)
        .order_by("department__code")
        .first()
    )
    url = reverse("reviews:review", args=[annual_return.pk])
    page = time_calls(lambda n: _ok(client.get(url)), runs=runs)
    queries = count_queries(lambda: client.get(url))
    Result(
        "review",
        "review page GET (one return)",
        page.p50_ms,
        "ms",
        "≤ 100 ms p50, bounded queries",
        page.p50_ms <= 100,
        page.p95_ms,
        queries,
        f"{annual_return.department.name}; {anchor.ratio_get(page.p50_ms, page.cpu_p50_ms)}",
        extra={"cpu_p50_ms": page.cpu_p50_ms},
    ).emit()


def measure_overview(runs: int, anchor: Anchor) -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import AnnualReturn

    reviewer = User.objects.get(username="bench_reviewer")
    client = Client()
    client.force_login(reviewer)
    returns = AnnualReturn.objects.filter(year=AnnualReturn.objects.order_by("-year").values("year")[:1]).count()
    url = reverse("assessments:progress_dashboard")
    board = time_calls(lambda n: _ok(client.get(url)), runs=runs)
    queries = count_queries(lambda: client.get(url))
    Result(
        "overview",
        "progress dashboard GET (all units)",
        board.p50_ms,
        "ms",
        "≤ 300 ms p50 (province)",
        board.p50_ms <= 300,
        board.p95_ms,
        queries,
        f"{returns} returns in the year; {anchor.ratio_get(board.p50_ms, board.cpu_p50_ms)}",
        extra={"cpu_p50_ms": board.cpu_p50_ms},
    ).emit()
    last = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    for year, label in ((last - 1, "published year"), (last, "year under review")):
        url = reverse("reviews:results", args=[year])
        ranking = time_calls(lambda n, url=url: _ok(client.get(url)), runs=runs)
        queries = count_queries(lambda url=url: client.get(url))
        Result(
            "overview",
            f"rankings GET ({label} {year})",
            ranking.p50_ms,
            "ms",
            "≤ 300 ms p50 (province)",
            ranking.p50_ms <= 300,
            ranking.p95_ms,
            queries,
            anchor.ratio_get(ranking.p50_ms, ranking.cpu_p50_ms),
            extra={"cpu_p50_ms": ranking.cpu_p50_ms},
        ).emit()


def _ok(response):
    if response.status_code != 200:
        raise AssertionError(f"{response.status_code} for {response.request['PATH_INFO']}")
    return response


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--only", default="entry,review,overview")
    arguments = parser.parse_args()
    setup_django()
    log("pages: the bare-form anchor")
    anchor = measure_anchor()
    for method, timing in (("GET render", anchor.get), ("POST validate + render", anchor.post)):
        Result(
            "anchor",
            f"bare Django 100-field form, {method}",
            timing.p50_ms,
            "ms",
            p95=timing.p95_ms,
            queries=0,
            note=f"the pages' yardstick in this run (bench/measure/anchor.py); {timing.runs} calls after 20 warm-ups",
            extra={"cpu_p50_ms": timing.cpu_p50_ms},
        ).emit()
    for name in arguments.only.split(","):
        log(f"pages: {name}")
        {"entry": measure_entry, "review": measure_review, "overview": measure_overview}[name](arguments.runs, anchor)


if __name__ == "__main__":
    main()
