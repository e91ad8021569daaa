"""Excel mapping of a framework (django-import-export): one xlsx, one sheet per kind of row.

Columns ↔ keys only. Rows travel as plain dicts keyed by the model attribute names (the same shape
as indicators/data/default_framework.json); checking them is importing.py's job. Widgets read a cell
leniently (Excel hands back ints and floats) and raise ValueError with a Chinese message.

    指标体系          one row: name, year, description, points
    指标              the tree, one row per 一级 / 二级 / 三级 / 考核要点, parents before children
    校验规则          validation rules
    等次              grade thresholds
    加减分及否决      bonus, deduction and veto items
"""

import datetime
import io
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import openpyxl
import tablib
from django.db.models import Model
from import_export import fields, resources
from import_export.widgets import Widget

from accounts.models import Department
from spreadsheets.sheet_stream import XlsxPackage
from spreadsheets.xlsx_safety import SheetLimits, UnsafeFile, open_spreadsheet

from .models import (
    AdjustmentItem,
    GradeThreshold,
    IndicatorNature,
    PreferredDirection,
    ReportRole,
    ScoringRule,
    TargetOperator,
    ValidationRule,
    ValueType,
)
from .presenting import number_text

LEVELS = {"area": "一级", "group": "二级", "indicator": "三级", "point": "考核要点"}
OPTION_SEPARATOR = "；"
MAX_ROWS = 5000
MAX_COLUMNS = 60
ROW_NUMBER = "_row"


class TextWidget(Widget):
    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class DecimalWidget(Widget):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"{self.label}“{value}”不是数值") from None
        if not number.is_finite():
            raise ValueError(f"{self.label}“{value}”不是数值")
        return number

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        if value is None or value == "":
            return ""
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return number_text(number)


class IntegerWidget(DecimalWidget):
    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValueError(f"{self.label}“{value}”须为整数")
        return int(number)


class BooleanWidget(Widget):
    TRUE, FALSE = ("是", "true", "True", "TRUE", "1", "Y", "y"), ("否", "false", "False", "FALSE", "0", "N", "n")

    def __init__(self, label: str, default: bool):
        super().__init__()
        self.label = label
        self.default = default

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        text = TextWidget().clean(value)
        if text == "":
            return self.default
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"{self.label}“{text}”无效，应填“是”或“否”")

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return "是" if value else "否"


class ChoiceWidget(Widget):
    """Writes the Chinese label; reads the label or the stored value."""

    def __init__(self, choices: Iterable[tuple[str, str]], label: str, *, blank: bool = False):
        super().__init__()
        self.choices = list(choices)
        self.label = label
        self.blank = blank

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        text = TextWidget().clean(value)
        for stored, label in self.choices:
            if text and text in (stored, label):
                return stored
        if text == "" and self.blank:
            return ""
        allowed = "、".join(label for stored, label in self.choices if stored)
        if text == "":
            raise ValueError(f"{self.label}不能为空，应为：{allowed}")
        raise ValueError(f"{self.label}“{text}”无效，应为：{allowed}")

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return dict(self.choices).get(value, value or "")


class JSONWidget(Widget):
    def __init__(self, label: str, empty: dict[str, Any] | list[Any]):
        super().__init__()
        self.label = label
        self.empty = empty

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        if isinstance(value, dict | list):
            return value
        text = TextWidget().clean(value)
        if text == "":
            return type(self.empty)()
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError(f"{self.label}不是有效的 JSON：{text}") from None

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        if not value:
            return ""
        return json.dumps(value, ensure_ascii=False, sort_keys=True)


class OptionsWidget(Widget):
    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        if isinstance(value, list):
            return [str(option).strip() for option in value if str(option).strip()]
        text = TextWidget().clean(value)
        return [option.strip() for option in text.split(OPTION_SEPARATOR) if option.strip()]

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        return OPTION_SEPARATOR.join(value or [])


