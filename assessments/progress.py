"""填报进度: every department's return of a year for the justice bureau — status, completion,
deadline, overdue — with filters, and the same rows as an xlsx.

A fixed number of queries whatever the number of departments: the returns with their departments
(one query), completion as stored on each return (assessments.completion recounts it when values are
written), never by looping over values.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from accounts.models import Department, User
from indicators.presenting import date_text
from spreadsheets.xlsx_safety import escape_formula

from .deadlines import due_date, is_overdue, local_today, overdue_q
from .excel.common import workbook_bytes
from .models import AnnualReturn
from .permissions import returns_for_user
from .selectors import progress_by_return


def can_view_progress(user: User) -> bool:
    """The justice bureau (reviewers), administrators, and congress staff (read only)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_reviewer or user.is_system_admin or user.is_congress_staff)
    )


@dataclass(frozen=True)
class ProgressFilter:
    year: int
    kind: str = ""
    level: str = ""
    status: str = ""
    overdue_only: bool = False


@dataclass(frozen=True)
class ProgressRow:
    annual_return: AnnualReturn
    filled: int
    total: int
    effective_deadline: datetime.date  # deadlines.due_date, or the year's deadline when nothing is owed
    is_overdue: bool  # not (re)submitted and the date in force has passed (deadlines.is_overdue)
    days_overdue: int

    @property
    def department(self) -> Department:
        return self.annual_return.department

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 100


@dataclass(frozen=True)
class ProgressBoard:
    filters: ProgressFilter
    rows: tuple[ProgressRow, ...]
    status_counts: dict[str, int]
    today: datetime.date

    @property
    def overdue(self) -> list[ProgressRow]:
        return sorted((row for row in self.rows if row.is_overdue), key=lambda row: -row.days_overdue)

    @property
    def average_percent(self) -> int:
        return round(sum(row.percent for row in self.rows) / len(self.rows)) if self.rows else 0

    @property
    def submitted_count(self) -> int:
        return sum(1 for row in self.rows if row.annual_return.first_submitted_at is not None)


def progress_years(user: User) -> list[int]:
    return list(returns_for_user(user).order_by("-year").values_list("year", flat=True).distinct())


# What the board, the overdue list and the export show: not the self-score breakdown JSON and the
# time stamps of every return, which made loading a province's 3,000 returns the page's main cost.
BOARD_FIELDS = (
    "year",
    "status",
    "deadline",
    "extended_until",
    "resubmit_deadline",
    "submitted_at",
    "first_submitted_at",
    "is_late",
    "filled_count",
    "item_count",
    "department__name",
    "department__code",
    "department__kind",
    "department__level",
    "department__sort_order",
)


def progress_board(user: User, filters: ProgressFilter, *, today: datetime.date | None = None) -> ProgressBoard:
    today = today or local_today()
    returns = returns_for_user(user).filter(year=filters.year).select_related("department")
    if filters.kind:
        returns = returns.filter(department__kind=filters.kind)
    if filters.level:
        returns = returns.filter(department__level=filters.level)
    if filters.status:
        returns = returns.filter(status=filters.status)
    if filters.overdue_only:
        returns = returns.filter(overdue_q(today))
    returns = list(returns.only(*BOARD_FIELDS).order_by("department__sort_order", "department__code"))
    progress = progress_by_return(returns)
    rows = []
    for annual_return in returns:
        counts = progress.get(annual_return.pk)
        due = due_date(annual_return) or annual_return.effective_deadline
        late = is_overdue(annual_return, today)
        rows.append(
            ProgressRow(
                annual_return=annual_return,
                filled=counts.filled if counts else 0,
                total=counts.total if counts else 0,
                effective_deadline=due,
                is_overdue=late,
                days_overdue=(today - due).days if late else 0,
            )
        )
    return ProgressBoard(
        filters=filters,
        rows=tuple(rows),
        status_counts=dict(Counter(annual_return.status for annual_return in returns)),
        today=today,
    )


EXPORT_HEADERS = (
    "单位编码",
    "单位名称",
    "单位类型",
    "行政层级",
    "状态",
    "完成率（%）",
    "已填项",
    "应填项",
    "截止日期",
    "是否逾期",
    "逾期天数",
    "最近提交时间",
    "逾期提交",
)


def progress_xlsx(board: ProgressBoard) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{board.filters.year}年度填报进度"
    sheet.append([f"{board.filters.year}年度法治政府建设考核填报进度（导出日期 {date_text(board.today)}）"])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append(list(EXPORT_HEADERS))
    for column in range(1, len(EXPORT_HEADERS) + 1):
        cell = sheet.cell(2, column)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="A8201A")
        sheet.column_dimensions[get_column_letter(column)].width = 28 if column == 2 else 12
    for row in board.rows:
        annual_return, department = row.annual_return, row.department
        submitted = annual_return.submitted_at
        sheet.append(
            [
                escape_formula(department.code),
                escape_formula(department.name),
                department.get_kind_display(),
                department.get_level_display(),
                annual_return.get_status_display(),
                row.percent,
                row.filled,
                row.total,
                row.effective_deadline,
                "是" if row.is_overdue else "否",
                row.days_overdue or None,
                timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
                "是" if annual_return.is_late else "否",
            ]
        )
    sheet.freeze_panes = "C3"
    return workbook_bytes(workbook)
