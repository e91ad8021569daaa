import zipfile
from tempfile import SpooledTemporaryFile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Department, User
from accounts.permissions import department_get_for_user, departments_for_user
from accounts.requests import AuthenticatedHttpRequest
from audit.services import audit_read
from files.responses import file_response
from indicators.presenting import datetime_text

from . import permissions, selectors, services
from .draft_views import draft_url
from .forms import BatchRequestForm, HealthAcknowledgeForm, ReportRequestForm, RunFilterForm
from .kinds import BuildRequest, ReportDataMissing, build_document, spec_for
from .models import ReportBatch, ReportKind, ReportRun
from .naming import download_name, report_title
from .pdf import render_html

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REUSED_NOTE = "数据未变，沿用已生成的版本（未重新生成）"


def _department_or_none(user: User, department_id: int | None) -> Department | None:
    """The requested unit, 404 when the user may not see it."""
    return department_get_for_user(user, department_id) if department_id else None


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    filters = RunFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    runs = selectors.runs_list(
        user=request.user,
        kind=criteria.get("kind") or "",
        year=criteria.get("year"),
        department_id=criteria.get("department"),
    )
    departments = list(
        departments_for_user(request.user).filter(is_active=True, is_assessed=True).order_by("sort_order", "code")
    )
    unit_kinds = {department.kind for department in departments}
    kinds = [
        (kind, label)
        for kind, label in ReportKind.choices
        if (kind in permissions.DEPARTMENT_SCOPED and unit_kinds & set(permissions.DEPARTMENT_SCOPED[kind]))
        or kind in permissions.citywide_kinds_for_user(request.user)
    ]
    return render(
        request,
        "reports/index.html",
        {
            "runs": runs,
            "filters": filters,
            "request_form": ReportRequestForm(),
            "departments": departments,
            "kinds": kinds,
            "citywide_kinds": permissions.citywide_kinds_for_user(request.user),
            "can_request_batch": permissions.can_request_batch(request.user),
            "batch_form": BatchRequestForm(),
        },
    )


