"""The public site (/public/, issue 21 §2): server time of each page an anonymous visitor opens, with
every unit of the latest year published. Target ≤ 50 ms p50. The publications are made inside a
transaction that is rolled back, each with a public edition's text of a real report's size (a
department report's page body is ~35 KB of HTML), so the database is left as it was. Before measuring,
the table is analysed and the search index's pending list merged, as autovacuum does soon after
reports are published: without it the planner sees an empty table and a GIN index of unknown size.

    python -m bench.measure.public_pages [--runs 15]
"""

import argparse

from .anchor import measure_anchor
from .common import Result, count_queries, database_cpu_seconds, log, setup_django, time_calls

TARGET_MS = 50
PARAGRAPH = (
    "全年办理行政复议案件71件，较上年增加8件，增长12.7%。行政机关负责人出庭应诉率99.13%，较上年提高5.27个百分点。"
)


class _Rollback(Exception):
    pass


def _publish_everyone(year: int) -> tuple[int, int]:
    """A final run and a published edition for every active unit; returns (count, one publication's id)."""
    from django.utils import timezone

    from accounts.models import Department, User
    from publication.models import ReportPublication
    from reports.models import ReportKind, ReportRun

    user = User.objects.filter(is_superuser=True).first() or User.objects.first()
    now = timezone.now()
    html = "".join(f"<h2>{n}、部分</h2>" + f"<p>{PARAGRAPH}</p>" * 12 for n in range(1, 9))
    units = list(Department.objects.filter(is_active=True))
    kinds = {
        d.pk: ReportKind.GOVERNMENT_ANNUAL if d.kind == Department.Kind.GOVERNMENT else ReportKind.DEPARTMENT_ANNUAL
        for d in units
    }
    ReportRun.objects.filter(year=year, is_final=True).update(is_final=False)
    runs = ReportRun.objects.bulk_create(
        ReportRun(
            kind=kinds[d.pk], year=year, department=d, requested_by=user, status=ReportRun.Status.DONE,
            progress=100, edition=9000 + n, sha256="0" * 64, is_final=True, finalized_at=now,
        )
        for n, d in enumerate(units)
    )  # fmt: skip
    publications = ReportPublication.objects.bulk_create(
        ReportPublication(
            run=run, kind=run.kind, year=year, department=run.department,
            title=f"{run.department.name}关于{year}年度法治政府建设情况的报告",
            status=ReportPublication.Status.PUBLISHED, started_by=user, published_by=user, published_at=now,
            pdf_file=f"publication/{year}/bench.pdf", pdf_sha256="0" * 64, pdf_size=500_000, page_count=14,
            html=html, text=html, source_document={},
        )
        for run in runs
    )  # fmt: skip
    return len(publications), publications[len(publications) // 2].pk


def _settle() -> None:
    """What autovacuum does after the inserts (statistics, the GIN pending list), inside the transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publication_reportpublication")
        cursor.execute("SELECT gin_clean_pending_list('publication_search_text_trgm')")


def measure(runs: int) -> None:
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from assessments.models import AnnualReturn

    anchor = measure_anchor()
    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    client = Client()  # anonymous
    try:
        with transaction.atomic():
            count, pk = _publish_everyone(year)
            _settle()
            pages = [
                ("index (first page of all)", reverse("public:index"), {}),
                ("search: words + year", reverse("public:index"), {"q": "行政复议", "year": year}),
                # Two characters hold no trigram: every text is read (and one unit's name matches).
                ("search: a 2-character word", reverse("public:index"), {"q": "信访"}),
                ("search: words no report holds", reverse("public:index"), {"q": "三项制度"}),
                ("report page", reverse("public:report", args=[pk]), {}),
                ("compliance table (all units)", reverse("public:compliance"), {"year": year}),
            ]
            database_cpu = database_cpu_seconds()
            for name, url, params in pages:
                log(f"public: {name}")
                database_spent: list[float | None] = []

                def get(number, url=url, params=params, database_spent=database_spent):
                    before = database_cpu()
                    response = client.get(url, params)
                    after = database_cpu()
                    if response.status_code != 200:
                        raise AssertionError(f"{response.status_code} for {url}")
                    if number >= 0:  # not a warm-up
                        database_spent.append(None if before is None or after is None else after - before)

                timing = time_calls(get, runs=runs)
                queries = count_queries(lambda url=url, params=params: client.get(url, params))
                # The mean, not the median: PostgreSQL's CPU clock ticks in 10 ms, longer than most queries.
                readings = [spent for spent in database_spent if spent is not None]
                readable = readings and len(readings) == len(database_spent)
                database_ms = round(sum(readings) * 1000 / len(readings), 1) if readable else None
                database = f"database CPU {database_ms} ms per page; " if database_ms is not None else ""
                Result(
                    "public",
                    f"/public/ {name} GET, anonymous",
                    timing.p50_ms,
                    "ms",
                    target=f"≤ {TARGET_MS} ms p50",
                    met=timing.p50_ms <= TARGET_MS,
                    p95=timing.p95_ms,
                    queries=queries,
                    note=(
                        f"{count} units published for {year}; {database}"
                        f"{anchor.ratio_get(timing.p50_ms, timing.cpu_p50_ms)}"
                    ),
                    extra={"cpu_p50_ms": timing.cpu_p50_ms, "database_cpu_ms": database_ms},
                ).emit()
            raise _Rollback
    except _Rollback:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    arguments = parser.parse_args()
    setup_django()
    measure(arguments.runs)


if __name__ == "__main__":
    main()
