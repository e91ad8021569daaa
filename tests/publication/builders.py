"""A real final (定稿) department report of the cast's unit, rendered the way a worker renders it."""

from django.utils import timezone

from reports import selectors
from reports.models import ReportKind, ReportRun
from reports.services import report_run_acknowledge, report_run_execute, report_run_mark_final
from tests.reports.builders import two_years_for


def final_report(department, user, *, narratives=None) -> ReportRun:
    two_years_for(department, narratives=narratives)
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=department, requested_by=user, queued_at=timezone.now()
    )
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.is_done, run.error_message
    for item in selectors.health_items_open(run):
        report_run_acknowledge(run=run, key=item.key, reason="测试：已核实无误", user=user)
    return report_run_mark_final(run=run, user=user)