@login_required
@require_POST
def request_run(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择报告类型、年度和单位。")
        return redirect("reports:index")
    data = form.cleaned_data
    department = _department_or_none(request.user, data["department"])
    try:
        run = services.report_run_request(
            kind=data["kind"],
            year=data["year"],
            department=department,
            user=request.user,
            options={"has_cover": data["has_cover"]},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:index")
    if run.is_done:
        messages.success(request, f"报告已按当前数据生成（第{run.edition}版），正在下载。")
    else:
        messages.success(request, "已提交生成，完成后自动下载，也可在本页下载。")
    # The run page hands over the PDF once the run is done: at once when it was ready.
    return redirect(reverse("reports:run_detail", args=[run.pk]) + "?download=1")


def _run_page(
    request: AuthenticatedHttpRequest,
    run: ReportRun,
    *,
    form: HealthAcknowledgeForm | None = None,
    status: int = 200,
    auto_download: bool = False,
) -> HttpResponseBase:
    can_finalize = permissions.can_finalize_run(request.user, run)
    rows = selectors.health_rows(run)
    return render(
        request,
        "reports/run_detail.html",
        {
            "run": run,
            "title": report_title(kind=run.kind, year=run.year, department=run.department),
            "editions": selectors.editions_of(run),
            "summary": run_summary(run),
            "can_finalize": can_finalize,
            "draft_url": draft_url(kind=run.kind, year=run.year, department=run.department)
            if permissions.can_edit_draft(request.user, kind=run.kind, department=run.department)
            else "",
            "has_editable_sections": spec_for(run.kind).has_editable_sections,
            "can_retry": permissions.can_request_report(request.user, kind=run.kind, department=run.department),
            "health": [(row, health_link(run, row)) for row in rows],
            "health_open": sum(1 for row in rows if row.is_open),
            "can_acknowledge": can_finalize and not run.is_final,
            "form": form,
            "auto_download": auto_download,
        },
        status=status,
    )


def health_link(run: ReportRun, row: selectors.HealthRow) -> str:
    """Where to go to fix an item: the unit's return for its figures, the 填报进度 page for coverage,
    the draft's preview for dates and wording."""
    if row.kind_label == "覆盖范围":
        return reverse("assessments:progress_dashboard") + f"?year={run.year}"
    if run.department_id and run.kind == ReportKind.DEPARTMENT_ANNUAL and row.target:
        return_id = selectors.return_id_of(department_id=run.department_id, year=run.year)
        if return_id:
            return reverse("assessments:return_detail", args=[return_id])
    query = f"?kind={run.kind}&year={run.year}" + (f"&department={run.department_id}" if run.department_id else "")
    return reverse("reports:preview") + query


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    return _run_page(request, run, auto_download=request.GET.get("download") == "1")


@login_required
@require_POST
def run_health_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    if not permissions.can_finalize_run(request.user, run):
        raise PermissionDenied
    form = HealthAcknowledgeForm(request.POST)
    if not form.is_valid():
        return _run_page(request, run, form=form, status=422)
    try:
        services.report_run_acknowledge(
            run=run, key=form.cleaned_data["key"], reason=form.cleaned_data["reason"], user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            form.add_error("reason", message)
        return _run_page(request, run, form=form, status=422)
    messages.success(request, "已记录理由，该体检项不再阻止定稿。")
    return redirect(reverse("reports:run_detail", args=[run.pk]) + "#health")


def run_summary(run: ReportRun) -> str:
    if not run.is_done:
        return ""
    seconds = f" · 生成耗时 {run.render_seconds} 秒" if run.render_seconds is not None else ""
    return f"共 {run.page_count} 页{seconds}"  # the file's SHA-256 is under 文件校验值, on demand


def run_status_payload(run: ReportRun) -> dict[str, object]:
    """What the run page's script needs to bring the page up to date in place (reports-progress.js
    writes each string into the elements with the same data-field)."""
    finished_at = timezone.localtime(run.finished_at) if run.finished_at else None
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "progress": run.progress,
        "stage": run.stage,
        "error": run.error_message,
        "is_finished": not run.is_pending,
        "edition": run.edition,
        "edition_label": f"· 第{run.edition}版" if run.edition else "",
        "edition_number": f"第{run.edition}版" if run.edition else "—",
        "finished_at": datetime_text(finished_at) or "—",
        "summary": run_summary(run),
        "sha256": run.sha256 if run.is_done else "",
        "download_url": reverse("reports:run_download", args=[run.pk]) if run.is_done else "",
        "docx_url": reverse("reports:run_download_docx", args=[run.pk]) if run.is_done and run.docx_file else "",
    }


@login_required
@require_GET
def run_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    return JsonResponse(run_status_payload(run), headers={"Cache-Control": "no-store"})


def _download(
    request: AuthenticatedHttpRequest, pk: int, *, field: str, extension: str, content_type: str
) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    stored = getattr(run, field)
    if not run.is_done or not stored:
        raise Http404("报告尚未生成完成。")
    audit_read(request, run, run.department_id)  # a reviewer's or congress staff's copy of a unit's report
    return file_response(stored.open("rb"), filename=download_name(run, extension), content_type=content_type)


@login_required
@require_GET
def run_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, field="file", extension="pdf", content_type=PDF)


@login_required
@require_GET
def run_download_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, field="docx_file", extension="docx", content_type=DOCX)


@login_required
@require_POST
def run_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    if services.report_run_retry(run=run, user=request.user):
        messages.success(request, "已重新提交生成。")
    else:
        messages.info(request, "该报告不是失败状态，无需重试。")
    return redirect("reports:run_detail", pk=run.pk)


