"""The 数据提供单位's grid at scale (issue 20): its page GET and a paste of one column for every unit
(a JSON save of ~300 cells at city scale), through Django's test client with the whole middleware
stack. The provider, its provision and its figures are made inside a transaction that is rolled back
at the end, so the benchmark database is left as it was.

    python -m bench.measure.provided --runs 15
"""

import argparse
import json
import time

from .anchor import measure_anchor
from .common import Result, count_queries, log, percentile, setup_django, time_calls

GRID_TARGET_MS = 150
PASTE_TARGET_MS = 1000


def _subject():
    """A court under the top government providing a count and a rate's denominator of the latest year."""
    from accounts.models import Department, User
    from assessments.models import AnnualReturn
    from indicators.models import ProvidedPart, ValueType
    from indicators.provisions import indicator_provision_set

    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    framework = AnnualReturn.objects.filter(year=year).select_related("framework").first().framework
    city = Department.objects.filter(parent__isnull=True).order_by("sort_order", "code").first()
    court = Department.objects.create(
        code="BENCH-COURT", name="中级人民法院（基准）", kind=Department.Kind.WORKING_DEPARTMENT,
        level=Department.Level.CITY, parent=city, is_assessed=False,
    )  # fmt: skip
    user = User.objects.create_user(username="bench_provider", role=User.Role.PROVIDER, department=court)
    indicators = framework.indicators.all()
    count = indicators.filter(value_type=ValueType.COUNT, formula="").order_by("order").first()
    rate = indicators.filter(value_type=ValueType.RATE, formula="").order_by("order").first()
    indicator_provision_set(indicator=count, provider=court)
    indicator_provision_set(indicator=rate, provider=court, part=ProvidedPart.DENOMINATOR)
    return year, court, user, count


def _paste(court, year, count, number: int) -> tuple[list[dict], str]:
    """One column (the count) for every unit in scope, as the grid posts a pasted block."""
    from assessments.models import ProvidedValue
    from assessments.selectors.provided import provider_returns

    returns = list(provider_returns(court, year).filter(values__indicator=count).values_list("pk", flat=True))
    versions = dict(
        ProvidedValue.objects.filter(annual_return_id__in=returns, indicator=count).values_list(
            "annual_return_id", "version"
        )
    )
    cells = [
        {"r": pk, "i": count.pk, "p": "value", "t": str(abs(number) * 7 + index % 50), "v": versions.get(pk, 0)}
        for index, pk in enumerate(returns)
    ]
    return cells, json.dumps({"cells": cells})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    setup_django()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    anchor = measure_anchor()
    with transaction.atomic():
        year, court, user, count = _subject()
        client = Client()
        client.force_login(user)
        grid_url = reverse("assessments:provided_grid") + f"?year={year}"
        save_url = reverse("assessments:provided_save")
        log("provided: paste of one column for every unit")
        timings = []
        cells: list[dict] = []
        for number in [-1, -2, *range(arguments.runs)]:  # two warm-ups
            # Versions change with each paste: each body is built before its call, outside the timing.
            cells, body = _paste(court, year, count, number)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.post(save_url, body, content_type="application/json")
            elapsed = ((time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, response.content[:300]
            if number >= 0:
                timings.append(elapsed)
        walls = sorted(wall for wall, _ in timings)
        cpus = sorted(cpu for _, cpu in timings)
        paste_p50, paste_p95, paste_cpu = percentile(walls, 0.5), percentile(walls, 0.95), percentile(cpus, 0.5)
        cells, body = _paste(court, year, count, 999)
        paste_queries = count_queries(lambda: client.post(save_url, body, content_type="application/json"))
        log("provided: grid GET")
        get = time_calls(lambda n: client.get(grid_url), runs=arguments.runs)
        get_queries = count_queries(lambda: client.get(grid_url))
        units = len(cells)
        Result(
            "provided",
            "provider grid GET",
            get.p50_ms,
            "ms",
            f"≤ {GRID_TARGET_MS} ms p50",
            get.p50_ms <= GRID_TARGET_MS,
            get.p95_ms,
            get_queries,
            f"{units} units × 2 columns; {anchor.ratio_get(get.p50_ms, get.cpu_p50_ms)}",
            extra={"cpu_p50_ms": get.cpu_p50_ms},
        ).emit()
        Result(
            "provided",
            f"paste of {len(cells)} cells (one column, every unit)",
            round(paste_p50, 1),
            "ms",
            f"≤ {PASTE_TARGET_MS} ms p50",
            paste_p50 <= PASTE_TARGET_MS,
            round(paste_p95, 1),
            paste_queries,
            f"JSON save, audited; {anchor.ratio_post(paste_p50, paste_cpu)}",
            extra={"cpu_p50_ms": round(paste_cpu, 1)},
        ).emit()
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
