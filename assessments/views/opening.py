"""开启年度填报 and 调整截止日期: the justice bureau opens a year's returns for every department (again
later for departments added since) and may move the year's deadline; 开启历史数据年度 opens a past
year, without a deadline, for figures entered after the fact."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from indicators.models import IndicatorFramework
from indicators.presenting import date_text

from ..forms import HistoricalYearForm, YearDeadlineForm, YearOpenForm
from ..permissions import can_open_returns
from ..selectors.historical import historical_sources, historical_years
from ..selectors.opening import openable_frameworks, opening_preview, year_deadlines
from ..services.errors import ReturnActionError
from ..services.historical import historical_year_open, historical_year_prepare
from ..services.opening import year_deadline_change, year_open


def _framework_asked(request, frameworks):
    """The framework named by the query (?framework=) or the posted form, else the latest year's."""
    asked = (request.POST if request.method == "POST" else request.GET).get("framework", "")
    chosen = frameworks.filter(pk=int(asked)).first() if asked.isdigit() else None
    return chosen or frameworks.first()


@login_required
@require_http_methods(["GET", "POST"])
def year_open_view(request):
    """GET (?framework=<pk>) previews what opening would do; POST (framework, deadline) opens."""
    if not can_open_returns(request.user):
        raise PermissionDenied
    frameworks = openable_frameworks()
    form = YearOpenForm(request.POST if request.method == "POST" else None, frameworks=frameworks)
    if request.method == "POST" and form.is_valid():
        framework, deadline = form.cleaned_data["framework"], form.cleaned_data["deadline"]
        try:
            result = year_open(framework=framework, deadline=deadline, user=request.user)
        except ReturnActionError as refused:
            form.add_error("deadline", forms.ValidationError(refused.message))
        else:
            if result.opened:
                text = f"已为 {result.opened} 个单位开启{framework.year}年度填报，截止日期 {date_text(deadline)}。"
                messages.success(request, text)
            else:
                messages.info(request, f"{framework.year}年度所有启用的单位都已开启填报，没有新增。")
            return redirect(f"{reverse('assessments:progress_dashboard')}?year={framework.year}")
    framework = _framework_asked(request, frameworks)
    preview = opening_preview(framework) if framework else None
    if not form.is_bound and preview:
        form = YearOpenForm(
            initial={"framework": framework, "deadline": preview.suggested_deadline}, frameworks=frameworks
        )
    status = 400 if form.is_bound else 200
    return render(request, "assessments/year_open.html", {"form": form, "preview": preview}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def year_deadline_view(request, year: int):
    if not can_open_returns(request.user):
        raise PermissionDenied
    deadlines = year_deadlines(year)
    form = YearDeadlineForm(
        request.POST if request.method == "POST" else None, initial={"deadline": deadlines[0][0] if deadlines else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            change = year_deadline_change(year=year, user=request.user, **form.cleaned_data)
        except ReturnActionError as refused:
            form.add_error(None, forms.ValidationError(refused.message))
        else:
            new = date_text(form.cleaned_data["deadline"])
            text = f"已将 {change.changed} 份尚未提交的{year}年度填报的截止日期调整为 {new}。"
            if change.extensions_ended:
                text += f"其中 {change.extensions_ended} 份原有的延期已不晚于新截止日期，已取消。"
            messages.success(request, text)
            return redirect(f"{reverse('assessments:progress_dashboard')}?year={year}")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "year": year, "deadlines": deadlines}
    return render(request, "assessments/year_deadline.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def historical_years_view(request):
    """The 历史数据年度 page: the past years opened so far; POST (year, source) prepares a new one."""
    if not can_open_returns(request.user):
        raise PermissionDenied
    sources = historical_sources()
    if request.method == "POST":
        form = HistoricalYearForm(request.POST, sources=sources)
    else:
        form = HistoricalYearForm(initial={"source": sources.first()}, sources=sources)
    if request.method == "POST" and form.is_valid():
        year, source = form.cleaned_data["year"], form.cleaned_data["source"]
        try:
            historical_year_prepare(year=year, source=source, user=request.user)
        except ReturnActionError as refused:
            form.add_error("year", forms.ValidationError(refused.message))
        else:
            messages.success(request, f"已按“{source}”建立{year}年度历史数据指标体系（草稿）。可先调整，再发布并开启。")
            return redirect("assessments:historical_years")
    return _historical_page(request, form, status=400 if form.is_bound else 200)


@login_required
@require_POST
def historical_year_open_view(request, pk: int):
    """Publish a historical edition (if still a draft) and open its year, without a deadline."""
    if not can_open_returns(request.user):
        raise PermissionDenied
    framework = get_object_or_404(IndicatorFramework, pk=pk, is_historical=True)
    try:
        result = historical_year_open(framework=framework, user=request.user)
    except ReturnActionError as refused:
        form = HistoricalYearForm(initial={"source": historical_sources().first()}, sources=historical_sources())
        return _historical_page(request, form, open_error=(framework.pk, refused.message), status=400)
    if result.opened:
        text = f"已为 {result.opened} 个单位开启{framework.year}年度历史数据补录（无截止日期）。"
        messages.success(request, text + "请下载批量导入表，导入各单位数据。")
    else:
        messages.info(request, f"{framework.year}年度所有启用的单位都已开启，没有新增。")
    return redirect(f"{reverse('assessments:bulk_import')}?year={framework.year}")


def _historical_page(request, form, *, open_error=None, status=200):
    context = {"form": form, "years": historical_years(), "open_error": open_error}
    return render(request, "assessments/historical_years.html", context, status=status)