class DateWidget(Widget):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value: Any, row: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = TextWidget().clean(value)
        if text == "":
            return None
        try:
            return datetime.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise ValueError(f"{self.label}“{text}”不是有效日期，应写作 2026-03-01") from None

    def render(self, value: Any, obj: Model | None = None, **kwargs: Any) -> str:
        if not value:
            return ""
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def _text(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


def _decimal(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=DecimalWidget(column))


def _bool(attribute: str, column: str, default: bool) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=BooleanWidget(column, default))


if TYPE_CHECKING:  # Resource is generic in the stubs only
    _Resource = resources.Resource[Any]
else:
    _Resource = resources.Resource


class SheetResource(_Resource):
    sheet_title = ""
    # Columns added after workbooks were already in use: a file without them still reads (blank).
    optional_columns: tuple[str, ...] = ()

    def clean_row(self, row: dict[str, Any], *, by_attribute: bool = False) -> tuple[dict[str, Any], list[str]]:
        """A row as an attribute dict, and its cells' problems. The row is keyed by column name
        (a spreadsheet) or, with by_attribute, by attribute name (the JSON data file)."""
        cleaned: dict[str, Any] = {}
        problems: list[str] = []
        for field in self.get_import_fields():
            attribute = field.attribute or ""  # every field of these sheets names its attribute and its column
            key = attribute if by_attribute else (field.column_name or attribute)
            try:
                cleaned[attribute] = field.widget.clean(row.get(key))
            except ValueError as error:
                problems.append(str(error))
        return cleaned, problems


class FrameworkSheetResource(SheetResource):
    sheet_title = "指标体系"
    name = _text("name", "名称")
    year = fields.Field(attribute="year", column_name="考核年度", widget=IntegerWidget("考核年度"))
    description = _text("description", "说明")
    base_points = _decimal("base_points", "基础分")
    bonus_cap = _decimal("bonus_cap", "加分上限")
    yoy_swing_percent = _decimal("yoy_swing_percent", "同比波动阈值（%）")


REQUIRED_ATTRIBUTES = ("required_for_government", "required_for_department", "required_for_township")
LEGACY_REQUIRED = ("is_required", "必填")  # one flag for every kind, as files exported before kinds say


