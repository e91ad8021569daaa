"""异议: a department contests a deduction on its sheet; the 复核 reviewer decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from assessments.services.errors import ReturnActionError
from files.responses import stored_file_response

from ..forms import AppealDecisionForm, AppealForm
from ..models import Adjustment, Appeal, ReviewScore
from ..permissions import appeal_get_for_user, appeals_for_user, can_appeal, can_decide_appeal, score_sheet_get_for_user
from ..services import appeals as services
from .common import forbidden, form_errors

APPEALS_PER_PAGE = 50


@login_required
@require_safe
def appeal_list(request):
    appeals = appeals_for_user(request.user).select_related(
        "review_score__indicator", "adjustment__item", "submitted_by", "decided_by"
    )
    page = Paginator(appeals.order_by("status", "-submitted_at", "-pk"), APPEALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "reviews/appeals.html", {"appeals": page})


@login_required
@require_POST
def appeal_create(request, pk: int):
    sheet = score_sheet_get_for_user(request.user, pk)
    if not can_appeal(request.user, sheet):
        return forbidden("只有本单位填报员可以提出异议。")
    form = AppealForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        parts = form.subject_parts()
        if parts is None:
            raise ReturnActionError("请选择一项有异议的扣分。")
        kind, subject_pk = parts
        review_score = adjustment = None
        if kind == "score":
            review_score = get_object_or_404(
                ReviewScore.objects.select_related("indicator"), pk=subject_pk, annual_return_id=sheet.annual_return_id
            )
        else:
            adjustment = get_object_or_404(
                Adjustment.objects.select_related("item"), pk=subject_pk, department_id=sheet.department_id
            )
        services.appeal_submit(
            score_sheet=sheet,
            user=request.user,
            statement=form.cleaned_data["statement"],
            review_score=review_score,
            adjustment=adjustment,
            evidence=form.cleaned_data["evidence"],
        )
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "异议已提交，将由未参与原评分的审核员复核。")
    return redirect("reviews:sheet", pk=sheet.pk)


@login_required
@require_safe
def appeal_detail(request, pk: int):
    appeal = appeal_get_for_user(request.user, pk)
    may_decide = appeal.status == Appeal.Status.PENDING and can_decide_appeal(request.user, appeal)
    return render(
        request,
        "reviews/appeal.html",
        {"appeal": appeal, "form": AppealDecisionForm() if may_decide else None},
    )


@login_required
@require_POST
def appeal_decide(request, pk: int):
    appeal = appeal_get_for_user(request.user, pk)
    if not can_decide_appeal(request.user, appeal):
        return forbidden("复核须由未参与原评分、有权审核该单位的审核员进行。")
    form = AppealDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        services.appeal_decide(appeal=appeal, user=request.user, **form.cleaned_data)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "复核结论已记录，得分已更新。")
    return redirect("reviews:appeal", pk=appeal.pk)


@login_required
@require_safe
def appeal_evidence(request, pk: int):
    appeal = appeal_get_for_user(request.user, pk)
    return stored_file_response(
        appeal.evidence,
        filename=appeal.evidence_name or "佐证材料",
        content_type=appeal.evidence_content_type,
        inline=request.GET.get("inline") == "1",
    )
