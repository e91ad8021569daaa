"""Reads of the 审议意见 / 代表建议 follow-up: item status, totals, overdue assignments.

An item assigned to several departments takes the least advanced result among them (a suggestion
is 已解决 only when every department solved its part), and stays 未答复 until all have answered.
Totals group the results as reports print them: "已经解决或基本解决的197件，部分解决或已列入计划
解决的129件，合计占比91.06%" — the share is over all items of the year, 2 decimals, half up.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from indicators.rates import rate_percent

from ..models import Assignment, CongressYear, DeliberationOpinion, HandlingStatus

# Least advanced last: the item's result is the maximum of its assignments' ranks.
STATUS_RANK = {status: rank for rank, status in enumerate(HandlingStatus.values)}
RESOLVED_GROUP = (HandlingStatus.RESOLVED, HandlingStatus.BASICALLY_RESOLVED)
PARTIAL_GROUP = (HandlingStatus.PARTIALLY_RESOLVED, HandlingStatus.PLANNED)
PENDING = ""
PENDING_LABEL = "未答复"


def opinion_status(assignments: list[Assignment]) -> str:
    """The item's handling result from its assignments; "" while any is unanswered or none exists."""
    if not assignments or any(not a.status for a in assignments):
        return PENDING
    return max((a.status for a in assignments), key=STATUS_RANK.__getitem__)


def status_label(status: str) -> str:
    return HandlingStatus(status).label if status else PENDING_LABEL


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class FollowUpTotals:
    kind: str  # "opinion", "suggestion", or "" for both together
    kind_label: str
    total: int
    by_status: tuple[StatusCount, ...]  # the five results, then 未答复
    resolved: int  # 已解决 + 基本解决
    partially_resolved: int  # 部分解决 + 列入计划
    unresolved: int
    pending: int
    resolved_share: Decimal | None
    partially_resolved_share: Decimal | None
    handled_share: Decimal | None  # (resolved + partially_resolved) ÷ total
    reviewed: int  # items marked 回头看
    overdue_assignments: int


def totals_for(kind: str, kind_label: str, items: list[tuple[DeliberationOpinion, str]], today: date) -> FollowUpTotals:
    statuses = [status for _, status in items]
    counts = {status: statuses.count(status) for status in [*HandlingStatus.values, PENDING]}
    resolved = sum(counts[s] for s in RESOLVED_GROUP)
    partial = sum(counts[s] for s in PARTIAL_GROUP)
    total = len(items)
    overdue = sum(
        1
        for opinion, _ in items
        for a in opinion.assignments.all()
        if not a.status and a.deadline < today  # prefetched, so no query
    )
    return FollowUpTotals(
        kind=kind,
        kind_label=kind_label,
        total=total,
        by_status=tuple(StatusCount(s, status_label(s), counts[s]) for s in [*HandlingStatus.values, PENDING]),
        resolved=resolved,
        partially_resolved=partial,
        unresolved=counts[HandlingStatus.UNRESOLVED],
        pending=counts[PENDING],
        resolved_share=rate_percent(resolved, total),
        partially_resolved_share=rate_percent(partial, total),
        handled_share=rate_percent(resolved + partial, total),
        reviewed=sum(1 for opinion, _ in items if opinion.is_reviewed),
        overdue_assignments=overdue,
    )


def opinions_with_assignments(*, congress_year: CongressYear, assignments: QuerySet[Assignment] | None = None):
    """The year's items with their (visible) assignments prefetched, departments included."""
    queryset = (assignments if assignments is not None else Assignment.objects.all()).select_related("department")
    return (
        congress_year.opinions.select_related("reviewed_by")
        .prefetch_related(Prefetch("assignments", queryset=queryset.order_by("department__sort_order", "id")))
        .order_by("kind", "number", "id")
    )


def followup_totals(
    *, opinions: list[DeliberationOpinion], today: date
) -> tuple[FollowUpTotals, FollowUpTotals, FollowUpTotals]:
    """Totals for 审议意见, 代表建议 and both, from opinions whose assignments are prefetched."""
    items = [(opinion, opinion_status(list(opinion.assignments.all()))) for opinion in opinions]
    kinds = DeliberationOpinion.Kind
    return (
        totals_for(kinds.OPINION, kinds.OPINION.label, [i for i in items if i[0].kind == kinds.OPINION], today),
        totals_for(
            kinds.SUGGESTION, kinds.SUGGESTION.label, [i for i in items if i[0].kind == kinds.SUGGESTION], today
        ),
        totals_for("", "合计", items, today),
    )


def overdue_assignments(*, assignments: QuerySet[Assignment], today: date) -> QuerySet[Assignment]:
    """Unanswered assignments past their deadline, oldest deadline first."""
    return (
        assignments.filter(status="", deadline__lt=today)
        .select_related("opinion__congress_year", "department")
        .order_by("deadline", "department__sort_order", "id")
    )
