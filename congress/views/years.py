from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department

from ..forms import CongressYearForm, CongressYearTitleForm
from ..models import CongressYear, Survey
from ..permissions import can_manage_congress
from ..selectors.followup import followup_totals, opinions_with_assignments
from ..selectors.survey_results import survey_results
from ..services.years import congress_year_create, congress_year_finalise, congress_year_reopen, congress_year_update
from .common import apply_errors, congress_year_for, flash_errors, require_manage, require_read


@login_required
@require_safe
def index(request):
    require_read(request.user)
    years = CongressYear.objects.annotate(
        opinion_count=Count("opinions", distinct=True),
        activity_count=Count("activities", distinct=True),
        response_count=Count("survey__responses", distinct=True),
    ).select_related("survey")
    return render(request, "congress/index.html", {"years": years, "can_manage": can_manage_congress(request.user)})


@login_required
def year_create(request):
    require_manage(request.user)
    form = CongressYearForm(request.POST or None)
    if form.is_valid():
        try:
            congress_year = congress_year_create(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:year_detail", year=congress_year.year)
    return render(request, "congress/form_page.html", {"form": form, "title": "新建人大监督年度"})


@login_required
def year_update(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    form = CongressYearTitleForm(request.POST or None, initial={"title": congress_year.title})
    if form.is_valid():
        congress_year_update(congress_year=congress_year, title=form.cleaned_data["title"], user=request.user)
        return redirect("congress:year_detail", year=year)
    return render(
        request,
        "congress/form_page.html",
        {"form": form, "title": f"{year}年度调研主题", "congress_year": congress_year},
    )


@login_required
@require_safe
def year_detail(request, year: int):
    congress_year = congress_year_for(request, year)
    survey = Survey.objects.filter(congress_year=congress_year).first()
    opinions = list(opinions_with_assignments(congress_year=congress_year))
    activities = congress_year.activities.prefetch_related(
        Prefetch("departments", queryset=Department.objects.order_by("sort_order", "code"))
    )
    return render(
        request,
        "congress/year_detail.html",
        {
            "congress_year": congress_year,
            "survey": survey,
            "results": survey_results(survey=survey) if survey else None,
            "totals": followup_totals(opinions=opinions, today=timezone.localdate()),
            "activities": activities,
            "recommendations": congress_year.recommendations.order_by("position", "id"),
            "can_manage": can_manage_congress(request.user),
        },
    )


@login_required
@require_POST
def year_finalise(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    try:
        congress_year_finalise(congress_year=congress_year, user=request.user)
        messages.success(request, f"{year}年度调研报告已定稿，报告正文和意见建议不再能修改。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:year_detail", year=year)


@login_required
@require_POST
def year_reopen(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    congress_year_reopen(congress_year=congress_year, user=request.user)
    messages.success(request, f"已取消{year}年度调研报告定稿，报告正文和意见建议可以修改。")
    return redirect("congress:year_detail", year=year)
