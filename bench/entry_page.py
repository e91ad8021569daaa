"""Server time of the data-entry page and of one autosave, on the demo city (94 indicators).

    DEBUG=1 DATABASE_URL=postgres://…/lawgov_bench .venv/bin/python -m bench.entry_page [--runs 50]

Seeds the demo if the database has no returns, then times, in-process through Django's test client
(the full middleware stack, no network): GET of 市公安局's 2025 entry page, an htmx autosave POST of
one indicator, and the submit preview. Prints median, p95 and the query count of each.
"""

import argparse
import os
import statistics
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawgov.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from accounts.models import User
    from assessments.models import AnnualReturn, IndicatorValue

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    if not AnnualReturn.objects.exists():
        call_command("seed_demo")
    staff = User.objects.get(username="staff_police")
    annual_return = AnnualReturn.objects.get(department=staff.department, year=2025)
    if not annual_return.is_open_for_department:
        AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    row = IndicatorValue.objects.filter(annual_return=annual_return, indicator__value_type="count").first()
    client = Client(SERVER_NAME="localhost")
    client.force_login(staff)
    edit = reverse("assessments:return_edit", args=[annual_return.pk])
    save = reverse("assessments:value_save", args=[annual_return.pk, row.indicator_id])
    preview = reverse("assessments:return_submit", args=[annual_return.pk])

    def autosave(number: int):
        version = IndicatorValue.objects.values_list("version", flat=True).get(pk=row.pk)
        return client.post(save, {"version": version, "value": str(number % 7)}, HTTP_HX_REQUEST="true")

    cases = [
        ("entry page GET", lambda n: client.get(edit)),
        ("autosave POST", autosave),
        ("submit preview GET", lambda n: client.get(preview)),
    ]
    indicators = IndicatorValue.objects.filter(annual_return=annual_return).count()
    print(f"{connection.vendor}; return of {annual_return.department} with {indicators} indicator rows; {runs} runs")
    for label, request in cases:
        request(0)  # warm up
        timings = []
        for number in range(runs):
            started = time.perf_counter()
            response = request(number + 1)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            request(runs + 1)
        timings.sort()
        p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
        print(f"  {label:20} median {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   {len(queries)} queries")


if __name__ == "__main__":
    main()
