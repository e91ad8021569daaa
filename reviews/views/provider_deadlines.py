"""数据提供进度: the bureau's page of its 数据提供单位 for a year — each one's indicators, deadline
(editable here), progress, 提交 (on time or late), overdue flag, and a reminder button."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from assessments.permissions import can_open_returns
from assessments.selectors.provider_deadlines import provider_progress, providers_of_year, provision_years
from assessments.services.errors import ReturnActionError
from assessments.services.provider_deadlines import provider_deadline_set
from indicators.presenting import date_text

from ..forms import ProviderDeadlineForm
from ..services.notifications import provider_reminder_send


def _require_bureau(request) -> None:
    if not can_open_returns(request.user):
        raise PermissionDenied("数据提供进度仅供司法局审核员和系统管理员使用。")


def _year(request) -> int:
    """The year asked for if it has providers, else the latest that has (else the year asked: the
    page then says there are none)."""
    years = provision_years()
    text = request.POST.get("year") or request.GET.get("year") or ""
    if text.isdigit() and (int(text) in years or not years):
        return int(text)
    return years[0] if years else timezone.localdate().year - 1


def _provider(year: int, pk: int) -> Department:
    provider = get_object_or_404(Department, pk=pk)
    if provider not in providers_of_year(year):
        raise Http404("该单位不是本年度的数据提供单位。")
    return provider


def _page(request, year: int, *, failed: Department | None = None, form=None, status: int = 200):
    rows = provider_progress(year)
    context = {
        "year": year,
        "years": provision_years(),
        "rows": rows,
        "overdue": [row for row in rows if row.is_overdue],
        "failed_pk": failed.pk if failed else None,
        "failed_form": form,
    }
    return render(request, "reviews/provider_deadlines.html", context, status=status)


def _back(year: int):
    return redirect(f"{reverse('reviews:provider_deadlines')}?year={year}")


@login_required
@require_safe
def provider_deadlines(request):
    _require_bureau(request)
    return _page(request, _year(request))


@login_required
@require_POST
def provider_deadline_change(request, pk: int):
    """The deadline of one provider; a bad date comes back on the page, in its row, as typed."""
    _require_bureau(request)
    year = _year(request)
    provider = _provider(year, pk)
    form = ProviderDeadlineForm(request.POST)
    if form.is_valid():
        deadline = form.cleaned_data["deadline"]
        try:
            provider_deadline_set(provider=provider, year=year, deadline=deadline, user=request.user)
        except ReturnActionError as refused:
            form.add_error("deadline", forms.ValidationError(refused.message))
        else:
            what = f"{provider.display_name}{year}年度提供数据的截止日期"
            messages.success(request, f"已将{what}设为 {date_text(deadline)}。")
            return _back(year)
    return _page(request, year, failed=provider, form=form, status=400)


@login_required
@require_POST
def provider_remind(request, pk: int):
    _require_bureau(request)
    year = _year(request)
    provider = _provider(year, pk)
    try:
        sent = provider_reminder_send(provider=provider, year=year, user=request.user)
    except ReturnActionError as refused:
        messages.error(request, refused.message)
    else:
        if sent:
            messages.success(request, f"已向{provider.display_name}的 {sent} 个账号发送提醒。")
        else:
            messages.info(request, f"今天已经提醒过{provider.display_name}，未重复发送。")
    return _back(year)
