"""Opening a year: one return per active department, with a row for each indicator it reports; and
changing the year's deadline afterwards. Both are the justice bureau's, and both are recorded: one
ReturnTransition per return touched, one audit event for the act."""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models, transaction
from django.utils import timezone

from accounts.models import Department, User
from audit.models import AuditEvent
from audit.services import audit_record
from indicators.models import IndicatorFramework
from indicators.presenting import date_text

from .. import permissions
from ..models import AnnualReturn, IndicatorValue, NarrativeSection, ReturnTransition, default_deadline
from ..selectors.deadlines import local_today
from ..selectors.opening import applicable_indicators, departments_without_return
from .completion import completion_recount
from .errors import ReturnActionError, TransitionNotAllowed

__all__ = ["applicable_indicators", "returns_open_for_framework", "year_deadline_change", "year_open"]

REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class OpeningResult:
    opened: int
    already_open: int


@transaction.atomic
def returns_open_for_framework(
    *, framework: IndicatorFramework, user: User | None = None, deadline: date | None = None
) -> OpeningResult:
    """Open the returns of a published framework for every active department that has none for the
    year yet. Idempotent: departments that already have their return are left alone. A fixed number
    of queries per department kind, whatever the number of indicators."""
    # The framework row is the year's lock: two openings of a year (a double click, two bureau
    # users) run one after the other, and the second finds the first's returns.
    framework = IndicatorFramework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != IndicatorFramework.Status.PUBLISHED:
        raise ReturnActionError("只能为已发布的指标体系开启填报。")
    # A 历史数据年度's figures are entered after the fact: nothing is owed by a date.
    deadline = None if framework.is_historical else deadline or default_deadline(framework.year)
    new_departments = list(departments_without_return(framework.year).order_by("pk"))
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
    completion_recount([annual_return.pk for annual_return in returns])
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
                comment=(
                    f"开启{framework.year}年度填报，截止日期 {date_text(deadline)}"
                    if deadline
                    else f"开启{framework.year}年度历史数据补录（历史数据年度，无截止日期）"
                ),
            )
            for annual_return in returns
        ]
    )
    already_open = AnnualReturn.objects.filter(year=framework.year, department__is_active=True).count() - len(returns)
    return OpeningResult(opened=len(returns), already_open=already_open)


def connection_lacks_returning_ids(objects: Iterable[models.Model]) -> bool:
    """bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35; check rather than assume."""
    return any(obj.pk is None for obj in objects)


def _check_deadline(year: int, deadline: date, today: date) -> None:
    """A deadline departments can still meet, and not beyond the year after the assessed one (the
    annual report is due by 1 March of that year)."""
    if deadline < today:
        raise ReturnActionError(f"截止日期不能早于今天（{date_text(today)}）。")
    if deadline.year > year + 1:
        raise ReturnActionError(f"{year}年度填报的截止日期不能晚于{year + 1}年12月31日。")


def _ensure_bureau(user: User) -> None:
    if not permissions.can_open_returns(user):
        raise TransitionNotAllowed("只有司法局（可审核全部单位的审核员）或系统管理员可以开启年度填报、调整截止日期。")


def year_open(*, framework: IndicatorFramework, deadline: date, user: User, today: date | None = None) -> OpeningResult:
    """开启年度填报 by the justice bureau: returns for every active department that lacks one (so
    running it again later opens only departments added since), due by `deadline`."""
    _ensure_bureau(user)
    if framework.is_historical:
        raise ReturnActionError(f"“{framework}”是历史数据年度的指标体系，请在“开启历史数据年度”中开启。")
    _check_deadline(framework.year, deadline, today or local_today())
    with transaction.atomic():
        result = returns_open_for_framework(framework=framework, user=user, deadline=deadline)
        if result.opened:
            audit_record(
                action=AuditEvent.Action.CHANGE,
                user=user,
                obj=framework,
                after={"开启年度填报": framework.year, "新开启": result.opened, "截止日期": deadline.isoformat()},
            )
    return result


@dataclass(frozen=True)
class DeadlineChange:
    changed: int
    extensions_ended: int  # extensions the new deadline made pointless (it is as late or later)


@transaction.atomic
def year_deadline_change(
    *, year: int, deadline: date, reason: str, user: User, today: date | None = None
) -> DeadlineChange:
    """Move the deadline of the year's returns that have not been submitted yet. Submitted returns
    keep the deadline they were judged against (their 逾期 flag was set by it). An extension that
    ends on or before the new deadline no longer extends anything and is withdrawn, which the
    return's log says."""
    _ensure_bureau(user)
    reason = (reason or "").strip()
    if not reason:
        raise ReturnActionError("调整截止日期须填写理由。")
    if len(reason) > REASON_MAX_LENGTH:
        raise ReturnActionError(f"理由不能超过 {REASON_MAX_LENGTH} 字。")
    if AnnualReturn.objects.filter(year=year, framework__is_historical=True).exists():
        raise ReturnActionError(f"{year}年度是历史数据年度，填报没有截止日期。")
    _check_deadline(year, deadline, today or local_today())
    # Locked in one order (by pk) like every other multi-return writer; a department submitting at
    # this moment waits, then is judged against the new deadline.
    pending = list(
        AnnualReturn.objects.select_for_update(no_key=True)
        .filter(year=year, first_submitted_at__isnull=True)
        .order_by("pk")
    )
    if not pending:
        raise ReturnActionError(f"{year}年度没有尚未提交的填报，无需调整截止日期。")
    moved = [annual_return for annual_return in pending if annual_return.deadline != deadline]
    if not moved:
        raise ReturnActionError(f"尚未提交的填报截止日期均已是 {date_text(deadline)}。")
    ended = {r.pk for r in moved if r.extended_until is not None and r.extended_until <= deadline}
    now = timezone.now()
    AnnualReturn.objects.filter(pk__in=ended).update(
        deadline=deadline,
        extended_until=None,
        extension_reason="",
        extension_granted_by=None,
        extension_granted_at=None,
        updated_at=now,
    )
    AnnualReturn.objects.filter(pk__in=[r.pk for r in moved if r.pk not in ended]).update(
        deadline=deadline, updated_at=now
    )
    ReturnTransition.objects.bulk_create(
        [
            ReturnTransition(
                annual_return=annual_return,
                from_status=annual_return.status,
                to_status=annual_return.status,
                action="deadline",
                user=user,
                comment=_deadline_comment(annual_return, deadline, reason, annual_return.pk in ended),
            )
            for annual_return in moved
        ]
    )
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        object_type="assessments.year",
        object_id=year,
        before={
            "截止日期": {
                (day.isoformat() if day is not None else ""): n for day, n in Counter(r.deadline for r in moved).items()
            }
        },
        after={"截止日期": deadline.isoformat(), "调整填报数": len(moved), "取消延期": len(ended), "理由": reason},
    )
    return DeadlineChange(changed=len(moved), extensions_ended=len(ended))


def _deadline_comment(annual_return: AnnualReturn, deadline: datetime.date, reason: str, extension_ended: bool) -> str:
    comment = f"截止日期由 {date_text(annual_return.deadline)} 调整为 {date_text(deadline)}：{reason}"
    if extension_ended:
        comment += f"（原批准延期至 {date_text(annual_return.extended_until)}，已不晚于新截止日期，延期取消）"
    return comment
