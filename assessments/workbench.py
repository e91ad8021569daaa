"""The 数据提供单位's 工作台: figures still to provide this year, disputes to answer, the deadline;
and, for a unit's staff, disputes the provider has answered (accounts.workbench.WorkItem)."""

from django.urls import reverse

from accounts.models import User
from accounts.workbench import WorkItem
from indicators.presenting import date_text

from .models import ProvidedValueDispute
from .selectors.provided import provider_grid, provider_years


def provider_work(user: User) -> list[WorkItem]:
    provider = user.department
    if not (user.is_authenticated and user.is_active and user.is_provider) or provider is None:
        return []
    years = provider_years(provider)
    if not years:
        return []
    year = years[0]
    grid = provider_grid(provider, year)
    url = reverse("assessments:provided_grid") + f"?year={year}"
    deadline = grid.deadline
    submitted = grid.submission is not None and grid.submission.status == grid.submission.Status.SUBMITTED
    note = "已提交" if submitted else (f"截止日期 {date_text(deadline)}" if deadline else "")
    disputes = ProvidedValueDispute.objects.filter(
        provided_value__provider=provider, status=ProvidedValueDispute.Status.OPEN
    ).count()
    return [
        WorkItem(f"{year}年度待提供的数据（共 {grid.total} 项）", grid.total - grid.filled, url, note),
        WorkItem("待答复的异议", disputes, url + "#disputes"),
    ]
