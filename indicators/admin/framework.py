"""The framework itself: editing a draft, clone / publish / reopen / archive with confirmation, Excel."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from accounts.requests import AuthenticatedHttpRequest
from audit.model_admin import AuditedAdminMixin
from files.responses import xlsx_response
from spreadsheets.xlsx_safety import UnsafeFile, read_upload

from ..exporting import framework_filename, framework_to_xlsx
from ..forms import FrameworkImportForm
from ..importing import FrameworkFileError, RowError, data_from_xlsx
from ..models import AdjustmentItem, Area, GradeThreshold, IndicatorFramework
from ..services import (
    framework_archive,
    framework_clone,
    framework_has_returns,
    framework_import,
    framework_next_version,
    framework_problems,
    framework_publish,
    framework_reopen,
)
from ..targets import target_warnings
from .locking import ChildInline, FrameworkLockMixin


class AreaInline(ChildInline):
    model = Area
    fields = ("order", "code", "name", "max_points")
    ordering = ("order", "code")


class GradeThresholdInline(ChildInline):
    model = GradeThreshold
    fields = ("department_kind", "grade", "min_score")


class AdjustmentItemInline(ChildInline):
    model = AdjustmentItem
    fields = ("order", "kind", "code", "name", "points", "max_points", "note")
    ordering = ("kind", "order", "code")


@admin.register(IndicatorFramework)
class IndicatorFrameworkAdmin(AuditedAdminMixin, FrameworkLockMixin, admin.ModelAdmin[IndicatorFramework]):
    list_display = ("name", "year", "version", "status", "is_historical", "cloned_from", "published_at", "tree_link")
    list_filter = ("status", "is_historical", "year")
    search_fields = ("name",)
    list_select_related = ("cloned_from",)
    ordering = ("-year", "-version")
    readonly_fields = (
        "version",
        "status",
        "is_historical",
        "cloned_from",
        "published_at",
        "created_at",
        "updated_at",
    )
    fields = (
        "name",
        "year",
        "version",
        "status",
        "is_historical",
        "description",
        "base_points",
        "bonus_cap",
        "yoy_swing_percent",
        "cloned_from",
        "published_at",
        "created_at",
        "updated_at",
    )
    inlines = [AreaInline, GradeThresholdInline, AdjustmentItemInline]
    actions = ["clone_to_next_year", "publish", "reopen", "archive"]
    change_list_template = "indicators/admin/framework_change_list.html"

    @admin.display(description="浏览")
    def tree_link(self, obj: IndicatorFramework) -> str:
        return format_html(
            '<a href="{}">指标树</a> · <a href="{}">导出</a>',
            reverse("indicators:framework_detail", args=[obj.pk]),
            reverse("admin:indicators_indicatorframework_export", args=[obj.pk]),
        )

    def save_model(
        self, request: HttpRequest, obj: IndicatorFramework, form: ModelForm[IndicatorFramework], change: bool
    ) -> None:
        if not change:
            obj.version = framework_next_version(obj.year)
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[URLPattern]:
        urls: list[URLPattern] = [
            path("import/", self.admin_site.admin_view(self.import_view), name="indicators_indicatorframework_import"),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="indicators_indicatorframework_export",
            ),
        ]
        return urls + super().get_urls()

    def export_view(self, request: HttpRequest, pk: int) -> FileResponse:
        framework = get_object_or_404(IndicatorFramework, pk=pk)
        return xlsx_response(framework_to_xlsx(framework), framework_filename(framework))

    def import_view(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        errors: list[RowError] = []
        if request.method == "POST" and form.is_valid():
            try:
                data, errors = data_from_xlsx(read_upload(form.cleaned_data["file"]))
            except UnsafeFile as refused:
                data, errors = {}, [RowError("文件", None, refused.message)]
            if not errors:
                try:
                    framework = framework_import(data=data, year=form.cleaned_data["year"], user=request.user)
                except FrameworkFileError as error:
                    errors = error.errors
                else:
                    self.message_user(request, f"已导入“{framework}”（草稿），请检查后发布。", messages.SUCCESS)
                    # The same second look the publish confirmation gives: a target only a perfect
                    # score meets, or one no unit met last year, is best fixed in the draft now.
                    for warning in target_warnings(framework):
                        self.message_user(request, f"请核实目标：{warning}", messages.WARNING)
                    return HttpResponseRedirect(
                        reverse("admin:indicators_indicatorframework_change", args=[framework.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "title": "从 Excel 导入指标体系",
            "form": form,
            "errors": errors,
            "opts": self.model._meta,
        }
        # A refused file or one with errors is a bad request; nothing was written.
        status = 400 if request.method == "POST" else 200
        return TemplateResponse(request, "indicators/admin/framework_import.html", context, status=status)

    def _confirm(
        self,
        request: HttpRequest,
        queryset: QuerySet[IndicatorFramework],
        *,
        action: str,
        title: str,
        intro: str,
        rows: list[dict[str, Any]],
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "rows": rows,
            "action": action,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "can_proceed": all(not row["problems"] for row in rows),
        }
        return TemplateResponse(request, "indicators/admin/confirm_action.html", context)

    @admin.action(description="复制为下一年度的新版本（草稿）")
    def clone_to_next_year(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[IndicatorFramework]
    ) -> TemplateResponse | None:
        if request.POST.get("confirmed") != "yes":
            rows = [{"framework": f, "problems": [], "note": f"将生成 {f.year + 1} 年度草稿"} for f in queryset]
            return self._confirm(
                request,
                queryset,
                action="clone_to_next_year",
                title="确认复制指标体系",
                intro="将把所选指标体系复制为下一年度的草稿。指标编码保持不变，截止日期顺延一年；原版本不受影响。",
                rows=rows,
            )
        for framework in queryset:
            clone = framework_clone(framework=framework, user=request.user)
            self.message_user(request, f"已复制为“{clone}”。", messages.SUCCESS)
        return None

    @admin.action(description="发布所选指标体系")
    def publish(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[IndicatorFramework]
    ) -> TemplateResponse | None:
        if request.POST.get("confirmed") != "yes":
            rows = []
            for framework in queryset:
                problems = framework_problems(framework) if framework.is_draft else ["只有草稿状态的指标体系可以发布。"]
                warnings = target_warnings(framework) if framework.is_draft else []
                rows.append(
                    {"framework": framework, "problems": problems, "warnings": warnings, "note": "发布后不能修改"}
                )
            return self._confirm(
                request,
                queryset,
                action="publish",
                title="确认发布指标体系",
                intro="发布后各单位即按此指标体系填报，指标体系不能再修改（修改须复制为新版本）；"
                "同一年度此前发布的版本将归档。",
                rows=rows,
            )
        for framework in queryset:
            try:
                framework_publish(framework=framework, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{framework}”未发布：{'；'.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"已发布“{framework}”。", messages.SUCCESS)
        return None

    @admin.action(description="退回草稿（仅限尚无单位填报的已发布版本）")
    def reopen(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[IndicatorFramework]
    ) -> TemplateResponse | None:
        if request.POST.get("confirmed") != "yes":
            rows = []
            for framework in queryset:
                problems = []
                if framework.status != IndicatorFramework.Status.PUBLISHED:
                    problems.append("只有已发布的指标体系可以退回草稿。")
                elif framework_has_returns(framework):
                    problems.append("已有单位按此指标体系填报，不能退回草稿；请复制为新版本后修改。")
                rows.append({"framework": framework, "problems": problems, "note": "退回后可修改，修改后须重新发布"})
            return self._confirm(
                request,
                queryset,
                action="reopen",
                title="确认退回草稿",
                intro="退回草稿后，该年度暂无已发布的指标体系，各单位不能开始填报，直至重新发布。",
                rows=rows,
            )
        for framework in queryset:
            try:
                framework_reopen(framework=framework, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{framework}”：{'；'.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"已将“{framework}”退回草稿。", messages.SUCCESS)
        return None

    @admin.action(description="归档所选指标体系")
    def archive(
        self, request: AuthenticatedHttpRequest, queryset: QuerySet[IndicatorFramework]
    ) -> TemplateResponse | None:
        if request.POST.get("confirmed") != "yes":
            rows = [{"framework": f, "problems": [], "note": f.get_status_display()} for f in queryset]
            return self._confirm(
                request,
                queryset,
                action="archive",
                title="确认归档指标体系",
                intro="归档后该指标体系不再用于新的填报，仍可浏览和比较。",
                rows=rows,
            )
        for framework in queryset:
            try:
                framework_archive(framework=framework, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{framework}”：{'；'.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"已归档“{framework}”。", messages.SUCCESS)
        return None
