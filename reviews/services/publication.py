"""公示: publish a year's preliminary results (appeal window opens), then declare them final.

Publication freezes the inputs: from then on review scores and adjustments of the year change only
through a 复核 decision on an appeal (services/appeals.py). Finalising locks every sheet.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import AnnualReturn, ReturnTransition
from indicators.presenting import date_text

from ..models import Appeal, Notification, Publication, ScoreSheet
from ..permissions import can_manage_results
from .audit import review_audit_entry_record
from .errors import ReviewError
from .notifications import notify
from .scoring import score_sheet_compute, score_sheets_rank

Status = AnnualReturn.Status
UNDER_REVIEW = (Status.SUBMITTED, Status.APPROVED, Status.RETURNED)
NAMED_AT_MOST = 10


def returns_blocking_publication(year: int) -> list[AnnualReturn]:
    """Returns of the year submitted at least once but not yet confirmed: under review, sent back,
    or taken up again by the department after a send-back (填报中 once more). Publishing while any
    exists would rank a score that is about to change. A return never submitted does not block:
    it simply has no result this year."""
    was_submitted = ReturnTransition.objects.filter(annual_return=OuterRef("pk"), to_status=Status.SUBMITTED)
    return list(
        AnnualReturn.objects.filter(year=year)
        .exclude(status=Status.CONFIRMED)
        .filter(Q(status__in=UNDER_REVIEW) | Q(first_submitted_at__isnull=False) | Exists(was_submitted))
        .select_related("department")
        .order_by("department__sort_order", "department__code")
    )


def _named(returns: list[AnnualReturn]) -> str:
    """The departments for a refusal message: 市公安局（已提交）、市教育局（退回后修改中）……等 12 家."""

    def state(annual_return: AnnualReturn) -> str:
        if annual_return.status == Status.IN_PROGRESS:
            return "退回后修改中"
        return annual_return.get_status_display()

    names = "、".join(f"{item.department.display_name}（{state(item)}）" for item in returns[:NAMED_AT_MOST])
    return names + (f"等 {len(returns)} 家" if len(returns) > NAMED_AT_MOST else "")


def _staff_of_sheets(year: int) -> list[User]:
    departments = ScoreSheet.objects.filter(year=year).values("department_id")
    return list(User.objects.filter(role=User.Role.DEPARTMENT_STAFF, is_active=True, department_id__in=departments))


@transaction.atomic
def results_publish(
    *,
    year: int,
    appeal_deadline: datetime.date,
    user: User,
    is_ranking_public: bool = False,
    note: str = "",
    today: datetime.date | None = None,
) -> Publication:
    """Publish the preliminary results of `year`. Every return under review must be confirmed first;
    sheets are brought up to date (idempotent) and ranked before they are shown."""
    if not can_manage_results(user):
        raise ReviewError("只有司法局（全部单位的审核员）或系统管理员可以发布考核结果。")
    if appeal_deadline < (today or timezone.localdate()):
        raise ReviewError("异议截止日期不能早于今天。")
    if Publication.objects.select_for_update().filter(year=year).exists():
        raise ReviewError(f"{year}年度考核结果已发布。")
    pending = returns_blocking_publication(year)
    if pending:
        raise ReviewError(
            f"以下单位的填报已提交过但尚未审核确认（含退回修改中的），其得分可能还会变化，不能发布：{_named(pending)}。"
            "请待这些填报重新提交并审核确认后再发布。"
        )
    confirmed = AnnualReturn.objects.filter(year=year, status=Status.CONFIRMED).select_related(
        "department", "framework"
    )
    if not confirmed:
        raise ReviewError(f"{year}年度还没有审核确认的填报。")
    for annual_return in confirmed:
        score_sheet_compute(annual_return=annual_return, user=user)
    score_sheets_rank(year=year)
    publication = Publication.objects.create(
        year=year, appeal_deadline=appeal_deadline, is_ranking_public=is_ranking_public, published_by=user, note=note
    )
    review_audit_entry_record(
        action="publish",
        subject=str(publication),
        year=year,
        user=user,
        after={"appeal_deadline": appeal_deadline, "is_ranking_public": is_ranking_public, "sheets": len(confirmed)},
        reason=note,
    )
    notify(
        users=_staff_of_sheets(year),
        kind=Notification.Kind.PUBLISHED,
        title=f"{year}年度法治政府建设考核初步结果已公示",
        body=f"如有异议，请于{date_text(appeal_deadline)}前提出。",
        url=reverse("reviews:results", kwargs={"year": year}),
    )
    return publication


def results_set_ranking_public(*, year: int, is_public: bool, user: User) -> Publication:
    return _publication_visibility_set(
        year=year, field="is_ranking_public", value=is_public, user=user,
        action="ranking_visibility", refusal="您无权修改排名公开设置。",
    )  # fmt: skip


def results_set_breakdown_public(*, year: int, is_public: bool, user: User) -> Publication:
    """公开明细: whether units that see the public ranking also see each other's 加分, 扣分 and area points."""
    return _publication_visibility_set(
        year=year, field="is_breakdown_public", value=is_public, user=user,
        action="breakdown_visibility", refusal="您无权修改明细公开设置。",
    )  # fmt: skip


