"""报告稿: the page where an office sets a report's 成文日期, 发文字号 and 附件说明, and rewrites the
sections the data drafted (government report, results notice) before generating and 定稿.

The scope is in the URL: kind, year and the unit (0 for a jurisdiction-wide report). A scope the
user may not see answers 404, as a run would.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Department
from accounts.permissions import department_get_for_user
from accounts.requests import AuthenticatedHttpRequest

from . import permissions, selectors
from .document import ReportDocument, Section
from .draft_services import report_draft_save, report_draft_section_reset, report_draft_section_save
from .drafts import apply_draft, section_key, section_text
from .forms import DraftSectionForm, ReportDraftForm, ReportRequestForm
from .kinds import BuildRequest, ReportDataMissing, build_generated_document, is_section_editable, spec_for
from .models import ReportDraftSection, ReportKind
from .naming import report_title


@dataclass(frozen=True)
class Scope:
    kind: str
    year: int
    department: Department | None
    scope_id: int

    @property
    def url_args(self) -> tuple[str, int, int]:
        return (self.kind, self.year, self.scope_id)

    @property
    def request(self) -> BuildRequest:
        return BuildRequest(kind=self.kind, year=self.year, department=self.department, options={})


def _scope(request: AuthenticatedHttpRequest, kind: str, year: int, scope_id: int) -> Scope:
    if kind not in ReportKind.values:
        raise Http404("没有这种报告。")
    department = department_get_for_user(request.user, scope_id) if scope_id else None
    if not permissions.can_edit_draft(request.user, kind=kind, department=department):
        raise Http404("没有这份报告。")
    return Scope(kind, year, department, scope_id)


def _apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _documents(scope: Scope) -> tuple[ReportDocument, ReportDocument]:
    """(the data's draft, the document as it goes out) or None when the data is not there yet."""
    generated = build_generated_document(scope.request)
    edits = selectors.draft_edits_for(kind=scope.kind, year=scope.year, department=scope.department)
    return generated, apply_draft(generated, edits)


def _common(scope: Scope) -> dict[str, Any]:
    return {
        "scope": scope,
        "title": report_title(kind=scope.kind, year=scope.year, department=scope.department),
        "is_final": selectors.is_scope_final(kind=scope.kind, year=scope.year, department=scope.department),
        "preview_query": f"kind={scope.kind}&year={scope.year}"
        + (f"&department={scope.department.pk}" if scope.department else ""),
    }


@login_required
@require_GET
def draft_open(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The 报告稿 of the kind, year and unit chosen on the reports page."""
    form = ReportRequestForm(request.GET)
    if not form.is_valid():
        messages.error(request, "请选择报告类型、年度和单位后再打开报告稿。")
        return redirect("reports:index")
    data = form.cleaned_data
    return redirect("reports:draft_edit", data["kind"], data["year"], data["department"] or 0)


@login_required
def draft_edit(request: AuthenticatedHttpRequest, kind: str, year: int, scope_id: int) -> HttpResponseBase:
    scope = _scope(request, kind, year, scope_id)
    spec = spec_for(kind)
    context = _common(scope)
    try:
        generated, document = _documents(scope)
    except ReportDataMissing as missing:
        return render(request, "reports/draft_edit.html", {**context, "missing": str(missing)})
    draft = selectors.draft_of(kind=kind, year=year, department=scope.department)
    initial = {
        "signed_on": draft.signed_on if draft else None,
        "document_number": draft.document_number if draft else "",
        "attachment_note": draft.attachment_note if draft else "",
        "version": draft.version if draft else 0,
    }
    form = ReportDraftForm(
        request.POST or None,
        initial=initial,
        has_document_number=spec.has_document_number,
        has_attachments=bool(document.appendices),
    )
    for field in form.fields.values():
        field.disabled = context["is_final"]
    if form.is_valid() and not context["is_final"]:
        data = form.cleaned_data
        try:
            report_draft_save(
                kind=kind,
                year=year,
                department=scope.department,
                signed_on=data["signed_on"],
                document_number=data.get("document_number", ""),
                attachment_note=data.get("attachment_note", ""),
                version=data["version"],
                user=request.user,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已保存。重新生成报告后，新版本使用这些设置。")
            return redirect("reports:draft_edit", *scope.url_args)
    rows = selectors.draft_sections(draft)
    sections = [
        {
            "number": number,
            "heading": section.heading,
            "is_edited": bool(rows.get(section_key(section.heading)) and rows[section_key(section.heading)].is_edited),
        }
        for number, section in enumerate(generated.sections, start=1)
        if is_section_editable(kind, section_key(section.heading))
    ]
    context |= {
        "form": form,
        "document": document,
        "data_date": generated.date_text,
        "sections": sections if spec.has_editable_sections else [],
        "attachment_titles": [a.title for a in generated.appendices],
    }
    return render(request, "reports/draft_edit.html", context)


def _section(scope: Scope, number: int) -> tuple[Section, ReportDraftSection | None]:
    generated, _ = _documents(scope)
    if not 1 <= number <= len(generated.sections):
        raise Http404("报告没有这一部分。")
    section = generated.sections[number - 1]
    if not is_section_editable(scope.kind, section_key(section.heading)):
        raise Http404("报告的这一部分不在报告稿中修改。")
    draft = selectors.draft_of(kind=scope.kind, year=scope.year, department=scope.department)
    return section, selectors.draft_sections(draft).get(section_key(section.heading))


@login_required
def draft_section_edit(
    request: AuthenticatedHttpRequest, kind: str, year: int, scope_id: int, number: int
) -> HttpResponseBase:
    scope = _scope(request, kind, year, scope_id)
    try:
        section, row = _section(scope, number)
    except ReportDataMissing as missing:
        return render(request, "reports/draft_edit.html", {**_common(scope), "missing": str(missing)})
    draft_text = section_text(section)
    is_edited = row is not None and row.is_edited
    initial = {"text": row.text if row is not None and is_edited else draft_text, "version": row.version if row else 0}
    form = DraftSectionForm(request.POST or None, initial=initial)
    context = _common(scope)
    if form.is_valid() and not context["is_final"]:
        try:
            report_draft_section_save(
                kind=kind,
                year=year,
                department=scope.department,
                key=section_key(section.heading),
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已保存“{section.heading}”，报告将使用修改后的文字。")
            return redirect("reports:draft_section_edit", *scope.url_args, number)
    context |= {
        "form": form,
        "section": section,
        "number": number,
        "row": row,
        "is_edited": is_edited,
        "draft": draft_text,
    }
    return render(request, "reports/draft_section_edit.html", context)


@login_required
@require_POST
def draft_section_reset(
    request: AuthenticatedHttpRequest, kind: str, year: int, scope_id: int, number: int
) -> HttpResponseBase:
    scope = _scope(request, kind, year, scope_id)
    try:
        section, _ = _section(scope, number)
    except ReportDataMissing as missing:
        messages.error(request, str(missing))
        return redirect("reports:draft_edit", *scope.url_args)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1  # refused below as a stale page
    try:
        report_draft_section_reset(
            kind=kind,
            year=year,
            department=scope.department,
            key=section_key(section.heading),
            version=version,
            user=request.user,
        )
        messages.success(request, f"“{section.heading}”已恢复为系统生成稿。")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("reports:draft_section_edit", *scope.url_args, number)


def draft_url(*, kind: str, year: int, department: Department | None) -> str:
    return reverse("reports:draft_edit", args=[kind, year, department.pk if department else 0])
