"""Deadline arithmetic (pure): the due date is a whole day in China time, so a return is on time
until 23:59:59 of its deadline (or extension) in Asia/Shanghai, whatever the server's zone."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import AnnualReturn


def local_today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


@dataclass(frozen=True)
class DeadlineState:
    deadline: datetime.date
    extended_until: datetime.date | None
    days_left: int  # negative once passed
    is_submitted: bool

    @property
    def effective(self) -> datetime.date:
        return self.extended_until or self.deadline

    @property
    def is_past_deadline(self) -> bool:
        return self.days_left < 0

    @property
    def label(self) -> str:
        if self.is_submitted:
            return ""
        if self.days_left > 0:
            return f"距截止还有 {self.days_left} 天"
        if self.days_left == 0:
            return "今天截止"
        return f"已逾期 {-self.days_left} 天"

    @property
    def tone(self) -> str:
        """Bootstrap colour: calm, then warning in the last week, then danger."""
        if self.is_submitted or self.days_left > 7:
            return "secondary"
        return "warning" if self.days_left >= 0 else "danger"


def deadline_state(annual_return: AnnualReturn, *, today: datetime.date | None = None) -> DeadlineState:
    today = today or local_today()
    effective = annual_return.extended_until or annual_return.deadline
    return DeadlineState(
        deadline=annual_return.deadline,
        extended_until=annual_return.extended_until,
        days_left=(effective - today).days,
        is_submitted=annual_return.first_submitted_at is not None,
    )
