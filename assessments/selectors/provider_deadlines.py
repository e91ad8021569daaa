"""The bureau's view of its 数据提供单位 for a year (数据提供进度): each provider, the indicators it
provides, its deadline (its own, or the year's), how far it has filled its grid, whether it has
submitted (on time or late) and whether it is overdue. The grid's own counting (provider_grid) is
reused, so the bureau and the provider read the same x/N."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Department
from indicators.models import IndicatorFramework

from ..models import ProviderSubmission
from .provided import provided_indicators, provider_deadline, provider_grid


def provision_years() -> list[int]:
    """Years whose opened framework has a provided indicator, newest first."""
    return sorted(
        set(
            IndicatorFramework.objects.filter(
                indicators__provision_row__isnull=False, annual_returns__isnull=False
            ).values_list("year", flat=True)
        ),
        reverse=True,
    )


def providers_of_year(year: int) -> list[Department]:
    return list(
        Department.objects.filter(
            provisions__indicator__framework__year=year,
            provisions__indicator__framework__annual_returns__isnull=False,
        )
        .distinct()
        .order_by("sort_order", "code")
    )


@dataclass(frozen=True)
class ProviderProgress:
    provider: Department
    indicators: tuple[str, ...]  # "A1.4 行政诉讼败诉率", in framework order
    deadline: datetime.date | None
    has_own_deadline: bool  # set by the bureau for this provider (else the year's)
    filled: int
    total: int
    submission: ProviderSubmission | None
    today: datetime.date

    @property
    def is_submitted(self) -> bool:
        return self.submission is not None and self.submission.status == ProviderSubmission.Status.SUBMITTED

    @property
    def submitted_on(self) -> datetime.date | None:
        if not self.is_submitted or self.submission is None or self.submission.submitted_at is None:
            return None
        return timezone.localdate(self.submission.submitted_at)

    @property
    def is_late(self) -> bool:
        """Submitted after its deadline (a whole day in local time, as the units' deadlines)."""
        day = self.submitted_on
        return day is not None and self.deadline is not None and day > self.deadline

    @property
    def is_overdue(self) -> bool:
        return not self.is_submitted and self.deadline is not None and self.deadline < self.today

    @property
    def status_text(self) -> str:
        if self.is_submitted:
            return "已提交（逾期）" if self.is_late else "已按时提交"
        if self.filled == 0:
            return "未开始"
        return f"填报中 {self.filled}/{self.total}"

    @property
    def reminded_at(self) -> datetime.datetime | None:
        return self.submission.reminded_at if self.submission is not None else None


def provider_progress(year: int, *, today: datetime.date | None = None) -> list[ProviderProgress]:
    """One row per provider of the year. A few queries per provider (its grid); a city has a handful."""
    today = today or timezone.localdate()
    rows = []
    for provider in providers_of_year(year):
        grid = provider_grid(provider, year)
        framework = grid.rows[0].annual_return.framework if grid.rows else None
        indicators = provided_indicators(framework, provider) if framework is not None else []
        submission = grid.submission
        rows.append(
            ProviderProgress(
                provider=provider,
                indicators=tuple(f"{indicator.code} {indicator.name}" for indicator in indicators),
                deadline=provider_deadline(provider, year),
                has_own_deadline=submission is not None and submission.deadline is not None,
                filled=grid.filled,
                total=grid.total,
                submission=submission,
                today=today,
            )
        )
    return rows
