from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from files.responses import xlsx_response

from ..charts import results_charts
from ..forms import QuestionForm, RespondentGroupForm, SurveyForm
from ..models import Question, RespondentGroup, Survey
from ..permissions import can_manage_congress
from ..selectors.survey_results import survey_results
from ..services import surveys as services
from ..survey_export import results_workbook
from .common import apply_errors, congress_year_for, flash_errors, manageable, readable


@login_required
def survey_create(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    form = SurveyForm(request.POST or None, initial={"title": f"{year}年度法治政府建设社情民意调查"})
    if form.is_valid():
        try:
            survey = services.survey_create(congress_year=congress_year, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:survey_detail", pk=survey.pk)
    context = {"form": form, "title": f"新建{year}年度问卷调查", "congress_year": congress_year}
    return render(request, "congress/form_page.html", context)


@login_required
def survey_update(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    initial = {f: getattr(survey, f) for f in ("title", "method", "started_on", "ended_on")}
    form = SurveyForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.survey_update(survey=survey, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:survey_detail", pk=survey.pk)
    context = {"form": form, "title": "修改问卷调查", "congress_year": survey.congress_year, "survey": survey}
    return render(request, "congress/form_page.html", context)


@login_required
@require_safe
def survey_detail(request, pk: int):
    survey = readable(request, Survey.objects.select_related("congress_year"), pk=pk)
    groups = survey.groups.annotate(
        returned=Count("responses"), valid=Count("responses", filter=Q(responses__is_valid=True))
    ).select_related("tally")
    context = {
        "survey": survey,
        "congress_year": survey.congress_year,
        "groups": groups,
        "questions": survey.questions.prefetch_related("options"),
        "group_form": RespondentGroupForm(),
        "can_manage": can_manage_congress(request.user),
    }
    return render(request, "congress/survey_detail.html", context)


@login_required
def group_create(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    form = RespondentGroupForm(request.POST or None)
    if form.is_valid():
        try:
            services.respondent_group_create(survey=survey, name=form.cleaned_data["name"], user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:survey_detail", pk=survey.pk)
    context = {"form": form, "title": "添加调查对象类别", "congress_year": survey.congress_year, "survey": survey}
    return render(request, "congress/form_page.html", context)


@login_required
@require_POST
def group_delete(request, pk: int):
    group = manageable(request, RespondentGroup, pk=pk)
    try:
        services.respondent_group_delete(group=group, user=request.user)
        messages.success(request, f"已删除调查对象类别“{group.name}”。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:survey_detail", pk=group.survey_id)


@login_required
def question_create(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    next_number = (survey.questions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    form = QuestionForm(request.POST or None, initial={"number": next_number, "kind": Question.Kind.SINGLE})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_create(
                survey=survey,
                number=data["number"],
                text=data["text"],
                kind=data["kind"],
                options=form.option_specs,
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:survey_detail", pk=survey.pk)
    context = {"form": form, "title": "添加问题", "congress_year": survey.congress_year, "survey": survey}
    return render(request, "congress/form_page.html", context)


@login_required
def question_update(request, pk: int):
    question = manageable(request, Question.objects.select_related("survey__congress_year"), pk=pk)
    initial = QuestionForm.initial_for(question)
    form = QuestionForm(request.POST or None, initial=initial, is_update=True)
    if form.is_valid():
        try:
            services.question_update(
                question=question, text=form.cleaned_data["text"], options=form.option_specs, user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:survey_detail", pk=question.survey_id)
    survey = question.survey
    context = {
        "form": form,
        "title": f"修改第{question.number}题",
        "congress_year": survey.congress_year,
        "survey": survey,
    }
    return render(request, "congress/form_page.html", context)


@login_required
@require_POST
def question_delete(request, pk: int):
    question = manageable(request, Question, pk=pk)
    try:
        services.question_delete(question=question, user=request.user)
        messages.success(request, f"已删除第{question.number}题。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:survey_detail", pk=question.survey_id)


@login_required
@require_safe
def results(request, pk: int):
    survey = readable(request, Survey.objects.select_related("congress_year"), pk=pk)
    data = survey_results(survey=survey)
    context = {"survey": survey, "congress_year": survey.congress_year, "results": data, "charts": results_charts(data)}
    return render(request, "congress/survey_results.html", context)


@login_required
@require_safe
def results_export(request, pk: int):
    survey = readable(request, Survey.objects.select_related("congress_year"), pk=pk)
    content = results_workbook(survey_results(survey=survey))
    return xlsx_response(content, f"survey-results-{survey.congress_year.year}.xlsx")
