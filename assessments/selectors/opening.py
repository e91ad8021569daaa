"""开启年度填报 as the justice bureau sees it before confirming: which departments would get a
return (by type), how many indicators each type fills, which departments already have one, and the
deadlines in force for the year. The writes are in services/opening.py.

A fixed number of queries whatever the number of departments or indicators.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from accounts.models import Department
from indicators.models import Indicator, IndicatorFramework

from ..models import AnnualReturn, default_deadline

# The page names at most this many of the departments about to get a return; the counts cover all.
NAMED_LIMIT = 50


def applicable_indicators(indicators, kind: str) -> list[Indicator]:
    """What a department of this kind fills in: applicable, and typed (derived values are computed)."""
    return [indicator for indicator in indicators if indicator.applies_to(kind) and not indicator.is_derived]


def openable_frameworks() -> QuerySet[IndicatorFramework]:
    """Returns are filed against the published framework of a year (one per year). A 历史数据年度 is
    opened on its own page, without a deadline (services.historical)."""
    return IndicatorFramework.objects.filter(status=IndicatorFramework.Status.PUBLISHED, is_historical=False).order_by(
        "-year"
    )


def departments_without_return(year: int) -> QuerySet[Department]:
    """Active departments with no return for the year: what opening the year would add."""
    taken = AnnualReturn.objects.filter(year=year).values("department_id")
    # A 数据提供单位 that is not assessed (a court) files no return.
    return (
        Department.objects.filter(is_active=True, is_assessed=True).exclude(pk__in=taken).order_by("sort_order", "code")
    )


@dataclass(frozen=True)
class KindCount:
    label: str
    departments: int
    indicators: int  # what each department of this type fills in


@dataclass(frozen=True)
class OpeningPreview:
    framework: IndicatorFramework
    by_kind: tuple[KindCount, ...]
    named: tuple[Department, ...]  # the first NAMED_LIMIT departments about to get a return
    already_open: int
    pending_deadlines: tuple[tuple[datetime.date, int], ...]  # (deadline, returns not yet submitted)

    @property
    def to_open(self) -> int:
        return sum(kind.departments for kind in self.by_kind)

    @property
    def more(self) -> int:
        return self.to_open - len(self.named)

    @property
    def suggested_deadline(self) -> datetime.date:
        """The deadline most of the year's unsubmitted returns have, else the rule's 1 March."""
        return self.pending_deadlines[0][0] if self.pending_deadlines else default_deadline(self.framework.year)


def year_deadlines(year: int) -> tuple[tuple[datetime.date, int], ...]:
    """The deadlines of the year's returns whose first submission is still owed, most common first."""
    rows = (
        AnnualReturn.objects.filter(year=year, first_submitted_at__isnull=True, deadline__isnull=False)
        .values_list("deadline")
        .annotate(n=Count("pk"))
        .order_by("-n", "deadline")
    )
    return tuple((deadline, n) for deadline, n in rows)


def opening_preview(framework: IndicatorFramework) -> OpeningPreview:
    new = list(departments_without_return(framework.year))
    counts = Counter(department.kind for department in new)
    indicators = list(framework.indicators.all())
    by_kind = tuple(
        KindCount(label, counts[kind], len(applicable_indicators(indicators, kind)))
        for kind, label in Department.Kind.choices
        if counts[kind]
    )
    return OpeningPreview(
        framework=framework,
        by_kind=by_kind,
        named=tuple(new[:NAMED_LIMIT]),
        already_open=AnnualReturn.objects.filter(year=framework.year).count(),
        pending_deadlines=year_deadlines(framework.year),
    )
