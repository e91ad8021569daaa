"""加分 / 扣分 / 一票否决 registers: entered by one reviewer with reason and evidence, approved by
another (four eyes). Only approved entries count; each decision recomputes the score sheet."""

from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from assessments.services.evidence import evidence_file_check
from files.storage import files_kept_only_if_saved
from indicators.models import AdjustmentItem
from indicators.selectors import framework_published_for_year

from ..models import Adjustment, Publication
from ..permissions import can_decide_adjustment, can_register_adjustment
from .audit import review_audit_entry_record
from .errors import ReviewError, ScoresLocked
from .evidence_files import evidence_store
from .scoring import recompute_department_year

Kind = AdjustmentItem.Kind


def _ensure_year_open(year: int) -> None:
    if Publication.objects.filter(year=year).exists():
        raise ScoresLocked("本年度考核结果已公示，加减分只能通过异议复核改变。")


def _state(adjustment: Adjustment) -> dict[str, object]:
    return {
        "item": adjustment.item.code,
        "kind": adjustment.kind,
        "occurrences": adjustment.occurrences,
        "points": adjustment.points,
        "final_points": adjustment.final_points,
        "status": adjustment.status,
    }


def default_points(item: AdjustmentItem, occurrences: int) -> Decimal:
    """The list's points per occurrence, within the item's own cap; a veto carries none."""
    if item.kind == Kind.VETO:
        return Decimal(0)
    points = item.points * occurrences
    return min(points, item.max_points) if item.max_points is not None else points


@transaction.atomic
def adjustment_register(
    *,
    department: Department,
    year: int,
    item: AdjustmentItem,
    reason: str,
    user: User,
    occurrences: int = 1,
    points: Decimal | None = None,
    evidence: UploadedFile | None = None,
) -> Adjustment:
    if not can_register_adjustment(user, department):
        raise ReviewError("您无权为该单位登记加减分（不在审核范围内，或为本单位）。")
    _ensure_year_open(year)
    framework = framework_published_for_year(year)
    if framework is None or item.framework_id != framework.pk:
        raise ReviewError("该加减分项不属于本年度的指标体系。")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写加减分事由。")
    if occurrences < 1:
        raise ReviewError("次数至少为 1。")
    points = default_points(item, occurrences) if points is None or item.kind == Kind.VETO else points
    if points < 0 or (item.max_points is not None and points > item.max_points):
        raise ReviewError(f"分值须在 0 至 {item.max_points or points:f} 分之间。")
    checked = evidence_file_check(evidence) if evidence is not None else None
    adjustment = Adjustment(
        department=department,
        year=year,
        item=item,
        kind=item.kind,
        occurrences=occurrences,
        points=points,
        reason=reason,
        entered_by=user,
    )
    with files_kept_only_if_saved() as stored:
        if checked is not None:
            evidence_store(adjustment, checked, stored)
        adjustment.save()
        review_audit_entry_record(
            action="adjustment_register",
            subject=f"{department} {year} {item.code} {item.name}",
            year=year,
            department=department,
            user=user,
            after=_state(adjustment),
            reason=reason,
        )
    return adjustment


@transaction.atomic
def adjustment_decide(*, adjustment: Adjustment, approve: bool, user: User, note: str = "") -> Adjustment:
    """批准 or 不批准 a pending entry; someone other than who entered it."""
    locked = (
        Adjustment.objects.select_for_update(of=("self",)).select_related("item", "department").get(pk=adjustment.pk)
    )
    if not can_decide_adjustment(user, locked):
        raise ReviewError("加减分须由登记人以外、有权审核该单位的审核员审批。")
    if locked.status != Adjustment.Status.PENDING:
        raise ReviewError(f"这条登记{locked.get_status_display()}，不能再审批。")
    _ensure_year_open(locked.year)
    before = _state(locked)
    locked.status = Adjustment.Status.APPROVED if approve else Adjustment.Status.REJECTED
    locked.approved_by, locked.approved_at, locked.decision_note = user, timezone.now(), (note or "").strip()[:300]
    locked.save(update_fields=["status", "approved_by", "approved_at", "decision_note"])
    review_audit_entry_record(
        action="adjustment_approve" if approve else "adjustment_reject",
        subject=f"{locked.department} {locked.year} {locked.item.code} {locked.item.name}",
        year=locked.year,
        department=locked.department,
        user=user,
        before=before,
        after=_state(locked),
        reason=note,
    )
    if approve:
        recompute_department_year(department_id=locked.department_id, year=locked.year, user=user)
    return locked


@transaction.atomic
def adjustment_withdraw(*, adjustment: Adjustment, user: User, reason: str) -> Adjustment:
    """撤销 an entry (pending or approved) before publication; the reason is kept in the audit."""
    locked = (
        Adjustment.objects.select_for_update(of=("self",)).select_related("item", "department").get(pk=adjustment.pk)
    )
    if not can_register_adjustment(user, locked.department):
        raise ReviewError("您无权撤销该单位的加减分登记。")
    if not (reason or "").strip():
        raise ReviewError("撤销须填写理由。")
    if locked.status not in (Adjustment.Status.PENDING, Adjustment.Status.APPROVED):
        raise ReviewError(f"这条登记{locked.get_status_display()}，不能撤销。")
    _ensure_year_open(locked.year)
    before = _state(locked)
    was_counted = locked.status == Adjustment.Status.APPROVED
    locked.status = Adjustment.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    review_audit_entry_record(
        action="adjustment_withdraw",
        subject=f"{locked.department} {locked.year} {locked.item.code} {locked.item.name}",
        year=locked.year,
        department=locked.department,
        user=user,
        before=before,
        after=_state(locked),
        reason=reason,
    )
    if was_counted:
        recompute_department_year(department_id=locked.department_id, year=locked.year, user=user)
    return locked
