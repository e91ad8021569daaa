from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from files.responses import xlsx_response
from spreadsheets.zip_safety import UnsafeFile

from ..forms import GroupTallyForm, ResponseForm, ResponseImportForm
from ..models import Answer, GroupTally, RespondentGroup, Response, Survey
from ..permissions import can_manage_congress
from ..services import surveys as services
from ..services.imports import responses_import
from ..survey_import import import_template
from .common import apply_errors, manageable, readable

RESPONSES_PER_PAGE = 50


@login_required
@require_safe
def response_list(request, pk: int):
    survey = readable(request, Survey.objects.select_related("congress_year"), pk=pk)
    responses = survey.responses.select_related("group", "created_by").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("option", "question").order_by("question__number"))
    )
    group_id = request.GET.get("group", "")
    if group_id.isdigit():
        responses = responses.filter(group_id=int(group_id))
    page = Paginator(responses.order_by("-id"), RESPONSES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "survey": survey,
        "congress_year": survey.congress_year,
        "page": page,
        "groups": survey.groups.all(),
        "group_id": group_id,
        "counts": survey.responses.aggregate(total=Count("id"), valid=Count("id", filter=Q(is_valid=True))),
        "can_manage": can_manage_congress(request.user),
    }
    return render(request, "congress/response_list.html", context)


@login_required
def response_create(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    form = ResponseForm(request.POST or None, survey=survey)
    if form.is_valid():
        choices, texts = form.answers()
        data = services.ResponseInput(
            group=form.cleaned_data["group"],
            reference=form.cleaned_data["reference"],
            is_valid=form.cleaned_data["valid"],
            choices=choices,
            texts=texts,
        )
        try:
            services.response_create(survey=survey, data=data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "已保存一份问卷，可以继续录入下一份。")
            return redirect("congress:response_create", pk=survey.pk)
    context = {"survey": survey, "congress_year": survey.congress_year, "form": form}
    return render(request, "congress/response_form.html", context)


@login_required
@require_POST
def response_validity(request, pk: int):
    response = manageable(request, Response, pk=pk)
    services.response_set_validity(response=response, is_valid=not response.is_valid, user=request.user)
    return redirect("congress:response_list", pk=response.survey_id)


@login_required
@require_POST
def response_delete(request, pk: int):
    response = manageable(request, Response, pk=pk)
    services.response_delete(response=response, user=request.user)
    messages.success(request, "已删除该问卷。")
    return redirect("congress:response_list", pk=response.survey_id)


@login_required
def response_import(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    form = ResponseImportForm(request.POST or None, request.FILES or None)
    result = None
    if form.is_valid():
        try:
            result = responses_import(survey=survey, uploaded=form.cleaned_data["file"], user=request.user)
        except UnsafeFile as error:
            form.add_error("file", str(error))
        else:
            if result.is_valid:
                messages.success(request, f"已导入 {len(result.inputs)} 份问卷。")
                return redirect("congress:response_list", pk=survey.pk)
    context = {"survey": survey, "congress_year": survey.congress_year, "form": form, "result": result}
    # A refused file or a file with row errors is a bad request: nothing was stored.
    status = 400 if request.method == "POST" else 200
    return render(request, "congress/response_import.html", context, status=status)


@login_required
@require_safe
def response_template(request, pk: int):
    survey = manageable(request, Survey.objects.select_related("congress_year"), pk=pk)
    return xlsx_response(import_template(survey=survey), f"survey-import-template-{survey.congress_year.year}.xlsx")


@login_required
def tally_edit(request, pk: int):
    group = manageable(request, RespondentGroup.objects.select_related("survey__congress_year"), pk=pk)
    survey = group.survey
    tally = GroupTally.objects.filter(group=group).first()
    initial = {}
    if tally:
        initial = {"returned_count": tally.returned_count, "valid_count": tally.valid_count, "note": tally.note}
        initial.update({f"o{c.option_id}": c.count for c in tally.counts.all()})
    form = GroupTallyForm(request.POST or None, survey=survey, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.group_tally_save(
                group=group,
                returned_count=data["returned_count"],
                valid_count=data["valid_count"],
                counts=form.counts(),
                note=data["note"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存“{group.name}”的汇总数据。")
            return redirect("congress:survey_detail", pk=survey.pk)
    context = {"survey": survey, "congress_year": survey.congress_year, "group": group, "form": form, "tally": tally}
    return render(request, "congress/tally_form.html", context)


@login_required
@require_POST
def tally_delete(request, pk: int):
    group = manageable(request, RespondentGroup, pk=pk)
    services.group_tally_delete(group=group, user=request.user)
    messages.success(request, f"已清除“{group.name}”的汇总数据。")
    return redirect("congress:survey_detail", pk=group.survey_id)