class TreeSheetResource(SheetResource):
    sheet_title = "指标"
    optional_columns = (
        "指标性质",
        "分子单位",
        "分母单位",
        "政府必填",
        "政府工作部门必填",
        "乡镇街道必填",
        "可填暂无数据",
        "取值下限",
        "取值上限",
    )

    def clean_row(self, row: dict[str, Any], *, by_attribute: bool = False) -> tuple[dict[str, Any], list[str]]:
        cleaned, problems = super().clean_row(row, by_attribute=by_attribute)
        keys = REQUIRED_ATTRIBUTES if by_attribute else ("政府必填", "政府工作部门必填", "乡镇街道必填")
        if not any(row.get(key) not in (None, "") for key in keys):
            # No per-kind cells: the row's single 必填 flag if it has one; else a statistical
            # indicator (统计指标, reported but not scored) is optional and any other required.
            legacy = next((row[key] for key in LEGACY_REQUIRED if row.get(key) not in (None, "")), None)
            default = cleaned.get("nature") != IndicatorNature.STATISTICAL
            try:
                required = BooleanWidget("必填", default).clean(legacy)
            except ValueError as error:
                problems.append(str(error))
                required = default
            cleaned.update(dict.fromkeys(REQUIRED_ATTRIBUTES, required))
        return cleaned, problems

    level = fields.Field(attribute="level", column_name="层级", widget=ChoiceWidget(LEVELS.items(), "层级"))
    code = _text("code", "编码")
    parent_code = _text("parent_code", "上级编码")
    name = _text("name", "名称")
    description = _text("description", "说明")
    max_points = _decimal("max_points", "分值")
    nature = fields.Field(
        attribute="nature", column_name="指标性质", widget=ChoiceWidget(IndicatorNature.choices, "指标性质", blank=True)
    )
    previous_code = _text("previous_code", "上年编码")
    legal_basis = _text("legal_basis", "依据")
    value_type = fields.Field(
        attribute="value_type", column_name="填报类型", widget=ChoiceWidget(ValueType.choices, "填报类型", blank=True)
    )
    unit = _text("unit", "单位")
    numerator_label = _text("numerator_label", "分子名称")
    numerator_unit = _text("numerator_unit", "分子单位")
    denominator_label = _text("denominator_label", "分母名称")
    denominator_unit = _text("denominator_unit", "分母单位")
    options = fields.Field(attribute="options", column_name="选项（以；分隔）", widget=OptionsWidget())
    formula = _text("formula", "派生公式")
    required_for_government = _bool("required_for_government", "政府必填", True)
    required_for_department = _bool("required_for_department", "政府工作部门必填", True)
    required_for_township = _bool("required_for_township", "乡镇街道必填", True)
    allows_not_available = _bool("allows_not_available", "可填暂无数据", False)
    applies_to_government = _bool("applies_to_government", "适用于政府", True)
    applies_to_department = _bool("applies_to_department", "适用于政府工作部门", True)
    applies_to_township = _bool("applies_to_township", "适用于乡镇街道", True)
    applicability_note = _text("applicability_note", "适用说明")
    is_evidence_required = _bool("is_evidence_required", "须上传佐证材料", False)
    scale_min = _decimal("scale_min", "取值下限")
    scale_max = _decimal("scale_max", "取值上限")
    target_operator = fields.Field(
        attribute="target_operator",
        column_name="目标比较",
        widget=ChoiceWidget(TargetOperator.choices, "目标比较", blank=True),
    )
    target_value = _decimal("target_value", "目标值")
    target_date = fields.Field(attribute="target_date", column_name="目标日期", widget=DateWidget("目标日期"))
    target_note = _text("target_note", "目标说明")
    scoring_rule = fields.Field(
        attribute="scoring_rule",
        column_name="评分规则",
        widget=ChoiceWidget(ScoringRule.choices, "评分规则", blank=True),
    )
    scoring_params = fields.Field(
        attribute="scoring_params", column_name="评分参数（JSON）", widget=JSONWidget("评分参数", {})
    )
    scoring_note = _text("scoring_note", "评分标准说明")
    phrase_template = _text("phrase_template", "报告表述")
    yoy_phrase_template = _text("yoy_phrase_template", "同比表述")
    empty_phrase = _text("empty_phrase", "无此类事项表述")
    report_role = fields.Field(
        attribute="report_role",
        column_name="报告中的位置",
        widget=ChoiceWidget(ReportRole.choices, "报告中的位置", blank=True),
    )
    zero_phrase = _text("zero_phrase", "零值表述")
    shortfall_phrase = _text("shortfall_phrase", "未达标表述")
    preferred_direction = fields.Field(
        attribute="preferred_direction",
        column_name="升降评价",
        widget=ChoiceWidget(PreferredDirection.choices, "升降评价", blank=True),
    )
    yoy_swing_percent = _decimal("yoy_swing_percent", "同比波动阈值（%）")


class RuleSheetResource(SheetResource):
    sheet_title = "校验规则"
    code = _text("code", "规则编码")
    indicator_code = _text("indicator_code", "所属指标编码")
    expression = _text("expression", "校验公式")
    message = _text("message", "不通过时的提示")
    severity = fields.Field(
        attribute="severity",
        column_name="严重程度",
        widget=ChoiceWidget(ValidationRule.Severity.choices, "严重程度"),
    )
    is_relation = _bool("is_relation", "数据关系", False)
    optional_columns = ("数据关系",)


