"""Demo: the city publishes its 2024 reports (the two the reports demo generates) the way users do
(定稿 → 保密审查 → 发布), so the public site (/public/) and the compliance table have something to
show: the 市公安局 on time, on 2025年3月17日 (the date its own report says it went public), the city
government late, on 2025年4月8日; every other unit has not published (逾期未公开). The dates are set
after publishing, as the demo city would have had them in 2025. Idempotent: a report already
published (or under review) is left as it is; one not generated yet (its run still queued) waits for
the next seed_demo.
"""

import datetime
from io import TextIOBase

from django.utils import timezone

from accounts.models import Department, User
from reports.models import ReportKind, ReportRun
from reports.selectors import health_items_open
from reports.services import report_run_acknowledge, report_run_mark_final

from .models import ReportPublication
from .services import publication_confirm_review, publication_publish, publication_start

YEAR = 2024
# (kind, unit code, who finalises and publishes, the day it went public)
DEMO_PUBLICATIONS = [
    (ReportKind.DEPARTMENT_ANNUAL, "YZ002", "staff_police", datetime.date(2025, 3, 17)),
    (ReportKind.GOVERNMENT_ANNUAL, "YZ000", "reviewer", datetime.date(2025, 4, 8)),  # late: after 4月1日
]
ACKNOWLEDGEMENT = "演示数据：已逐项核实，差异属实，无需修改。"


def _final_run(kind: str, department: Department, user: User) -> ReportRun | None:
    runs = ReportRun.objects.filter(kind=kind, year=YEAR, department=department)
    final = runs.filter(is_final=True).first()
    if final is not None:
        return final
    run = runs.filter(status=ReportRun.Status.DONE, edition__isnull=False).order_by("-edition").first()
    if run is None:  # the reports demo makes it (reports.demo.DEMO_REPORTS)
        return None
    for item in health_items_open(run):
        report_run_acknowledge(run=run, key=item.key, reason=ACKNOWLEDGEMENT, user=user)
    return report_run_mark_final(run=run, user=user)


def seed(*, stdout: TextIOBase | None = None) -> None:
    made = []
    for kind, code, username, day in DEMO_PUBLICATIONS:
        department = Department.objects.get(code=code)
        if ReportPublication.objects.filter(kind=kind, year=YEAR, department=department).exists():
            continue
        user = User.objects.get(username=username)
        run = _final_run(kind, department, user)
        if run is None:
            continue
        publication = publication_start(run=run, user=user)
        publication = publication_confirm_review(publication=publication, version=publication.version, user=user)
        publication = publication_publish(publication=publication, user=user)
        published_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        ReportPublication.objects.filter(pk=publication.pk).update(published_at=published_at, reviewed_at=published_at)
        made.append(f"{department.name}（{day.month}月{day.day}日）")
    if stdout:
        stdout.write(f"  公开报告：{'、'.join(made) if made else '已公开，未重复发布'}")
