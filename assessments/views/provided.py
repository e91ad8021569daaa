"""The 数据提供单位's pages: its grid (edit in place, autosave, paste, conflicts), the workbook round
trip, the 提交, and its answers to disputes; and the unit's side: raising a dispute.

The grid saves through one JSON endpoint taking a list of cells (one cell typed, or a pasted block),
answering each cell's outcome; everything else is ordinary forms."""

import json
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from files.responses import stored_file_response, xlsx_response
from spreadsheets.xlsx_safety import MAX_UPLOAD_BYTES, read_upload
from spreadsheets.zip_safety import UnsafeFile

from ..excel.bulk import changes_by_department
from ..excel.common import preview_token, read_preview_token
from ..excel.provided import provided_preview, provided_template
from ..models import ProvidedValue, ProvidedValueDispute
from ..permissions import annual_return_get_for_user, is_own_department_staff
from ..selectors.provided import provider_grid, provider_years
from ..services.errors import ReturnActionError
from ..services.provided import (
    ProvidedInput,
    ProvisionRefused,
    can_provide,
    provided_import_apply,
    provided_value_dispute_answer,
    provided_value_dispute_raise,
    provided_values_save,
    provider_submission_submit,
)
from ..values import display_raw
from .excel import ExcelUploadForm

MAX_CELLS_PER_SAVE = 5000  # a pasted block: 300 units × a dozen columns fits with room to spare


def _provider(request):
    if not can_provide(request.user):
        raise PermissionDenied
    return request.user.department


def _year(request, provider, years: list[int] | None = None) -> int:
    years = provider_years(provider) if years is None else years
    text = request.POST.get("year") or request.GET.get("year") or ""
    if text.isdigit() and int(text) in years:
        return int(text)
    if not years:
        raise Http404("没有需要本单位提供数据的年度。")
    return years[0]


def _grid_page(request, provider, year, *, years=None, form=None, preview=None, refusal="", status=200):
    grid = provider_grid(provider, year)
    context = {
        "grid": grid,
        "year": year,
        "years": provider_years(provider) if years is None else years,
        "deadline": grid.deadline,
        "form": form or ExcelUploadForm(),
        "preview": preview,
        "refusal": refusal,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        "disputes": ProvidedValueDispute.objects.filter(
            provided_value__provider=provider, provided_value__annual_return__year=year
        )
        .select_related("provided_value__annual_return__department", "provided_value__indicator", "raised_by")
        .order_by("status", "-raised_at")[:100],
    }
    return render(request, "assessments/provided_grid.html", context, status=status)


@login_required
@require_safe
def provided_grid(request):
    provider = _provider(request)
    years = provider_years(provider)
    return _grid_page(request, provider, _year(request, provider, years), years=years)


