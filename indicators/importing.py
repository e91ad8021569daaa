"""Reading a framework file (xlsx or the JSON data file) into checked data, with row-level errors.

Nothing is written here: `check_framework_data` returns the cleaned data and every problem found,
row by row, in Chinese; services.framework_import writes only when the list is empty.
"""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .expressions import ATTRIBUTES, ExpressionError, check
from .models import IndicatorNature, ScoringRule, ValidationRule, ValueType
from .phrasing import PHRASE_FIELDS, SHORTFALL_FIELDS, YOY_FIELDS, template_problems
from .resources import LEVELS, ROW_NUMBER, SHEETS, read_xlsx
from .scoring.indicator import validate_scoring_params
from .targets import target_problems
from .validation import formula_order

CODE_PATTERN = re.compile(r"^[A-Z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
PARENT_LEVEL = {"group": "area", "indicator": "group", "point": "indicator"}
SHEET_TITLES = {key: resource.sheet_title for key, resource in SHEETS.items()}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "全表"
        return f"{self.sheet} {where}：{self.message}"


class FrameworkFileError(ValueError):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


def data_from_xlsx(content: bytes) -> tuple[dict[str, Any], list[RowError]]:
    try:
        sheets = read_xlsx(content)
    except ValueError as error:
        return {}, [RowError("文件", None, str(error))]
    return _clean_sheets(sheets, by_attribute=False)


def data_from_json(document: dict[str, Any]) -> tuple[dict[str, Any], list[RowError]]:
    """The JSON data file: the same keys as the sheets, rows keyed by attribute name."""
    sheets = {key: [document.get(key, {})] if key == "framework" else document.get(key, []) for key in SHEETS}
    for rows in sheets.values():
        for number, row in enumerate(rows, start=1):
            row.setdefault(ROW_NUMBER, number)
    return _clean_sheets(sheets, by_attribute=True)


def _clean_sheets(
    sheets: dict[str, list[dict[str, Any]]], *, by_attribute: bool
) -> tuple[dict[str, Any], list[RowError]]:
    data: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, resource_class in SHEETS.items():
        resource = resource_class()
        cleaned_rows = []
        for row in sheets[key]:
            cleaned, problems = resource.clean_row(row, by_attribute=by_attribute)
            cleaned[ROW_NUMBER] = row.get(ROW_NUMBER)
            cleaned_rows.append(cleaned)
            errors += [RowError(resource_class.sheet_title, row.get(ROW_NUMBER), problem) for problem in problems]
        data[key] = cleaned_rows
    if len(data["framework"]) != 1:
        errors.append(RowError(SHEET_TITLES["framework"], None, "须有且只有一行指标体系信息"))
        data["framework"] = (data["framework"] or [{}])[0]
    else:
        data["framework"] = data["framework"][0]
    return data, sort_errors(errors + check_framework_data(data))


def check_framework_data(data: dict[str, Any]) -> list[RowError]:
    errors = _check_framework_row(data["framework"])
    errors += _check_tree(data["tree"])
    indicator_codes = {row["code"] for row in data["tree"] if row.get("level") == "indicator" and row.get("code")}
    all_codes = {row["code"] for row in data["tree"] if row.get("code")}
    errors += _check_formulas(data["tree"], indicator_codes)
    errors += _check_rules(data["rules"], indicator_codes)
    errors += _check_grades(data["grades"])
    errors += _check_adjustments(data["adjustments"], all_codes)
    return sort_errors(errors)


def sort_errors(errors: list[RowError]) -> list[RowError]:
    """In the order of the workbook: sheet by sheet, row by row (stable within a row)."""
    sheets = list(SHEET_TITLES.values())
    return sorted(
        errors, key=lambda error: (sheets.index(error.sheet) if error.sheet in sheets else -1, error.row or 0)
    )


def _error(key: str, row: dict[str, Any], message: str) -> RowError:
    return RowError(SHEET_TITLES[key], row.get(ROW_NUMBER), message)


def _check_framework_row(row: dict[str, Any]) -> list[RowError]:
    errors = []
    if not row.get("name"):
        errors.append(_error("framework", row, "名称不能为空"))
    year = row.get("year", 2000)
    if year is None or not 2000 <= year <= 2100:
        errors.append(_error("framework", row, "考核年度须为 2000 至 2100 之间的年份"))
    for attribute, label in (("base_points", "基础分"), ("bonus_cap", "加分上限")):
        if attribute in row and (row[attribute] is None or row[attribute] < 0):
            errors.append(_error("framework", row, f"{label}须为不小于 0 的数值"))
    return errors


def _code_problem(code: str) -> str | None:
    if not code:
        return "编码不能为空"
    if not CODE_PATTERN.match(code) or code.rsplit(".", 1)[-1] in ATTRIBUTES or len(code) > 20:
        return f"编码“{code}”格式不对：应以大写字母开头，由字母、数字和“.”组成，如 G2.1"
    return None


def _check_tree(rows: list[dict[str, Any]]) -> list[RowError]:
    errors = []
    counts = Counter(row.get("code") for row in rows if row.get("code"))
    level_of: dict[str, str] = {}
    for row in rows:
        code, level = row.get("code", ""), row.get("level")
        problem = _code_problem(code)
        if problem:
            errors.append(_error("tree", row, problem))
        elif counts[code] > 1:
            errors.append(_error("tree", row, f"编码“{code}”重复"))
        if level is None:
            continue
        if not row.get("name"):
            errors.append(_error("tree", row, f"{LEVELS[level]}的名称不能为空"))
        parent = row.get("parent_code", "")
        if level == "area" and parent:
            errors.append(_error("tree", row, "一级指标不应填写上级编码"))
        elif level != "area" and level_of.get(parent) != PARENT_LEVEL[level]:
            expected = LEVELS[PARENT_LEVEL[level]]
            errors.append(_error("tree", row, f"上级编码“{parent}”不存在，须为本表中排在前面的{expected}指标"))
        statistical = level == "indicator" and row.get("nature") == IndicatorNature.STATISTICAL
        if level != "point" and not statistical and "max_points" in row and row["max_points"] is None:
            errors.append(_error("tree", row, "分值不能为空"))
        if level == "indicator":
            errors += [_error("tree", row, message) for message in _indicator_problems(row)]
        if code and counts[code] == 1:
            level_of[code] = level
    errors += _check_points(rows)
    return errors


def _indicator_problems(row: dict[str, Any]) -> list[str]:
    # A key missing from the row means its cell was unreadable, which is already reported.
    problems = []
    if row.get("value_type", "?") == "":
        problems.append("三级指标须填写填报类型")
    if row.get("nature") == IndicatorNature.STATISTICAL:
        if row.get("max_points"):
            problems.append("统计指标不计分，分值须为 0 或留空")
        if row.get("scoring_rule"):
            problems.append("统计指标不计分，评分规则须留空")
    elif row.get("scoring_rule", "?") == "":
        problems.append("考核指标须填写评分规则")
    elif row.get("scoring_rule"):
        problems += validate_scoring_params(row["scoring_rule"], row.get("scoring_params") or {})
    if row.get("value_type") == ValueType.RATE and not (row.get("numerator_label") and row.get("denominator_label")):
        problems.append("比率指标须填写分子名称和分母名称")
    if row.get("value_type") in (ValueType.SINGLE_CHOICE, ValueType.MULTIPLE_CHOICE) and not row.get("options"):
        problems.append("单选、多选指标须填写选项")
    if bool(row.get("target_operator")) != (row.get("target_value") is not None):
        problems.append("目标比较与目标值须同时填写或同时留空")
    elif row.get("value_type"):
        problems += target_problems(
            value_type=row["value_type"],
            operator=row.get("target_operator") or "",
            value=row.get("target_value"),
            scale_min=row.get("scale_min"),
            scale_max=row.get("scale_max"),
            unit=row.get("unit") or "",
        )
    params = row.get("scoring_params") or {}
    if row.get("scoring_rule") == ScoringRule.LINEAR and row.get("target_value") is None and "target" not in params:
        problems.append("按比例得分须设置目标值")
    problems += template_problems(row.get("phrase_template", ""), allowed=PHRASE_FIELDS)
    problems += template_problems(row.get("yoy_phrase_template", ""), allowed=YOY_FIELDS)
    problems += template_problems(row.get("shortfall_phrase", ""), allowed=SHORTFALL_FIELDS)
    problems += template_problems(row.get("zero_phrase", ""), allowed=PHRASE_FIELDS)
    return problems


def _check_points(rows: list[dict[str, Any]]) -> list[RowError]:
    """A group's points cannot exceed its area's, nor an indicator's its group's."""
    by_code = {row.get("code"): row for row in rows}
    errors = []
    for row in rows:
        parent = by_code.get(row.get("parent_code"))
        if row.get("level") not in ("group", "indicator") or not parent:
            continue
        if None not in (row.get("max_points"), parent.get("max_points")) and row["max_points"] > parent["max_points"]:
            errors.append(_error("tree", row, f"分值 {row['max_points']} 超过上级指标的分值"))
    return errors


def _check_formulas(rows: list[dict[str, Any]], indicator_codes: set[str]) -> list[RowError]:
    errors, formulas = [], {}
    for row in rows:
        if row.get("level") != "indicator" or not row.get("formula"):
            continue
        try:
            formulas[row["code"]] = check(row["formula"], known_codes=indicator_codes)
        except ExpressionError as error:
            errors.append(_error("tree", row, f"派生公式有误：{error}"))
        params = row.get("scoring_params") or {}
        if isinstance(params, dict) and "events" in params:
            try:
                check(str(params["events"]), known_codes=indicator_codes)
            except ExpressionError as error:
                errors.append(_error("tree", row, f"评分参数 events 公式有误：{error}"))
    try:
        formula_order(formulas)
    except ExpressionError as error:
        errors.append(RowError(SHEET_TITLES["tree"], None, str(error)))
    return errors


def _check_rules(rows: list[dict[str, Any]], indicator_codes: set[str]) -> list[RowError]:
    errors = []
    counts = Counter(row.get("code") for row in rows)
    for row in rows:
        if not row.get("code"):
            errors.append(_error("rules", row, "规则编码不能为空"))
        elif counts[row["code"]] > 1:
            errors.append(_error("rules", row, f"规则编码“{row['code']}”重复"))
        if row.get("indicator_code") and row["indicator_code"] not in indicator_codes:
            errors.append(_error("rules", row, f"所属指标编码“{row['indicator_code']}”不存在"))
        if not row.get("message"):
            errors.append(_error("rules", row, "不通过时的提示不能为空"))
        try:
            check(row.get("expression", ""), known_codes=indicator_codes)
        except ExpressionError as error:
            errors.append(_error("rules", row, f"校验公式有误：{error}"))
        if row.get("is_relation") and row.get("severity") != ValidationRule.Severity.ERROR:
            errors.append(_error("rules", row, "数据关系说的是必然成立的关系，严重程度须为“错误（阻止提交）”"))
    return errors


def _check_grades(rows: list[dict[str, Any]]) -> list[RowError]:
    errors = []
    counts = Counter((row.get("department_kind"), row.get("grade")) for row in rows)
    for row in rows:
        if counts[(row.get("department_kind"), row.get("grade"))] > 1:
            errors.append(_error("grades", row, "同一单位类型的同一等次重复"))
        if "min_score" in row and row["min_score"] is None:
            errors.append(_error("grades", row, "最低分不能为空"))
    return errors


def _check_adjustments(rows: list[dict[str, Any]], tree_codes: set[str]) -> list[RowError]:
    errors = []
    counts = Counter(row.get("code") for row in rows)
    for row in rows:
        code = row.get("code", "")
        problem = _code_problem(code)
        if problem:
            errors.append(_error("adjustments", row, problem))
        elif counts[code] > 1 or code in tree_codes:
            errors.append(_error("adjustments", row, f"编码“{code}”重复"))
        if not row.get("name"):
            errors.append(_error("adjustments", row, "情形不能为空"))
        if "points" in row and (row["points"] is None or row["points"] < Decimal(0)):
            errors.append(_error("adjustments", row, "每次分值须为不小于 0 的数值"))
    return errors
