"""Editing the survey report's generated sections (调研报告正文): 一、二、三 are drafted from the data,
congress staff overwrite the wording before the report is final."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reports.kinds.congress_survey import congress_survey_data, draft_text

from ..forms import ReportSectionTextForm
from ..selectors.report_text import section_text_states
from ..services.report_text import report_section_text_reset, report_section_text_save
from .common import apply_errors, congress_year_for, flash_errors


def _state(congress_year, section: str):
    state = next((s for s in section_text_states(congress_year=congress_year) if s.section == section), None)
    if state is None:
        raise Http404("调研报告没有这一部分。")
    return state


@login_required
def report_text_edit(request, year: int, section: str):
    congress_year = congress_year_for(request, year, manage=True)
    state = _state(congress_year, section)
    draft = draft_text(congress_survey_data(year=year), section)
    initial = {"text": state.text if state.is_edited else draft, "version": state.version}
    form = ReportSectionTextForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            report_section_text_save(
                congress_year=congress_year, section=section, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"已保存“{state.label}”，调研报告将使用修改后的文字。")
            return redirect("congress:report_text_edit", year=year, section=section)
    context = {"congress_year": congress_year, "state": state, "form": form, "draft": draft}
    return render(request, "congress/report_text_edit.html", context)


@login_required
@require_POST
def report_text_reset(request, year: int, section: str):
    congress_year = congress_year_for(request, year, manage=True)
    state = _state(congress_year, section)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # refused below as a stale page
    try:
        report_section_text_reset(congress_year=congress_year, section=section, version=version, user=request.user)
        messages.success(request, f"“{state.label}”已恢复为系统生成稿。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:report_text_edit", year=year, section=section)
