"""Deadline arithmetic: the due date is a whole day in China time, so a return is on time until
23:59:59 of its deadline (or extension) in Asia/Shanghai, whatever the server's zone.

What the department owes, and by when, is decided here once — for the countdown, the progress
dashboard, the review queue and the reminders alike (`due_date` for one return, `overdue_q` and
`due_within_q` for the same rule in the database).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ..models import AnnualReturn

Status = AnnualReturn.Status

# The return is with the department, which owes a (first or renewed) submission.
AWAITING_DEPARTMENT = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED)


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def due_date(annual_return: AnnualReturn) -> datetime.date | None:
    """When the department's next submission is due. Before the first submission: the deadline or
    its extension. After it the original deadline has been met, and a return sent back is due by the
    resubmission date the reviewer set. This keys on `first_submitted_at`, not on the status: the
    department's first save after a return moves it from 退回修改 to 填报中, and the date still holds.
    None when a reviewer reopened the return without setting a date."""
    if annual_return.first_submitted_at is None:
        return annual_return.extended_until or annual_return.deadline
    return annual_return.resubmit_deadline


def is_awaiting_department(annual_return: AnnualReturn) -> bool:
    return annual_return.status in AWAITING_DEPARTMENT


def is_overdue(annual_return: AnnualReturn, today: datetime.date) -> bool:
    due = due_date(annual_return)
    return is_awaiting_department(annual_return) and due is not None and due < today


def _due_q(lookup: str, value) -> Q:
    """`due_date(return) <lookup> value` for returns awaiting the department, as a filter."""
    first = Q(first_submitted_at__isnull=True) & (
        Q(extended_until__isnull=True, **{f"deadline__{lookup}": value}) | Q(**{f"extended_until__{lookup}": value})
    )
    again = Q(first_submitted_at__isnull=False, **{f"resubmit_deadline__{lookup}": value})
    return Q(status__in=AWAITING_DEPARTMENT) & (first | again)


def overdue_q(today: datetime.date) -> Q:
    """Returns whose (re)submission is still owed after its due date (`is_overdue` in SQL)."""
    return _due_q("lt", today)


def due_within_q(first: datetime.date, last: datetime.date) -> Q:
    """Returns whose owed (re)submission falls due between `first` and `last`, both included."""
    return _due_q("range", (first, last))


@dataclass(frozen=True)
class DeadlineState:
    deadline: datetime.date | None  # None until the year is opened with a deadline
    extended_until: datetime.date | None
    due: datetime.date | None  # see due_date; None once nothing dated is owed
    is_resubmission: bool  # the date in force is a resubmission date set by a reviewer
    days_left: int  # to `due`, negative once passed; 0 when nothing is due

    @property
    def effective(self) -> datetime.date | None:
        return self.due or self.extended_until or self.deadline

    @property
    def is_submitted(self) -> bool:
        """Nothing is owed by a date: submitted (and not sent back), or sent back without a date."""
        return self.due is None

    @property
    def label(self) -> str:
        if self.is_submitted:
            return ""
        what = "重新提交期限" if self.is_resubmission else "截止"
        if self.days_left > 0:
            return f"距{what}还有 {self.days_left} 天"
        if self.days_left == 0:
            return "今天是重新提交期限" if self.is_resubmission else "今天截止"
        return f"{'重新提交' if self.is_resubmission else ''}已逾期 {-self.days_left} 天"

    @property
    def tone(self) -> str:
        """Bootstrap colour: calm, then warning in the last week, then danger."""
        if self.is_submitted or self.days_left > 7:
            return "secondary"
        return "warning" if self.days_left >= 0 else "danger"


def deadline_state(annual_return: AnnualReturn, *, today: datetime.date | None = None) -> DeadlineState:
    today = today or local_today()
    due = due_date(annual_return) if is_awaiting_department(annual_return) else None
    return DeadlineState(
        deadline=annual_return.deadline,
        extended_until=annual_return.extended_until,
        due=due,
        is_resubmission=annual_return.first_submitted_at is not None,
        days_left=(due - today).days if due else 0,
    )
