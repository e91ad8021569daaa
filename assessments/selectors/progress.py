"""填报进度: every department's return of a year for the justice bureau — status, completion,
deadline, overdue — with filters (excel/progress.py writes the same rows as an xlsx).

A fixed number of queries whatever the number of departments: the returns with their departments
(one query), completion as stored on each return (assessments.services.completion recounts it when values are
written), never by looping over values.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from accounts.models import Department, User

from ..models import AnnualReturn
from ..permissions import returns_for_user
from .deadlines import due_date, is_overdue, local_today, overdue_q
from .returns import progress_by_return


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
    effective_deadline: datetime.date | None  # deadlines.due_date, or the year's deadline when nothing is owed
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
    query = returns_for_user(user).filter(year=filters.year).select_related("department")
    if filters.kind:
        query = query.filter(department__kind=filters.kind)
    if filters.level:
        query = query.filter(department__level=filters.level)
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.overdue_only:
        query = query.filter(overdue_q(today))
    returns = list(query.only(*BOARD_FIELDS).order_by("department__sort_order", "department__code"))
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
                days_overdue=(today - due).days if late and due else 0,
            )
        )
    return ProgressBoard(
        filters=filters,
        rows=tuple(rows),
        status_counts=dict(Counter(annual_return.status for annual_return in returns)),
        today=today,
    )
