"""Demo reports: one of each kind, generated the way users generate them (in-process without a broker).

Before generating, the offices set what they would set on the draft page (报告稿): the 成文日期 of
each report after the dates its text cites (returns submitted by 20 February, results final on 20
April), the notice's 发文字号, and the notice's 有关要求 in the bureau's own words.
"""

import datetime
from io import TextIOBase

from accounts.models import Department, User
from indicators.presenting import date_text

from . import background
from .draft_services import report_draft_save, report_draft_section_save
from .drafts import event_dates
from .kinds import BuildRequest, ReportDataMissing, build_document
from .models import ReportDraft, ReportKind, ReportRun
from .services import report_run_request

# (kind, year, department code or None for citywide reports)
DEMO_REPORTS = [
    (ReportKind.DEPARTMENT_ANNUAL, 2024, "YZ002"),
    (ReportKind.GOVERNMENT_ANNUAL, 2024, "YZ000"),
    (ReportKind.RESULTS_NOTICE, 2024, None),
    (ReportKind.CONGRESS_SURVEY, 2025, None),
]

# (kind, year, department code, user, 成文日期, 发文字号)
DEMO_DRAFTS = [
    (ReportKind.DEPARTMENT_ANNUAL, 2024, "YZ002", "staff_police", datetime.date(2025, 2, 26), ""),
    (ReportKind.GOVERNMENT_ANNUAL, 2024, "YZ000", "reviewer", datetime.date(2025, 3, 20), ""),
    (ReportKind.RESULTS_NOTICE, 2024, None, "reviewer", datetime.date(2025, 4, 25), "云法考办〔2025〕4号"),
    (ReportKind.CONGRESS_SURVEY, 2025, None, "congress", datetime.date(2025, 11, 28), ""),
]
NOTICE_REQUIREMENTS = (
    "各地各部门要认真对照考核反馈的问题，逐项分析原因，于2025年6月30日前完成整改，并将整改情况书面报送"
    "市法治政府建设考核工作办公室。\n"
    "考核结果作为领导班子和领导干部综合考核评价、评优评先的重要参考。考核等次为不合格的单位，"
    "主要负责人要向市委全面依法治市委员会作出书面说明。"
)


def _drafts(stdout: TextIOBase | None) -> None:
    made = []
    for kind, year, code, username, signed_on, number in DEMO_DRAFTS:
        department = Department.objects.get(code=code) if code else None
        if ReportDraft.objects.filter(kind=kind, year=year, department=department).exists():
            continue
        user = User.objects.get(username=username)
        try:
            # Never before a date the text itself cites (a return's narrative may say when the
            # unit's report was submitted or published).
            document = build_document(BuildRequest(kind=kind, year=year, department=department, options={}))
            signed_on = max([signed_on, *(day for day, _ in event_dates(document))])
            report_draft_save(
                kind=kind,
                year=year,
                department=department,
                signed_on=signed_on,
                document_number=number,
                attachment_note="",
                version=0,
                user=user,
            )
            if kind == ReportKind.RESULTS_NOTICE:
                report_draft_section_save(
                    kind=kind,
                    year=year,
                    department=None,
                    key="有关要求",
                    text=NOTICE_REQUIREMENTS,
                    version=0,
                    user=user,
                )
        except ReportDataMissing:
            continue
        made.append(f"{ReportKind(kind).label}（成文日期{date_text(signed_on)}）")
    if stdout and made:
        stdout.write(f"  报告稿：{'、'.join(made)}")


def seed(*, stdout: TextIOBase | None = None) -> None:
    _drafts(stdout)
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