@login_required
@require_POST
def run_finalize(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    run = permissions.run_get_for_user(request.user, pk)
    try:
        services.report_run_mark_final(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "已定稿。定稿后不能再生成新版本。")
    return redirect("reports:run_detail", pk=run.pk)


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ReportRequestForm(request.GET)
    if not form.is_valid():
        messages.error(request, "请选择报告类型、年度和单位后再预览。")
        return redirect("reports:index")
    data = form.cleaned_data
    department = _department_or_none(request.user, data["department"])
    if not permissions.can_request_report(request.user, kind=data["kind"], department=department):
        raise PermissionDenied
    build = BuildRequest(
        kind=data["kind"], year=data["year"], department=department, options={"has_cover": data["has_cover"]}
    )
    try:
        document = build_document(build)
    except ReportDataMissing as missing:
        return render(request, "reports/preview_unavailable.html", {"reason": str(missing)})
    response = HttpResponse(render_html(spec_for(build.kind).template_name, {"document": document}))
    # The print layout sets column widths and signature indents in style="" attributes (computed by
    # the report builders, never from user text): only this page lets them apply (issue 18 §4).
    response["Content-Security-Policy"] = settings.REPORT_PREVIEW_CONTENT_SECURITY_POLICY
    return response


@login_required
@require_POST
def batch_request(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not permissions.can_request_batch(request.user):
        raise PermissionDenied
    form = BatchRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正确的年度。")
        return redirect("reports:index")
    try:
        batch = services.report_batch_request(year=form.cleaned_data["year"], user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:index")
    return redirect("reports:batch_detail", pk=batch.pk)


@login_required
@require_GET
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    batch = permissions.batch_get_for_user(request.user, pk)
    return render(
        request,
        "reports/batch_detail.html",
        {
            "batch": batch,
            "rows": [(run, batch_row_stage(run, batch)) for run in selectors.batch_runs(batch)],
            "progress": selectors.batch_progress(batch),
        },
    )


def batch_row_payload(run: ReportRun, batch: ReportBatch) -> dict[str, object]:
    """A unit's row; `unit` finds it on the page, whose run may since have given way to a reused edition."""
    return {
        "id": run.pk,
        "unit": run.department_id,
        "status": run.status,
        "status_label": run.get_status_display() + (f"：{run.error_message}" if run.is_failed else ""),
        "stage": batch_row_stage(run, batch),
        "edition_number": f"第{run.edition}版" if run.edition else "",
        "detail_url": reverse("reports:run_detail", args=[run.pk]),
        "download_url": reverse("reports:run_download", args=[run.pk]) if run.is_done else "",
    }


def batch_row_stage(run: ReportRun, batch: ReportBatch) -> str:
    if run.batch_id != batch.pk:
        return REUSED_NOTE
    return "" if run.is_done or run.is_failed else run.stage


@login_required
@require_GET
def batch_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    batch = permissions.batch_get_for_user(request.user, pk)
    progress = selectors.batch_progress(batch)
    return JsonResponse(
        {
            # Each unit's row as it is now, so the rows move with the counter (they stayed 排队中).
            "runs": [batch_row_payload(run, batch) for run in selectors.batch_runs(batch)],
            "total": progress.total,
            "done": progress.done,
            "failed": progress.failed,
            "progress": progress.percent,
            "is_finished": progress.is_finished,
            "stage": progress.summary,
        },
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_GET
def batch_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    batch = permissions.batch_get_for_user(request.user, pk)
    runs = [run for run in selectors.batch_runs(batch) if run.is_done and run.file]
    if not runs:
        raise Http404("该批次还没有已完成的报告。")
    audit_read(request, batch, batch.scope_id)  # every unit's report of the batch in one archive
    archive = SpooledTemporaryFile(max_size=64 * 1024 * 1024)  # noqa: SIM115  (FileResponse closes it)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as bundle:
        for run in runs:
            with run.file.open("rb") as stored:
                bundle.writestr(download_name(run, "pdf"), stored.read())
    archive.seek(0)
    return file_response(
        archive, filename=f"{batch.year}年度部门法治政府建设报告（批量）.zip", content_type="application/zip"
    )