class GradeSheetResource(SheetResource):
    sheet_title = "等次"
    department_kind = fields.Field(
        attribute="department_kind",
        column_name="单位类型（留空为全部）",
        widget=ChoiceWidget([("", ""), *Department.Kind.choices], "单位类型", blank=True),
    )
    grade = fields.Field(
        attribute="grade",
        column_name="等次",
        widget=ChoiceWidget([c for c in GradeThreshold.Grade.choices if c[0] != "fail"], "等次"),
    )
    min_score = _decimal("min_score", "最低分")


class AdjustmentSheetResource(SheetResource):
    sheet_title = "加减分及否决"
    kind = fields.Field(attribute="kind", column_name="类别", widget=ChoiceWidget(AdjustmentItem.Kind.choices, "类别"))
    code = _text("code", "编码")
    name = _text("name", "情形")
    points = _decimal("points", "每次分值")
    max_points = _decimal("max_points", "本项上限")
    legal_basis = _text("legal_basis", "依据")
    note = _text("note", "说明")


SHEETS: dict[str, type[SheetResource]] = {
    "framework": FrameworkSheetResource,
    "tree": TreeSheetResource,
    "rules": RuleSheetResource,
    "grades": GradeSheetResource,
    "adjustments": AdjustmentSheetResource,
}


def to_databook(data: dict[str, Any]) -> tablib.Databook:
    """data: {"framework": {...}, "tree": [...], "rules": [...], "grades": [...], "adjustments": [...]}."""
    book = tablib.Databook()
    for key, resource_class in SHEETS.items():
        rows = [data[key]] if key == "framework" else data[key]
        # import-export exports any iterable of rows (dicts here); its stubs accept only a QuerySet.
        dataset = resource_class().export(queryset=rows)  # type: ignore[arg-type]
        dataset.title = resource_class.sheet_title
        book.add_sheet(dataset)
    return book


def to_xlsx(data: dict[str, Any]) -> bytes:
    """One workbook, every cell written as text: a name typed as “=…” must come back as typed, and
    must not become a formula when someone opens the file in Excel."""
    workbook = openpyxl.Workbook()
    for empty in list(workbook.worksheets):
        workbook.remove(empty)
    for dataset in to_databook(data).sheets():
        sheet = workbook.create_sheet(dataset.title)
        sheet.append(dataset.headers)
        for row in dataset:
            sheet.append(row)
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> dict[str, list[dict[str, Any]]]:
    """Each sheet's rows as column → cell dicts, keyed like SHEETS. Raises ValueError (Chinese)
    when the file is refused as a whole (spreadsheets.xlsx_safety: zip bombs, macros, passwords,
    too many rows — every row read counts, blank or not) or lacks a sheet or a column."""
    try:
        with open_spreadsheet(content) as package:
            return {key: _read_sheet(package, resource_class) for key, resource_class in SHEETS.items()}
    except UnsafeFile as error:
        raise ValueError(error.message) from None


def _read_sheet(package: XlsxPackage, resource_class: type[SheetResource]) -> list[dict[str, Any]]:
    title = resource_class.sheet_title
    if title not in package.sheet_titles:
        raise ValueError(f"文件缺少工作表“{title}”")
    # The header row, MAX_ROWS rows of data, and nothing more: the reader stops at the first row past.
    rows = package.rows(title, limits=SheetLimits(max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS))
    try:
        headers = [TextWidget().clean(value) for value in next(rows, ())]
        resource = resource_class()
        expected = [column for column in resource.get_export_headers() if column not in resource.optional_columns]
        missing = [column for column in expected if column not in headers]
        if missing:
            raise ValueError(f"工作表“{title}”缺少列：{'、'.join(missing)}")
        # Row numbers as Excel shows them (the header is row 1), kept for the error list.
        return [
            {ROW_NUMBER: number, **dict(zip(headers, values, strict=False))}
            for number, values in enumerate(rows, start=2)
            if any(cell not in (None, "") for cell in values)
        ]
    except UnsafeFile as error:
        raise UnsafeFile(f"工作表“{title}”：{error.message}") from None