def _cells(request) -> list[ProvidedInput]:
    try:
        # The grid posts JSON; a plain form may post the same list as a `cells` field.
        if "cells" in request.POST:
            cells = json.loads(request.POST["cells"])
        else:
            cells = json.loads(request.body or b"{}")["cells"]
        inputs = [
            ProvidedInput(
                return_id=int(cell["r"]),
                indicator_id=int(cell["i"]),
                part=str(cell["p"]),
                text=str(cell.get("t", ""))[:2000],
                expected_version=int(cell["v"]),
            )
            for cell in cells
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise Http404 from error
    if not inputs or len(inputs) > MAX_CELLS_PER_SAVE:
        raise Http404
    return inputs


@login_required
@require_POST
def provided_save(request):
    """One cell or a pasted block: each cell's outcome (saved, conflict with the stored text, error)."""
    provider = _provider(request)
    inputs = _cells(request)
    try:
        outcomes = provided_values_save(provider=provider, inputs=inputs, user=request.user)
    except ProvisionRefused as refused:
        return JsonResponse({"error": refused.message}, status=403)
    results = [
        {
            "r": outcome.submitted.return_id,
            "i": outcome.submitted.indicator_id,
            "p": outcome.submitted.part,
            "v": outcome.value.version if outcome.value is not None and outcome.value.pk else 0,
            "ok": not outcome.is_conflict and not outcome.refused,
            "conflict": outcome.is_conflict,
            "theirs": outcome.theirs if outcome.is_conflict else "",
            "by": str(outcome.value.updated_by or "") if outcome.is_conflict and outcome.value else "",
            "error": outcome.error,
        }
        for outcome in outcomes
    ]
    status = 409 if any(result["conflict"] for result in results) else 200
    return JsonResponse({"cells": results}, status=status)


@login_required
@require_safe
def provided_xlsx_template(request):
    provider = _provider(request)
    year = _year(request, provider)
    return xlsx_response(provided_template(provider, year), f"{year}年度{provider.display_name}提供数据.xlsx")


@login_required
@require_POST
def provided_xlsx_upload(request):
    provider = _provider(request)
    year = _year(request, provider)
    form = ExcelUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _grid_page(request, provider, year, form=form, status=400)
    started = time.monotonic()
    try:
        preview = provided_preview(provider, year, read_upload(form.cleaned_data["file"]))
    except UnsafeFile as refused:
        return _grid_page(request, provider, year, form=form, refusal=refused.message, status=400)
    if not preview.is_valid:
        return _grid_page(request, provider, year, form=form, preview=preview, status=400)
    context = {
        "year": year,
        "preview": preview,
        "by_department": changes_by_department(preview.changes),
        "token": preview_token(preview.changes, user_id=request.user.pk, scope=f"provided:{provider.pk}:{year}"),
        "seconds": time.monotonic() - started,
        "apply_url": reverse("assessments:provided_xlsx_apply"),
        "back_url": f"{reverse('assessments:provided_grid')}?year={year}",
    }
    return render(request, "assessments/xlsx_preview.html", context)


@login_required
@require_POST
def provided_xlsx_apply(request):
    provider = _provider(request)
    year = _year(request, provider)
    try:
        changes = read_preview_token(
            request.POST.get("token", ""), user_id=request.user.pk, scope=f"provided:{provider.pk}:{year}"
        )
        changed = provided_import_apply(provider=provider, changes=changes, user=request.user)
    except ValueError as refused:
        return _grid_page(request, provider, year, refusal=str(refused), status=400)
    except ReturnActionError as refused:
        return _grid_page(request, provider, year, refusal=refused.message, status=409)
    messages.success(request, f"已从 Excel 导入 {changed} 项提供数据。")
    return redirect(f"{reverse('assessments:provided_grid')}?year={year}")


@login_required
@require_POST
def provided_submit(request):
    provider = _provider(request)
    year = _year(request, provider)
    provider_submission_submit(provider=provider, year=year, user=request.user)
    messages.success(request, f"已提交{year}年度提供数据。提交后如需更正，仍可修改，修改会留有记录。")
    return redirect(f"{reverse('assessments:provided_grid')}?year={year}")


class DisputeAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理", choices=(("keep", "维持原数"), ("correct", "更正数据")), widget=forms.RadioSelect
    )
    answer = forms.CharField(label="答复意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    value = forms.CharField(label="更正后的数", required=False, max_length=200)
    numerator = forms.CharField(label="更正后的分子", required=False, max_length=200)
    denominator = forms.CharField(label="更正后的分母", required=False, max_length=200)


def _provider_dispute(request, pk: int) -> ProvidedValueDispute:
    provider = _provider(request)
    return get_object_or_404(
        ProvidedValueDispute.objects.select_related(
            "provided_value__indicator",
            "provided_value__provider",
            "provided_value__annual_return__department",
            "raised_by",
            "evidence",
        ),
        pk=pk,
        provided_value__provider=provider,
    )


@login_required
@require_http_methods(["GET", "POST"])
def provided_dispute_answer(request, pk: int):
    """The provider's answer: keep the figure, or correct it (saved as any grid change)."""
    dispute = _provider_dispute(request, pk)
    value = dispute.provided_value
    form = DisputeAnswerForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        corrected = None
        if form.cleaned_data["decision"] == "correct":
            corrected = {part: form.cleaned_data.get(part, "") for part in value.indicator.provided_parts}
        try:
            provided_value_dispute_answer(
                dispute=dispute,
                provider=request.user.department,
                answer=form.cleaned_data["answer"],
                corrected=corrected,
                user=request.user,
            )
        except ReturnActionError as refused:
            refusal = refused.message
        else:
            messages.success(request, "已答复异议。")
            return redirect(f"{reverse('assessments:provided_grid')}?year={value.annual_return.year}#disputes")
    context = {
        "dispute": dispute,
        "value": value,
        "value_text": display_raw(value.indicator.value_type, value.raw_input),
        "form": form,
        "refusal": refusal,
        "is_provider": True,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/provided_dispute.html", context, status=status)


@login_required
@require_safe
def provided_dispute_evidence(request, pk: int):
    """The file a unit attached to its dispute, for the provider that answers it."""
    dispute = _provider_dispute(request, pk)
    if dispute.evidence is None:
        raise Http404
    evidence = dispute.evidence
    return stored_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


class DisputeForm(forms.Form):
    reason = forms.CharField(label="异议理由", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    file = forms.FileField(label="佐证材料（可选）", required=False)


@login_required
@require_http_methods(["GET", "POST"])
def provided_dispute_raise(request, pk: int, indicator_pk: int):
    """The unit disputes a provided figure of its own return; its earlier disputes are listed."""
    annual_return = annual_return_get_for_user(request.user, pk)
    if not is_own_department_staff(request.user, annual_return):
        raise PermissionDenied
    value = get_object_or_404(
        ProvidedValue.objects.select_related("indicator", "provider", "annual_return__department"),
        annual_return=annual_return,
        indicator_id=indicator_pk,
    )
    form = DisputeForm(request.POST or None, request.FILES or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            provided_value_dispute_raise(
                value=value,
                reason=form.cleaned_data["reason"],
                user=request.user,
                uploaded_file=form.cleaned_data["file"],
            )
        except ReturnActionError as refused:
            refusal = refused.message
        else:
            messages.success(request, f"已对“{value.indicator.name}”提出异议，等待{value.provider.display_name}答复。")
            return redirect(reverse("assessments:return_detail", args=[annual_return.pk]) + f"#ind-{indicator_pk}")
    context = {
        "annual_return": annual_return,
        "value": value,
        "value_text": display_raw(value.indicator.value_type, value.raw_input),
        "form": form,
        "refusal": refusal,
        "history": value.disputes.select_related("raised_by", "answered_by").order_by("-raised_at"),
        "open_dispute": value.disputes.filter(status=ProvidedValueDispute.Status.OPEN).first(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "assessments/provided_dispute.html", context, status=status)
