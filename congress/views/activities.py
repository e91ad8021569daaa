from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..forms import ActivityForm, RecommendationForm
from ..models import Recommendation, SurveyActivity
from ..services import activities as services
from .common import apply_errors, congress_year_for, flash_errors, manageable


def _activity_form_page(request, congress_year, activity=None):
    form = ActivityForm(request.POST or None, instance=activity)
    if form.is_valid():
        try:
            services.activity_save(
                congress_year=congress_year, activity=activity, **form.cleaned_data, user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:year_detail", year=congress_year.year)
    title = "修改调研活动" if activity else "登记调研活动"
    return render(request, "congress/form_page.html", {"form": form, "title": title, "congress_year": congress_year})


@login_required
def activity_create(request, year: int):
    return _activity_form_page(request, congress_year_for(request, year, manage=True))


@login_required
def activity_update(request, pk: int):
    activity = manageable(request, SurveyActivity.objects.select_related("congress_year"), pk=pk)
    return _activity_form_page(request, activity.congress_year, activity)


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = manageable(request, SurveyActivity.objects.select_related("congress_year"), pk=pk)
    services.activity_delete(activity=activity, user=request.user)
    messages.success(request, f"已删除调研活动“{activity.subject}”。")
    return redirect("congress:year_detail", year=activity.congress_year.year)


@login_required
def recommendation_create(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    form = RecommendationForm(request.POST or None)
    if form.is_valid():
        try:
            services.recommendation_create(
                congress_year=congress_year,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:year_detail", year=year)
    context = {"form": form, "title": "添加意见建议", "congress_year": congress_year}
    return render(request, "congress/form_page.html", context)


@login_required
def recommendation_update(request, pk: int):
    recommendation = manageable(request, Recommendation.objects.select_related("congress_year"), pk=pk)
    initial = {"title": recommendation.title, "content": recommendation.content, "version": recommendation.version}
    form = RecommendationForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.recommendation_update(
                recommendation=recommendation,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                version=form.cleaned_data["version"] or 0,
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:year_detail", year=recommendation.congress_year.year)
    context = {
        "form": form,
        "title": f"修改意见建议（{recommendation.position}）",
        "congress_year": recommendation.congress_year,
    }
    return render(request, "congress/form_page.html", context)


@login_required
@require_POST
def recommendation_move(request, pk: int):
    recommendation = manageable(request, Recommendation.objects.select_related("congress_year"), pk=pk)
    try:
        services.recommendation_move(
            recommendation=recommendation, up=request.POST.get("direction") == "up", user=request.user
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:year_detail", year=recommendation.congress_year.year)


@login_required
@require_POST
def recommendation_delete(request, pk: int):
    recommendation = manageable(request, Recommendation.objects.select_related("congress_year"), pk=pk)
    try:
        services.recommendation_delete(recommendation=recommendation, user=request.user)
        messages.success(request, "已删除该意见建议。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:year_detail", year=recommendation.congress_year.year)
