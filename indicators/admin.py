"""Framework configuration for administrators: editing drafts, clone / publish / archive with a
confirmation page, and Excel import and export.

Published and archived editions are shown read-only: they are what departments file against, so
the way to change one is to clone it into a new version.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .exporting import framework_to_xlsx
from .expressions import ExpressionError, check
from .forms import FrameworkImportForm
from .importing import FrameworkFileError, data_from_xlsx
from .models import (
    AdjustmentItem,
    Area,
    AssessmentPoint,
    GradeThreshold,
    Group,
    Indicator,
    IndicatorFramework,
    ValidationRule,
)
from .phrasing import PHRASE_FIELDS, YOY_FIELDS, template_problems
from .scoring.indicator import validate_scoring_params
from .services import (
    framework_archive,
    framework_clone,
    framework_ensure_editable,
    framework_has_returns,
    framework_import,
    framework_next_version,
    framework_problems,
    framework_publish,
    framework_reopen,
)

DRAFTS = {"status": IndicatorFramework.Status.DRAFT}


class FrameworkLockMixin:
    """Read-only unless the object's framework is a draft."""

    def framework_of(self, obj) -> IndicatorFramework | None:
        return obj

    def _is_locked(self, obj) -> bool:
        framework = self.framework_of(obj) if obj is not None else None
        return framework is not None and not framework.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_locked(obj)


