"""异议 and 复核: a department contests one indicator score or one deduction during the appeal
window; a second reviewer — not the one who set what is contested — decides. The decision is the
only way a published score changes: it records the 复核分, recomputes the sheet (allowed although
published) and audits every before/after value."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_review_department
from assessments.services.evidence import evidence_file_check
from files.storage import files_kept_only_if_saved
from indicators.presenting import date_text
from indicators.scoring.rules import round_points

from ..models import Adjustment, Appeal, Notification, Publication, ReviewScore, ScoreSheet
from ..permissions import can_appeal, can_decide_appeal
from .audit import review_audit_entry_record
from .errors import ReviewError
from .evidence_files import evidence_store
from .notifications import notify, notify_department
from .scoring import AUDITED_FIELDS, score_sheet_compute

Decision = Appeal.Status


def _open_publication(year: int, today: datetime.date | None = None) -> Publication:
    publication = Publication.objects.filter(year=year).first()
    if publication is None or publication.is_final:
        raise ReviewError("现在不是异议期。")
    if (today or timezone.localdate()) > publication.appeal_deadline:
        raise ReviewError(f"异议期已于{date_text(publication.appeal_deadline)}结束。")
    return publication


@transaction.atomic
def appeal_submit(
    *,
    score_sheet: ScoreSheet,
    user: User,
    statement: str,
    review_score: ReviewScore | None = None,
    adjustment: Adjustment | None = None,
    evidence: UploadedFile | None = None,
    today: datetime.date | None = None,
) -> Appeal:
    """Contest one deduction: an indicator scored below its maximum, or an approved 扣分/否决 entry."""
    if not can_appeal(user, score_sheet):
        raise ReviewError("只有本单位填报员可以对本单位的得分提出异议。")
    _open_publication(score_sheet.year, today)
    statement = (statement or "").strip()
    if not statement:
        raise ReviewError("请写明异议理由。")
    if (review_score is None) == (adjustment is None):
        raise ReviewError("请选择一项有异议的扣分。")
    # Judge what is stored now, not the caller's copy.
    if review_score is not None:
        review_score = ReviewScore.objects.select_related("indicator").get(pk=review_score.pk)
    if adjustment is not None:
        adjustment = Adjustment.objects.select_related("item").get(pk=adjustment.pk)
    if review_score is not None:
        if review_score.annual_return_id != score_sheet.annual_return_id:
            raise ReviewError("该指标不属于本单位的得分表。")
        points_before = review_score.effective_points
        if points_before is None or review_score.deduction <= 0:
            raise ReviewError("该指标没有扣分。")
        subject = f"{review_score.indicator.code} {review_score.indicator.name}"
    else:
        assert adjustment is not None  # exactly one of the two, checked above
        if (adjustment.department_id, adjustment.year) != (score_sheet.department_id, score_sheet.year):
            raise ReviewError("该登记不属于本单位本年度。")
        if adjustment.status != Adjustment.Status.APPROVED or adjustment.kind == "bonus":
            raise ReviewError("只能对已批准的扣分或一票否决提出异议。")
        points_before = adjustment.effective_points
        subject = f"{adjustment.item.code} {adjustment.item.name}"
    if Appeal.objects.filter(status=Decision.PENDING, review_score=review_score, adjustment=adjustment).exists():
        raise ReviewError("这一项已有待复核的异议。")
    checked = evidence_file_check(evidence) if evidence is not None else None
    appeal = Appeal(
        score_sheet=score_sheet,
        review_score=review_score,
        adjustment=adjustment,
        statement=statement,
        submitted_by=user,
        points_before=points_before,
    )
    with files_kept_only_if_saved() as stored:
        if checked is not None:
            evidence_store(appeal, checked, stored)
        appeal.save()
        review_audit_entry_record(
            action="appeal_submit",
            subject=f"{score_sheet.department} {score_sheet.year} {subject}",
            year=score_sheet.year,
            department=score_sheet.department,
            user=user,
            after={"points_contested": points_before, "status": appeal.status},
            reason=statement,
        )
    reviewers = User.objects.filter(role=User.Role.REVIEWER, is_active=True).select_related("department")
    notify(
        users=[reviewer for reviewer in reviewers if can_review_department(reviewer, score_sheet.department)],
        kind=Notification.Kind.APPEAL,
        title=f"{score_sheet.department.display_name}对{subject}提出异议",
        url=reverse("reviews:appeal", kwargs={"pk": appeal.pk}),
    )
    return appeal


def _points_after(appeal: Appeal, decision: str, points: Decimal | None) -> Decimal:
    score = appeal.review_score
    maximum = score.max_points if score is not None else appeal.points_before
    full_relief = score.max_points if score is not None else Decimal(0)
    if decision == Decision.REJECTED:
        return appeal.points_before
    if decision == Decision.UPHELD:
        return full_relief
    if points is None or not Decimal(0) <= points <= maximum:
        raise ReviewError(f"部分成立时请填写复核后分值（0 至 {maximum:f} 分）。")
    return round_points(points)


@transaction.atomic
def appeal_decide(*, appeal: Appeal, user: User, decision: str, reason: str, points: Decimal | None = None) -> Appeal:
    """复核: `decision` upheld / partly (with `points`, the new score or deduction) / rejected."""
    locked = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("score_sheet__department", "review_score__indicator", "adjustment__item")
        .get(pk=appeal.pk)
    )
    if locked.status != Decision.PENDING:
        raise ReviewError("该异议已复核。")
    if not can_decide_appeal(user, locked):
        raise ReviewError("复核须由未参与原评分的审核员进行。")
    if decision not in (Decision.UPHELD, Decision.PARTLY_UPHELD, Decision.REJECTED):
        raise ReviewError("请选择复核结论。")
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("请填写复核意见。")
    sheet = ScoreSheet.objects.select_for_update().get(pk=locked.score_sheet_id)
    if sheet.is_final:
        raise ReviewError("该单位考核结果已确定。")
    annual_return = sheet.annual_return
    if annual_return is None:
        raise ReviewError("该得分表没有对应的年度填报，无法重新计分。")
    points_after = _points_after(locked, decision, points)
    sheet_before = {name: getattr(sheet, name) for name in AUDITED_FIELDS}
    subject = locked.review_score or locked.adjustment
    assert subject is not None  # appeal_one_subject
    subject_before = {"points": subject.points, "final_points": subject.final_points}
    if decision != Decision.REJECTED:
        subject.final_points = points_after
        subject.save(update_fields=["final_points"])
    locked.status, locked.points_after, locked.decision_reason = decision, points_after, reason
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save(update_fields=["status", "points_after", "decision_reason", "decided_by", "decided_at"])
    sheet, _ = score_sheet_compute(
        annual_return=annual_return, user=user, allow_final=True, reason=f"异议复核：{reason}"
    )
    review_audit_entry_record(
        action="appeal_decide",
        subject=f"{sheet.department} {sheet.year} {locked.subject_label}",
        year=sheet.year,
        department=sheet.department,
        user=user,
        before={"appeal": Decision.PENDING, **subject_before, **{f"sheet_{k}": v for k, v in sheet_before.items()}},
        after={
            "appeal": decision,
            "points": subject.points,
            "final_points": subject.final_points,
            **{f"sheet_{name}": getattr(sheet, name) for name in AUDITED_FIELDS},
        },
        reason=reason,
    )
    notify_department(
        department=sheet.department,
        kind=Notification.Kind.APPEAL_DECIDED,
        title=f"您对{locked.subject_label}的异议已复核：{locked.get_status_display()}",
        body=f"复核意见：{reason}",
        url=reverse("reviews:appeal", kwargs={"pk": locked.pk}),
    )
    return locked
