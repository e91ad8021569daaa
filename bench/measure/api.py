"""The API a provincial platform pulls: a page of 500 approved figures, in-process through Django's
test client with the whole middleware stack (token lookup, rate limit, the unit subtree, the page
query, serialising through the presenter, the audit event), as a token of the top unit.

    python -m bench.measure.api --runs 15

The first page and one 20 pages further on (a cursor costs the same wherever it is: no OFFSET).
The token is made inside a transaction rolled back at the end, so the database is left as it was.
"""

import argparse
import os

from .anchor import Anchor, measure_anchor
from .common import Result, count_queries, database_cpu_seconds, log, setup_django, time_calls

PAGE_SIZE = 500
TARGET_MS = 200


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


def measure_figures(runs: int, anchor: Anchor) -> None:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Department
    from accounts.selectors import department_subtree_ids
    from api.services import api_token_create
    from assessments.models import IndicatorValue
    from assessments.selectors.figures import APPROVED_STATUSES

    with transaction.atomic():
        # The root with the largest subtree (a generated province is a forest of cities and loose units).
        roots = Department.objects.filter(parent__isnull=True).order_by("sort_order", "code")
        top = max(roots, key=lambda root: len(department_subtree_ids(root_id=root.pk)))
        scope = department_subtree_ids(root_id=top.pk)
        year = (
            IndicatorValue.objects.filter(annual_return__status__in=APPROVED_STATUSES)
            .order_by("-annual_return__year")
            .values_list("annual_return__year", flat=True)
            .first()
        )
        approved = IndicatorValue.objects.filter(
            annual_return__status__in=APPROVED_STATUSES,
            annual_return__year=year,
            annual_return__department_id__in=scope,
        ).count()
        units = f"token of {top.name}: {len(scope)} of {Department.objects.count()} units"
        headers = {"HTTP_AUTHORIZATION": f"Token {api_token_create(name='bench', scope=top, user=None).key}"}
        client = Client()
        database_cpu = database_cpu_seconds()
        first = f"{reverse('api:approved_figures')}?year={year}&page_size={PAGE_SIZE}"
        deep = first
        for _ in range(20):
            deep = _ok(client.get(deep, **headers)).json()["next"] or deep
        for label, url in (("first page", first), ("page 21", deep)):
            rows = len(_ok(client.get(url, **headers)).json()["results"])
            cpu_before = database_cpu()
            timing = time_calls(lambda n, url=url: _ok(client.get(url, **headers)), runs=runs)
            cpu_after = database_cpu()
            database_ms = (
                "—"
                if cpu_before is None or cpu_after is None
                else f"{(cpu_after - cpu_before) * 1000 / (runs + 2):.0f} ms"  # runs + 2 warm-ups
            )
            queries = count_queries(lambda url=url: client.get(url, **headers))
            Result(
                "api",
                f"approved figures, {rows} per page, {label}",
                timing.p50_ms,
                "ms",
                f"≤ {TARGET_MS} ms p50 for {PAGE_SIZE} figures",
                timing.p50_ms <= TARGET_MS and rows == PAGE_SIZE,
                timing.p95_ms,
                queries,
                f"{units}, {approved} approved figures of theirs in {year}; app CPU {timing.cpu_p50_ms} ms, "
                f"PostgreSQL CPU {database_ms} per call; {anchor.ratio_get(timing.p50_ms, timing.cpu_p50_ms)}",
                extra={"cpu_p50_ms": timing.cpu_p50_ms, "database_cpu": database_ms},
            ).emit()
        transaction.set_rollback(True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    # The rate limit stays on (its cache lookup is part of a call), above what the runs need.
    os.environ.setdefault("API_THROTTLE_TOKEN", "100000/min")
    setup_django()
    log("api: the bare-form anchor")
    anchor = measure_anchor()
    log("api: approved figures")
    measure_figures(arguments.runs, anchor)


if __name__ == "__main__":
    main()