class ChildInline(FrameworkLockMixin, admin.TabularInline):
    """Inlines receive the parent object, so the lock follows the parent's framework."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._is_locked(obj)


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
class IndicatorFrameworkAdmin(FrameworkLockMixin, admin.ModelAdmin):
    list_display = ("name", "year", "version", "status", "cloned_from", "published_at", "tree_link")
    list_filter = ("status", "year")
    search_fields = ("name",)
    list_select_related = ("cloned_from",)
    ordering = ("-year", "-version")
    readonly_fields = ("version", "status", "cloned_from", "published_at", "created_at", "updated_at")
    fields = (
        "name",
        "year",
        "version",
        "status",
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
    def tree_link(self, obj):
        return format_html(
            '<a href="{}">指标树</a> · <a href="{}">导出</a>',
            reverse("indicators:framework_detail", args=[obj.pk]),
            reverse("admin:indicators_indicatorframework_export", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = framework_next_version(obj.year)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="indicators_indicatorframework_import"),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="indicators_indicatorframework_export",
            ),
        ]
        return urls + super().get_urls()

    def export_view(self, request, pk):
        framework = get_object_or_404(IndicatorFramework, pk=pk)
        response = HttpResponse(
            framework_to_xlsx(framework),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="indicator-framework-{framework.year}-v{framework.version}.xlsx"'
        )
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = FrameworkImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            data, errors = data_from_xlsx(form.cleaned_data["file"].read())
            if not errors:
                try:
                    framework = framework_import(data=data, year=form.cleaned_data["year"], user=request.user)
                except FrameworkFileError as error:
                    errors = error.errors
                else:
                    self.message_user(request, f"已导入“{framework}”（草稿），请检查后发布。", messages.SUCCESS)
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
        return TemplateResponse(request, "indicators/admin/framework_import.html", context)

    def _confirm(self, request, queryset, *, action, title, intro, rows):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "rows": rows,
            "action": action,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "can_proceed": all(not row["problems"] for row in rows),
        }
        return TemplateResponse(request, "indicators/admin/confirm_action.html", context)

    @admin.action(description="复制为下一年度的新版本（草稿）")
    def clone_to_next_year(self, request, queryset):
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
    def publish(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            rows = []
            for framework in queryset:
                problems = framework_problems(framework) if framework.is_draft else ["只有草稿状态的指标体系可以发布。"]
                rows.append({"framework": framework, "problems": problems, "note": "发布后不能修改"})
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
    def reopen(self, request, queryset):
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
    def archive(self, request, queryset):
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


class DraftParentForm(forms.ModelForm):
    """New rows may only be attached to a draft framework."""

    def framework(self):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        framework = self.framework()
        if framework is not None:
            try:
                framework_ensure_editable(framework)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return data


class GroupInline(ChildInline):
    model = Group
    fields = ("order", "code", "name", "max_points")
    ordering = ("order", "code")

    def framework_of(self, obj):
        return obj.framework


class AreaForm(DraftParentForm):
    def framework(self):
        return self.cleaned_data.get("framework")


@admin.register(Area)
class AreaAdmin(FrameworkLockMixin, admin.ModelAdmin):
    form = AreaForm
    list_display = ("code", "name", "framework", "max_points", "order")
    list_filter = ("framework",)
    list_select_related = ("framework",)
    ordering = ("framework", "order", "code")
    inlines = [GroupInline]

    def framework_of(self, obj):
        return obj.framework

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorInline(ChildInline):
    model = Indicator
    fields = ("order", "code", "name", "value_type", "max_points", "scoring_rule")
    ordering = ("order", "code")

    def framework_of(self, obj):
        return obj.area.framework


class GroupForm(DraftParentForm):
    def framework(self):
        area = self.cleaned_data.get("area")
        return area.framework if area else None


@admin.register(Group)
class GroupAdmin(FrameworkLockMixin, admin.ModelAdmin):
    form = GroupForm
    list_display = ("code", "name", "area", "max_points", "order")
    list_filter = ("area__framework",)
    list_select_related = ("area__framework",)
    ordering = ("area__framework", "area__order", "order", "code")
    inlines = [IndicatorInline]

    def framework_of(self, obj):
        return obj.area.framework

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "area":
            kwargs["queryset"] = Area.objects.filter(framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValidationRuleForm(DraftParentForm):
    indicator_framework = None  # set for the inline, where the framework field is not on the form

    def framework(self):
        return self.cleaned_data.get("framework") or self.indicator_framework

    def clean(self):
        data = super().clean()
        framework = self.framework()
        if framework is not None and data.get("expression"):
            codes = set(framework.indicators.values_list("code", flat=True))
            try:
                check(data["expression"], known_codes=codes)
            except ExpressionError as error:
                self.add_error("expression", str(error))
        return data


class AssessmentPointInline(ChildInline):
    model = AssessmentPoint
    fields = ("order", "code", "text", "points")
    show_change_link = False

    def framework_of(self, obj):
        return obj.framework


class IndicatorValidationRuleInline(ChildInline):
    model = ValidationRule
    form = ValidationRuleForm
    fields = ("order", "code", "expression", "message", "severity")
    show_change_link = False

    def framework_of(self, obj):
        return obj.framework

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("RuleForm", (formset.form,), {"indicator_framework": obj.framework if obj else None})
        return formset


class IndicatorForm(DraftParentForm):
    def framework(self):
        return self.cleaned_data.get("framework")

    def clean(self):
        data = super().clean()
        framework = data.get("framework")
        codes = set(framework.indicators.values_list("code", flat=True)) if framework else set()
        codes.add(data.get("code") or "")
        problems = validate_scoring_params(
            data.get("scoring_rule") or "", data.get("scoring_params") or {}, known_codes=codes
        )
        if problems:
            self.add_error("scoring_params", problems)
        if data.get("formula"):
            try:
                check(data["formula"], known_codes=codes)
            except ExpressionError as error:
                self.add_error("formula", str(error))
        for name, allowed in (("phrase_template", PHRASE_FIELDS), ("yoy_phrase_template", YOY_FIELDS)):
            problems = template_problems(data.get(name) or "", allowed=allowed)
            if problems:
                self.add_error(name, problems)
        return data


@admin.register(Indicator)
class IndicatorAdmin(FrameworkLockMixin, admin.ModelAdmin):
    form = IndicatorForm
    list_display = ("code", "name", "framework", "group", "value_type", "max_points", "scoring_rule", "order")
    list_filter = ("framework", "group__area__code", "value_type", "scoring_rule", "is_evidence_required")
    search_fields = ("code", "name", "previous_code")
    list_select_related = ("framework", "group")
    ordering = ("framework", "group__area__order", "group__order", "order", "code")
    inlines = [AssessmentPointInline, IndicatorValidationRuleInline]
    fieldsets = (
        (None, {"fields": ("framework", "group", "order", "code", "previous_code", "name")}),
        ("填报", {"fields": ("instructions", "legal_basis", "value_type", "unit", "numerator_label",
                             "denominator_label", "options", "formula", "is_required", "is_evidence_required")}),
        ("适用范围", {"fields": ("applies_to_government", "applies_to_department", "applies_to_township",
                                 "applicability_note")}),
        ("目标与评分", {"fields": ("target_operator", "target_value", "target_date", "target_note", "max_points",
                                   "scoring_rule", "scoring_params", "scoring_note", "yoy_swing_percent")}),
        ("报告表述", {"fields": ("phrase_template", "yoy_phrase_template", "empty_phrase")}),
    )  # fmt: skip

    def framework_of(self, obj):
        return obj.framework

    def save_formset(self, request, form, formset, change):
        if formset.model is not ValidationRule:
            return super().save_formset(request, form, formset, change)
        # Rules added under an indicator belong to that indicator's framework.
        for rule in formset.save(commit=False):
            rule.framework = form.instance.framework
            rule.save()
        for rule in formset.deleted_objects:
            rule.delete()
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        if db_field.name == "group":
            kwargs["queryset"] = Group.objects.filter(area__framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ValidationRule)
class ValidationRuleAdmin(FrameworkLockMixin, admin.ModelAdmin):
    form = ValidationRuleForm
    list_display = ("code", "expression", "message", "severity", "indicator", "framework")
    list_filter = ("framework", "severity")
    search_fields = ("code", "expression", "message")
    list_select_related = ("framework", "indicator")
    ordering = ("framework", "order", "code")

    def framework_of(self, obj):
        return obj.framework

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
