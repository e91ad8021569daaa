"""加分 / 扣分 / 一票否决 registers of a year: list, register, approve or reject, withdraw, evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import departments_for_user
from assessments.services.errors import ReturnActionError
from files.responses import stored_file_response
from indicators.selectors import framework_published_for_year

from ..forms import AdjustmentForm, DecisionForm, ReasonForm
from ..models import Adjustment
from ..permissions import can_decide_adjustment
from ..services import adjustments as services
from .common import forbidden, form_errors, require_workbench


def _visible(request):
    return Adjustment.objects.filter(department__in=departments_for_user(request.user))


def _reviewable_departments(request):
    departments = departments_for_user(request.user).filter(is_active=True)
    if request.user.department_id:
        departments = departments.exclude(pk=request.user.department_id)
    return departments


@login_required
def adjustment_list(request, year: int):
    require_workbench(request)
    framework = framework_published_for_year(year)
    items = framework.adjustment_items.order_by("kind", "order", "code") if framework else None
    form = None
    if framework and request.user.is_reviewer:
        form = AdjustmentForm(
            request.POST or None,
            request.FILES or None,
            departments=_reviewable_departments(request),
            items=items,
        )
    if request.method == "POST":
        if form is None:
            return forbidden("只有审核员可以登记加减分。")
        if form.is_valid():
            try:
                services.adjustment_register(
                    department=form.cleaned_data["department"],
                    year=year,
                    item=form.cleaned_data["item"],
                    occurrences=form.cleaned_data["occurrences"],
                    points=form.cleaned_data["points"],
                    reason=form.cleaned_data["reason"],
                    evidence=form.cleaned_data["evidence"],
                    user=request.user,
                )
            except ReturnActionError as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, "已登记，待另一名审核员审批后计入得分。")
                return redirect("reviews:adjustments", year=year)
        else:
            messages.error(request, form_errors(form))
    entries = list(
        _visible(request)
        .filter(year=year)
        .select_related("department", "item", "entered_by", "approved_by")
        .order_by("status", "department__sort_order", "kind", "pk")
    )
    for entry in entries:
        entry.may_decide = entry.status == Adjustment.Status.PENDING and can_decide_adjustment(request.user, entry)
    return render(
        request,
        "reviews/adjustments.html",
        {"year": year, "framework": framework, "form": form, "entries": entries, "items": items or []},
    )


def _entry(request, pk: int) -> Adjustment:
    require_workbench(request)
    try:
        return _visible(request).select_related("department", "item").get(pk=pk)
    except Adjustment.DoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def adjustment_decide(request, pk: int):
    entry = _entry(request, pk)
    if not can_decide_adjustment(request.user, entry):
        return forbidden("加减分须由登记人以外、有权审核该单位的审核员审批。")
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.adjustment_decide(
            adjustment=entry,
            approve=request.POST.get("decision") == "approve",
            note=form.cleaned_data.get("note", ""),
            user=request.user,
        )
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "已审批。")
    return redirect("reviews:adjustments", year=entry.year)


@login_required
@require_POST
def adjustment_withdraw(request, pk: int):
    entry = _entry(request, pk)
    if not request.user.is_reviewer:
        return forbidden("只有审核员可以撤销加减分登记。")
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        services.adjustment_withdraw(adjustment=entry, reason=form.cleaned_data["reason"], user=request.user)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "已撤销。")
    return redirect("reviews:adjustments", year=entry.year)


@login_required
@require_safe
def adjustment_evidence(request, pk: int):
    entry = _entry(request, pk)
    return stored_file_response(
        entry.evidence,
        filename=entry.evidence_name or "佐证材料",
        content_type=entry.evidence_content_type,
        inline=request.GET.get("inline") == "1",
    )
