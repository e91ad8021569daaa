"""One return under review: the page, per-indicator scores (htmx rows), return, approve, confirm, reopen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from assessments.models import AnnualReturn
from assessments.services.errors import ReturnActionError
from assessments.services.workflow import allowed_actions
from audit.services import audit_read
from indicators.models import Indicator

from .. import selectors
from ..forms import ReasonForm, ReviewScoreForm, SendBackForm, VersionForm
from ..permissions import can_review_return, return_for_reviewer
from ..services import review as services
from .common import audit_page, forbidden, form_errors, require_workbench


def _reviewable(request, pk: int, *, reading=None) -> AnnualReturn:
    """404 outside the scope; the reviewer's own department is seen, never reviewed (actions 403)."""
    require_workbench(request)
    return return_for_reviewer(request.user, pk, reading=reading)


@login_required
@require_safe
def review(request, pk: int):
    annual_return = _reviewable(request, pk, reading=selectors.with_review_facts)
    audit_read(request, annual_return, annual_return.department_id)
    page = selectors.review_page(annual_return)
    area = request.GET.get("area", "")
    rows = [row for row in page.rows if not area or row.area_code == area]
    if request.GET.get("attention"):
        rows = [row for row in rows if row.needs_attention or row.is_reopened]
    may_review = can_review_return(request.user, annual_return)
    audit, rescore_notices = audit_page(request, department_id=annual_return.department_id, year=annual_return.year)
    return render(
        request,
        "reviews/review.html",
        {
            "page": page,
            "annual_return": annual_return,
            "rows": rows,
            "area": area,
            "may_review": may_review,
            "may_score": may_review and annual_return.status in services.SCORABLE_STATUSES and not page.is_published,
            "actions": {t.action for t in allowed_actions(annual_return, request.user)} if may_review else set(),
            "send_back_form": SendBackForm(initial={"version": annual_return.version}),
            "reopen_form": ReasonForm(initial={"version": annual_return.version}),
            "audit": audit,
            "rescore_notices": rescore_notices,
        },
    )


@login_required
@require_POST
def score(request, pk: int, indicator_pk: int):
    annual_return = _reviewable(request, pk)
    if not can_review_return(request.user, annual_return):
        return forbidden("您无权审核这份填报。")
    indicator = get_object_or_404(Indicator, pk=indicator_pk, framework_id=annual_return.framework_id)
    form = ReviewScoreForm(request.POST)
    error = ""
    if not form.is_valid():
        error = form_errors(form)
    else:
        try:
            services.review_score_save(
                annual_return=annual_return,
                indicator=indicator,
                user=request.user,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                verified_raw=form.verified_raw(),
                expected_version=form.cleaned_data["version"],
            )
        except ReturnActionError as refusal:
            error = refusal.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"已保存 {indicator.code} 的审核分。")
        return redirect(f"{_review_url(annual_return)}#row-{indicator.pk}")
    page = selectors.review_page(annual_return)
    row = next(row for row in page.rows if row.indicator.pk == indicator.pk)
    response = render(
        request,
        "reviews/partials/review_row.html",
        {
            "row": row,
            "annual_return": annual_return,
            "may_score": True,
            "error": error,
            "is_saved": not error,
            "typed": request.POST if error else None,  # a refused save keeps what was typed
        },
    )
    response["HX-Trigger"] = "sheet-changed"
    return response


def _review_url(annual_return: AnnualReturn) -> str:
    return reverse("reviews:review", kwargs={"pk": annual_return.pk})


def _act(request, pk: int, action, *, may_admin: bool = False):
    annual_return = _reviewable(request, pk)
    is_admin = may_admin and request.user.is_system_admin
    if not (can_review_return(request.user, annual_return) or is_admin):
        return forbidden("您无权审核这份填报。")
    try:
        message = action(annual_return)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, message)
    return redirect(_review_url(annual_return))


@login_required
@require_POST
def send_back(request, pk: int):
    form = SendBackForm(request.POST)

    def action(annual_return):
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        comments = form.indicator_comments(request.POST)
        services.review_send_back(
            annual_return=annual_return,
            user=request.user,
            comment=form.cleaned_data["comment"],
            indicator_comments=comments,
            resubmit_deadline=form.cleaned_data["resubmit_deadline"],
            expected_version=form.cleaned_data["version"],
        )
        return f"已退回 {len(comments)} 项指标。" if comments else "已退回整份填报。"

    return _act(request, pk, action)


@login_required
@require_POST
def approve(request, pk: int):
    form = VersionForm(request.POST)
    form.is_valid()

    def action(annual_return):
        services.review_approve(
            annual_return=annual_return,
            user=request.user,
            comment=form.cleaned_data.get("comment", ""),
            expected_version=form.cleaned_data.get("version"),
        )
        return "已审核通过。"

    return _act(request, pk, action)


@login_required
@require_POST
def confirm(request, pk: int):
    form = VersionForm(request.POST)
    form.is_valid()

    def action(annual_return):
        services.review_confirm(
            annual_return=annual_return, user=request.user, expected_version=form.cleaned_data.get("version")
        )
        return "已确认锁定：数值、佐证材料和分数不再改变。"

    return _act(request, pk, action)


@login_required
@require_POST
def reopen(request, pk: int):
    form = ReasonForm(request.POST)

    def action(annual_return):
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        services.review_reopen(
            annual_return=annual_return,
            user=request.user,
            reason=form.cleaned_data["reason"],
            indicator_comments=SendBackForm().indicator_comments(request.POST),
            resubmit_deadline=form.cleaned_data["resubmit_deadline"],
            expected_version=form.cleaned_data["version"],
        )
        return "已解除锁定并退回单位修改。"

    return _act(request, pk, action, may_admin=True)