@transaction.atomic
def _publication_visibility_set(
    *, year: int, field: str, value: bool, user: User, action: str, refusal: str
) -> Publication:
    """One visibility switch of a published year, changed under a row lock and audited."""
    if not can_manage_results(user):
        raise ReviewError(refusal)
    publication = Publication.objects.select_for_update().filter(year=year).first()
    if publication is None:
        raise ReviewError(f"{year}年度考核结果尚未发布。")
    before = {field: getattr(publication, field)}
    setattr(publication, field, value)
    publication.save(update_fields=[field])
    review_audit_entry_record(
        action=action, subject=str(publication), year=year, user=user, before=before, after={field: value}
    )
    return publication


@transaction.atomic
def results_finalise(*, year: int, user: User, today: datetime.date | None = None) -> Publication:
    """Declare the results final: the appeal window has closed and every appeal is decided."""
    if not can_manage_results(user):
        raise ReviewError("只有司法局（全部单位的审核员）或系统管理员可以确定最终结果。")
    publication = Publication.objects.select_for_update().filter(year=year).first()
    if publication is None:
        raise ReviewError(f"{year}年度考核结果尚未发布。")
    if publication.is_final:
        raise ReviewError(f"{year}年度考核结果已是最终结果。")
    today = today or timezone.localdate()
    if today <= publication.appeal_deadline:
        raise ReviewError(f"异议期至{date_text(publication.appeal_deadline)}，期满后才能确定最终结果。")
    if Appeal.objects.filter(score_sheet__year=year, status=Appeal.Status.PENDING).exists():
        raise ReviewError("还有尚未复核的异议。")
    # A sheet computed after publication (e.g. a late return recomputed with the year) belongs to a
    # return nobody has confirmed; making it final would lock a provisional score.
    unconfirmed = list(
        AnnualReturn.objects.filter(year=year, score_sheet__isnull=False)
        .exclude(status=Status.CONFIRMED)
        .select_related("department")
        .order_by("department__sort_order", "department__code")
    )
    if unconfirmed:
        raise ReviewError(f"以下单位有得分表但填报尚未审核确认，不能确定最终结果：{_named(unconfirmed)}。")
    score_sheets_rank(year=year)
    ScoreSheet.objects.filter(Q(year=year), Q(is_final=False)).update(is_final=True)
    publication.status = Publication.Status.FINAL
    publication.finalised_by, publication.finalised_at = user, timezone.now()
    publication.save(update_fields=["status", "finalised_by", "finalised_at"])
    review_audit_entry_record(
        action="finalise",
        subject=str(publication),
        year=year,
        user=user,
        before={"status": Publication.Status.PRELIMINARY},
        after={"status": Publication.Status.FINAL},
    )
    notify(
        users=_staff_of_sheets(year),
        kind=Notification.Kind.FINAL,
        title=f"{year}年度法治政府建设考核结果已确定",
        url=reverse("reviews:results", kwargs={"year": year}),
    )
    return publication
