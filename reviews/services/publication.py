"""公示: publish a year's preliminary results (appeal window opens), then declare them final.

Publication freezes the inputs: from then on review scores and adjustments of the year change only
through a 复核 decision on an appeal (services/appeals.py). Finalising locks every sheet.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import AnnualReturn

from ..models import Appeal, Notification, Publication, ScoreSheet
from ..permissions import can_manage_results
from .audit import audit_record
from .errors import ReviewError
from .notifications import notify
from .scoring import score_sheet_compute, score_sheets_rank

Status = AnnualReturn.Status
UNDER_REVIEW = (Status.SUBMITTED, Status.APPROVED, Status.RETURNED)


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
    pending = AnnualReturn.objects.filter(year=year, status__in=UNDER_REVIEW).select_related("department")
    if pending:
        names = "、".join(annual_return.department.display_name for annual_return in pending[:10])
        raise ReviewError(f"以下单位的填报尚未审核确认，不能发布：{names}")
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
    audit_record(
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
        body=f"如有异议，请于{appeal_deadline:%Y年%m月%d日}前提出。",
        url=reverse("reviews:results", kwargs={"year": year}),
    )
    return publication


@transaction.atomic
def results_set_ranking_public(*, year: int, is_public: bool, user: User) -> Publication:
    if not can_manage_results(user):
        raise ReviewError("您无权修改排名公开设置。")
    publication = Publication.objects.select_for_update().filter(year=year).first()
    if publication is None:
        raise ReviewError(f"{year}年度考核结果尚未发布。")
    before = {"is_ranking_public": publication.is_ranking_public}
    publication.is_ranking_public = is_public
    publication.save(update_fields=["is_ranking_public"])
    audit_record(
        action="ranking_visibility", subject=str(publication), year=year, user=user,
        before=before, after={"is_ranking_public": is_public},
    )  # fmt: skip
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
        raise ReviewError(f"异议期至{publication.appeal_deadline:%Y年%m月%d日}，期满后才能确定最终结果。")
    if Appeal.objects.filter(score_sheet__year=year, status=Appeal.Status.PENDING).exists():
        raise ReviewError("还有尚未复核的异议。")
    score_sheets_rank(year=year)
    ScoreSheet.objects.filter(Q(year=year), Q(is_final=False)).update(is_final=True)
    publication.status = Publication.Status.FINAL
    publication.finalised_by, publication.finalised_at = user, timezone.now()
    publication.save(update_fields=["status", "finalised_by", "finalised_at"])
    audit_record(
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
