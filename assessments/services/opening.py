"""Opening a year: one return per active department, with a row for each indicator it reports."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from accounts.models import Department, User
from indicators.models import Indicator, IndicatorFramework

from ..models import AnnualReturn, IndicatorValue, NarrativeSection, ReturnTransition, default_deadline
from .errors import ReturnActionError


@dataclass(frozen=True)
class OpeningResult:
    opened: int
    already_open: int


def applicable_indicators(indicators, kind: str) -> list[Indicator]:
    """What a department of this kind fills in: applicable, and typed (derived values are computed)."""
    return [indicator for indicator in indicators if indicator.applies_to(kind) and not indicator.is_derived]


@transaction.atomic
def returns_open_for_framework(
    *, framework: IndicatorFramework, user: User | None = None, deadline: date | None = None
) -> OpeningResult:
    """Open the returns of a published framework for every active department that has none for the
    year yet. Idempotent: departments that already have their return are left alone. A fixed number
    of queries per department kind, whatever the number of indicators."""
    if framework.status != IndicatorFramework.Status.PUBLISHED:
        raise ReturnActionError("只能为已发布的指标体系开启填报。")
    deadline = deadline or default_deadline(framework.year)
    departments = list(Department.objects.filter(is_active=True).order_by("pk"))
    taken = set(AnnualReturn.objects.filter(year=framework.year).values_list("department_id", flat=True))
    new_departments = [department for department in departments if department.pk not in taken]
    returns = AnnualReturn.objects.bulk_create(
        [
            AnnualReturn(department=department, framework=framework, year=framework.year, deadline=deadline)
            for department in new_departments
        ]
    )
    if connection_lacks_returning_ids(returns):
        returns = list(AnnualReturn.objects.filter(year=framework.year, department__in=new_departments))
    indicators = list(framework.indicators.order_by("pk"))
    by_kind = {kind: applicable_indicators(indicators, kind) for kind in Department.Kind.values}
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(annual_return=annual_return, indicator=indicator)
            for annual_return in returns
            for indicator in by_kind[annual_return.department.kind]
        ],
        batch_size=1000,
    )
    NarrativeSection.objects.bulk_create(
        [
            NarrativeSection(annual_return=annual_return, kind=kind)
            for annual_return in returns
            for kind in NarrativeSection.Kind.values
        ],
        batch_size=1000,
    )
    ReturnTransition.objects.bulk_create(
        [
            ReturnTransition(
                annual_return=annual_return,
                from_status=AnnualReturn.Status.NOT_STARTED,
                to_status=AnnualReturn.Status.NOT_STARTED,
                action="open",
                user=user,
                comment=f"开启{framework.year}年度填报，截止日期 {deadline:%Y-%m-%d}",
            )
            for annual_return in returns
        ]
    )
    return OpeningResult(opened=len(returns), already_open=len(taken & {d.pk for d in departments}))


def connection_lacks_returning_ids(objects) -> bool:
    """bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; check rather than assume."""
    return any(obj.pk is None for obj in objects)
