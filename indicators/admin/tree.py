"""Areas, groups, indicators and validation rules of a draft framework."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey
from django.http import HttpRequest

from audit.model_admin import AuditedAdminMixin

from ..expressions import ExpressionError, check
from ..models import Area, AssessmentPoint, Group, Indicator, IndicatorFramework, ValidationRule
from ..phrasing import PHRASE_FIELDS, SHORTFALL_FIELDS, YOY_FIELDS, template_problems
from ..scoring.indicator import validate_scoring_params
from .locking import DRAFTS, ChildInline, DraftParentForm, FrameworkLockMixin


class GroupInline(ChildInline):
    model = Group
    fields = ("order", "code", "name", "max_points")
    ordering = ("order", "code")

    def framework_of(self, obj: Area) -> IndicatorFramework | None:
        return obj.framework


class AreaForm(DraftParentForm):
    def framework(self) -> IndicatorFramework | None:
        framework: IndicatorFramework | None = self.cleaned_data.get("framework")
        return framework


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, FrameworkLockMixin, admin.ModelAdmin[Any]):
    form = AreaForm
    list_display = ("code", "name", "framework", "max_points", "order")
    list_filter = ("framework",)
    list_select_related = ("framework",)
    ordering = ("framework", "order", "code")
    inlines = [GroupInline]

    def framework_of(self, obj: Area) -> IndicatorFramework | None:
        return obj.framework

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorInline(ChildInline):
    model = Indicator
    fields = ("order", "code", "name", "nature", "value_type", "max_points", "scoring_rule")
    ordering = ("order", "code")

    def framework_of(self, obj: Group) -> IndicatorFramework | None:
        return obj.area.framework


class GroupForm(DraftParentForm):
    def framework(self) -> IndicatorFramework | None:
        area: Area | None = self.cleaned_data.get("area")
        return area.framework if area else None


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, FrameworkLockMixin, admin.ModelAdmin[Any]):
    form = GroupForm
    list_display = ("code", "name", "area", "max_points", "order")
    list_filter = ("area__framework",)
    list_select_related = ("area__framework",)
    ordering = ("area__framework", "area__order", "order", "code")
    inlines = [IndicatorInline]

    def framework_of(self, obj: Group) -> IndicatorFramework | None:
        return obj.area.framework

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "area":
            kwargs["queryset"] = Area.objects.filter(framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ValidationRuleForm(DraftParentForm):
    indicator_framework: IndicatorFramework | None = (
        None  # set for the inline, where the framework field is not on the form
    )

    def framework(self) -> IndicatorFramework | None:
        framework: IndicatorFramework | None = self.cleaned_data.get("framework")
        return framework or self.indicator_framework

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        framework = self.framework()
        if framework is not None and data.get("expression"):
            codes = set(framework.indicators.values_list("code", flat=True))
            try:
                check(data["expression"], known_codes=codes)
            except ExpressionError as error:
                self.add_error("expression", str(error))
        if data.get("is_relation") and data.get("severity") != ValidationRule.Severity.ERROR:
            self.add_error("severity", "数据关系说的是必然成立的关系，严重程度须为“错误（阻止提交）”。")
        return data


class AssessmentPointInline(ChildInline):
    model = AssessmentPoint
    fields = ("order", "code", "text", "points")
    show_change_link = False

    def framework_of(self, obj: Indicator) -> IndicatorFramework | None:
        return obj.framework


class IndicatorValidationRuleInline(ChildInline):
    model = ValidationRule
    form = ValidationRuleForm
    fields = ("order", "code", "expression", "message", "severity")
    show_change_link = False

    def framework_of(self, obj: Indicator) -> IndicatorFramework | None:
        return obj.framework

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("RuleForm", (formset.form,), {"indicator_framework": obj.framework if obj else None})
        return formset


class IndicatorForm(DraftParentForm):
    def framework(self) -> IndicatorFramework | None:
        framework: IndicatorFramework | None = self.cleaned_data.get("framework")
        return framework

    def clean(self) -> dict[str, Any]:
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
        for name, allowed in (
            ("phrase_template", PHRASE_FIELDS),
            ("yoy_phrase_template", YOY_FIELDS),
            ("shortfall_phrase", SHORTFALL_FIELDS),
            ("zero_phrase", PHRASE_FIELDS),
        ):
            problems = template_problems(data.get(name) or "", allowed=allowed)
            if problems:
                self.add_error(name, problems)
        return data


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdminMixin, FrameworkLockMixin, admin.ModelAdmin[Any]):
    form = IndicatorForm
    list_display = ("code", "name", "framework", "group", "nature", "value_type", "max_points", "scoring_rule", "order")
    list_filter = ("framework", "group__area__code", "nature", "value_type", "scoring_rule", "is_evidence_required")
    search_fields = ("code", "name", "previous_code")
    list_select_related = ("framework", "group")
    ordering = ("framework", "group__area__order", "group__order", "order", "code")
    inlines = [AssessmentPointInline, IndicatorValidationRuleInline]
    fieldsets = (
        (None, {"fields": ("framework", "group", "order", "code", "previous_code", "name", "nature")}),
        ("填报", {"fields": ("instructions", "legal_basis", "value_type", "unit", ("numerator_label", "numerator_unit"),
                             ("denominator_label", "denominator_unit"), "options", "formula", "allows_not_available",
                             "is_evidence_required")}),
        ("适用范围与必填", {"fields": (("applies_to_government", "required_for_government"),
                                       ("applies_to_department", "required_for_department"),
                                       ("applies_to_township", "required_for_township"), "applicability_note")}),
        ("目标与评分", {"fields": (("scale_min", "scale_max"), "target_operator", "target_value", "target_date",
                                   "target_note", "max_points", "scoring_rule", "scoring_params", "scoring_note",
                                   "yoy_swing_percent")}),
        ("报告表述", {"fields": ("report_role", "phrase_template", "yoy_phrase_template", "empty_phrase",
                                 "zero_phrase", "shortfall_phrase", "preferred_direction")}),
    )  # fmt: skip

    def framework_of(self, obj: Indicator) -> IndicatorFramework | None:
        return obj.framework

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: Any) -> None:
        if formset.model is not ValidationRule:
            return super().save_formset(request, form, formset, change)
        # Rules added under an indicator belong to that indicator's framework.
        for rule in formset.save(commit=False):
            rule.framework = form.instance.framework
            rule.save()
        for rule in formset.deleted_objects:
            rule.delete()
        return None

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        if db_field.name == "group":
            kwargs["queryset"] = Group.objects.filter(area__framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ValidationRule)
class ValidationRuleAdmin(AuditedAdminMixin, FrameworkLockMixin, admin.ModelAdmin[Any]):
    form = ValidationRuleForm
    list_display = ("code", "expression", "message", "severity", "is_relation", "indicator", "framework")
    list_filter = ("framework", "severity", "is_relation")
    search_fields = ("code", "expression", "message")
    list_select_related = ("framework", "indicator")
    ordering = ("framework", "order", "code")

    def framework_of(self, obj: ValidationRule) -> IndicatorFramework | None:
        return obj.framework

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "framework":
            kwargs["queryset"] = IndicatorFramework.objects.filter(**DRAFTS)
        if db_field.name == "indicator":
            kwargs["queryset"] = Indicator.objects.filter(framework__status=IndicatorFramework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
