"""Excel mapping of the department list (单位名录): columns ↔ fields, Chinese headers and labels."""

from import_export import fields, resources
from import_export.widgets import BooleanWidget, CharWidget, ForeignKeyWidget, Widget

from audit.services import audit_record, field_values

from .models import Department


class ChoiceLabelWidget(Widget):
    """Reads and writes a choice by its Chinese label, so the spreadsheet says 政府工作部门."""

    def __init__(self, choices, column_label: str):
        super().__init__()
        self.choices = choices
        self.column_label = column_label

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for stored, label in self.choices:
            if text in (label, stored):
                return stored
        allowed = "、".join(label for _, label in self.choices)
        raise ValueError(f"{self.column_label}“{text}”无效，应为：{allowed}")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class ChineseBooleanWidget(BooleanWidget):
    TRUE_VALUES = ["是", "启用", "1", 1, True, "true", "TRUE", "True"]
    FALSE_VALUES = ["否", "停用", "0", 0, False, "false", "FALSE", "False"]

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"

    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return True
        if value not in self.TRUE_VALUES + self.FALSE_VALUES:
            raise ValueError(f"是否启用“{value}”无效，应填“是”或“否”")
        return value in self.TRUE_VALUES


class ParentCodeWidget(ForeignKeyWidget):
    def clean(self, value, row=None, **kwargs):
        if value in ("", None):
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except Department.DoesNotExist:
            raise ValueError(f"上级单位编码“{value}”不存在（上级单位须已存在，或在文件中排在本行之前）") from None


class DepartmentResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="单位编码")
    name = fields.Field(attribute="name", column_name="单位名称")
    short_name = fields.Field(attribute="short_name", column_name="简称", widget=CharWidget(allow_blank=True))
    parent = fields.Field(attribute="parent", column_name="上级单位编码", widget=ParentCodeWidget(Department, "code"))
    kind = fields.Field(
        attribute="kind",
        column_name="单位类型",
        widget=ChoiceLabelWidget(Department.Kind.choices, "单位类型"),
    )
    level = fields.Field(
        attribute="level",
        column_name="行政层级",
        widget=ChoiceLabelWidget(Department.Level.choices, "行政层级"),
    )
    sort_order = fields.Field(attribute="sort_order", column_name="排序")
    is_active = fields.Field(attribute="is_active", column_name="是否启用", widget=ChineseBooleanWidget())

    class Meta:
        model = Department
        import_id_fields = ("code",)
        fields = ("code", "name", "short_name", "parent", "kind", "level", "sort_order", "is_active")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def import_data(self, dataset, **kwargs):
        # All-or-nothing: one bad row means nothing from the file is written.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        # One audit event per unit the file adds or changes, in the import's transaction (a dry run
        # is rolled back together with its events). Unchanged rows are skipped before this.
        before = None if is_create else field_values(Department.objects.get(pk=instance.pk))
        super().save_instance(instance, is_create, row, **kwargs)
        after = field_values(instance)
        if before is not None:
            changed = [name for name in after if after[name] != before[name]]
            before, after = {name: before[name] for name in changed}, {name: after[name] for name in changed}
        audit_record(
            action="change", user=kwargs.get("user"), obj=instance, department=instance.pk, before=before, after=after
        )

    def get_export_queryset(self, request=None):
        return Department.objects.select_related("parent")

    def export(self, queryset=None, **kwargs):
        # Parents are exported before their children so the file imports back in one pass.
        from .selectors import department_tree_rows

        queryset = queryset if queryset is not None else self.get_export_queryset()
        ordered = [row.department for row in department_tree_rows(departments=queryset)]
        return super().export(queryset=ordered, **kwargs)
