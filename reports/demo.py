"""Demo reports: one of each kind, generated the way users generate them (in-process without a broker)."""

from accounts.models import Department, User

from . import background
from .models import ReportKind, ReportRun
from .services import report_run_request

# (kind, year, department code or None for citywide reports)
DEMO_REPORTS = [
    (ReportKind.DEPARTMENT_ANNUAL, 2024, "YZ002"),
    (ReportKind.GOVERNMENT_ANNUAL, 2024, "YZ000"),
    (ReportKind.RESULTS_NOTICE, 2024, None),
    (ReportKind.CONGRESS_SURVEY, 2025, None),
]


def seed(*, stdout=None) -> None:
    congress = User.objects.get(username="congress")
    made = []
    for kind, year, code in DEMO_REPORTS:
        department = Department.objects.get(code=code) if code else None
        if ReportRun.objects.filter(kind=kind, year=year, department=department).exists():
            continue
        with background.in_process():  # seed_demo exits right after: make the reports before it does
            run = report_run_request(kind=kind, year=year, department=department, user=congress)
        run.refresh_from_db()
        made.append(f"{run.get_kind_display()}（{run.get_status_display()}）")
    if stdout:
        stdout.write(f"  生成报告：{'、'.join(made) if made else '已存在，未重复生成'}")
