"""Excel fill pages: the department's own workbook and the bureau's wide import. Each upload is
checked in full and shown as a diff (原值 → 新值); only the confirmation writes, all or nothing."""

import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from files.responses import xlsx_response
from spreadsheets.xlsx_safety import MAX_UPLOAD_BYTES, read_upload
from spreadsheets.zip_safety import UnsafeFile

from ..excel import bulk, department
from ..excel.common import preview_token, read_preview_token
from ..models import AnnualReturn
from ..permissions import annual_return_get_for_user, can_edit_return, is_own_department_staff
from ..services.errors import ReturnActionError
from ..services.excel_import import bulk_import_apply, department_import_apply


class ExcelUploadForm(forms.Form):
    file = forms.FileField(
        label="填好的 Excel 文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _department_return(request, pk: int, *, to_change: bool) -> AnnualReturn:
    annual_return = annual_return_get_for_user(request.user, pk)
    allowed = can_edit_return if to_change else is_own_department_staff
    if not allowed(request.user, annual_return):
        raise PermissionDenied
    return annual_return


def _fill_page(request, annual_return, *, form=None, preview=None, refusal="", status=200):
    context = {
        "annual_return": annual_return,
        "form": form or ExcelUploadForm(),
        "preview": preview,
        "refusal": refusal,
        "can_change": can_edit_return(request.user, annual_return),
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "assessments/xlsx_fill.html", context, status=status)


@login_required
@require_safe
def excel_fill(request, pk: int):
    return _fill_page(request, _department_return(request, pk, to_change=False))


@login_required
@require_safe
def excel_template(request, pk: int):
    annual_return = _department_return(request, pk, to_change=False)
    return xlsx_response(department.department_template(annual_return), department.template_filename(annual_return))


@login_required
@require_POST
def excel_upload(request, pk: int):
    annual_return = _department_return(request, pk, to_change=True)
    form = ExcelUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _fill_page(request, annual_return, form=form, status=400)
    started = time.monotonic()
    try:
        preview = department.department_preview(annual_return, read_upload(form.cleaned_data["file"]))
    except UnsafeFile as refused:
        return _fill_page(request, annual_return, form=form, refusal=refused.message, status=400)
    if not preview.is_valid:
        return _fill_page(request, annual_return, form=form, preview=preview, status=400)
    context = {
        "annual_return": annual_return,
        "preview": preview,
        "token": preview_token(preview.changes, user_id=request.user.pk, scope=f"return:{annual_return.pk}"),
        "apply_url_name": "assessments:excel_apply",
        "seconds": time.monotonic() - started,
    }
    return render(request, "assessments/xlsx_preview.html", context)


@login_required
@require_POST
def excel_apply(request, pk: int):
    annual_return = _department_return(request, pk, to_change=True)
    try:
        changes = read_preview_token(
            request.POST.get("token", ""), user_id=request.user.pk, scope=f"return:{annual_return.pk}"
        )
        result = department_import_apply(annual_return=annual_return, changes=changes, user=request.user)
    except ValueError as refused:
        return _fill_page(request, annual_return, refusal=str(refused), status=400)
    except ReturnActionError as refused:
        return _fill_page(request, annual_return, refusal=refused.message, status=409)
    messages.success(request, f"已从 Excel 导入 {result.values} 项指标的数据。")
    return redirect("assessments:return_edit", pk=annual_return.pk)


# --- The bureau's wide import -------------------------------------------------------------------


def _bulk_user(request):
    if not bulk.can_bulk_import(request.user):
        raise PermissionDenied


def _year(request) -> int:
    text = request.POST.get("year") or request.GET.get("year") or ""
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    latest = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year - 1


def _bulk_page(request, year, *, form=None, preview=None, refusal="", status=200):
    years = list(AnnualReturn.objects.order_by("-year").values_list("year", flat=True).distinct())
    context = {
        "year": year,
        "years": years,
        "form": form or ExcelUploadForm(),
        "preview": preview,
        "refusal": refusal,
        "count": bulk.importable_returns(request.user, year).count(),
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    return render(request, "assessments/xlsx_bulk.html", context, status=status)


@login_required
def bulk_import(request):
    _bulk_user(request)
    return _bulk_page(request, _year(request))


@login_required
def bulk_import_template(request):
    _bulk_user(request)
    year = _year(request)
    return xlsx_response(bulk.bulk_template(request.user, year), f"{year}年度指标批量导入表.xlsx")


@login_required
@require_POST
def bulk_import_upload(request):
    _bulk_user(request)
    year = _year(request)
    form = ExcelUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _bulk_page(request, year, form=form, status=400)
    started = time.monotonic()
    try:
        preview = bulk.bulk_preview(request.user, year, read_upload(form.cleaned_data["file"]))
    except UnsafeFile as refused:
        return _bulk_page(request, year, form=form, refusal=refused.message, status=400)
    if not preview.is_valid:
        return _bulk_page(request, year, form=form, preview=preview, status=400)
    context = {
        "year": year,
        "preview": preview,
        "by_department": bulk.changes_by_department(preview.changes),
        "token": preview_token(preview.changes, user_id=request.user.pk, scope=f"bulk:{year}"),
        "seconds": time.monotonic() - started,
    }
    return render(request, "assessments/xlsx_preview.html", context)


@login_required
@require_POST
def bulk_import_apply_view(request):
    _bulk_user(request)
    year = _year(request)
    try:
        changes = read_preview_token(request.POST.get("token", ""), user_id=request.user.pk, scope=f"bulk:{year}")
        result = bulk_import_apply(year=year, changes=changes, user=request.user)
    except ValueError as refused:
        return _bulk_page(request, year, refusal=str(refused), status=400)
    except ReturnActionError as refused:
        return _bulk_page(request, year, refusal=refused.message, status=409)
    messages.success(request, f"已导入 {result.returns} 个单位共 {result.values} 项指标的数据。")
    return redirect(f"{reverse('assessments:bulk_import')}?year={year}")
