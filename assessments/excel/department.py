"""One department's return as a workbook: download pre-filled, fill offline, upload, see the diff.

The sheet: a title, the department code and year (checked on upload, so a file cannot land in
another department's return), the instructions, then one row per indicator with code, names, unit,
target, last year's figure and the inputs (本年值, or 分子/分母 for rates, and 情况说明). Everything
but the yellow input cells is locked. Reading maps columns by their headers and runs every input
through the same parser as the browser (values.parse_raw).
"""

import re

from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.models import ValueType
from indicators.presenting import Place, datetime_text, target_text, value_text
from spreadsheets.xlsx_safety import SheetLimits, iter_sheet_rows, new_workbook

from ..limits import EXPLANATION_MAX_LENGTH
from ..models import AnnualReturn
from ..selectors.returns import return_data_load
from ..values import raw_from_row, state_from_text
from .common import (
    BORDER,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LOCKED_FILL,
    TITLE_FONT,
    UNLOCKED,
    WRAP,
    ImportPreview,
    ProposedChange,
    RowError,
    cell_text,
    compare,
    is_provided_part,
    proposed_raw,
    provided_refusal,
    raw_cell_texts,
    raw_from_cells,
    text_cell,
    type_text,
    workbook_bytes,
)

SHEET_TITLE = "填报表"
LIMITS = SheetLimits(max_rows=1000, max_columns=30)
COLUMNS = (
    ("指标编码", 12),
    ("一级指标", 16),
    ("指标名称", 36),
    ("单位", 8),
    ("填报方式", 22),
    ("目标", 14),
    ("上年值", 12),
    ("本年值", 16),
    ("分子", 12),
    ("分母", 12),
    ("情况说明", 30),
    ("填报说明", 40),
)
HEADER_ROW = 5
PART_OF_TITLE = {"本年值": "value", "分子": "numerator", "分母": "denominator"}
INPUT_HEADERS = ("本年值", "分子", "分母", "情况说明")
REQUIRED_HEADERS = ("指标编码", "本年值", "分子", "分母")
INSTRUCTIONS = (
    "填写说明：只填写黄色单元格——本年值；比率类指标填写分子和分母；需要时填写情况说明。灰色单元格已锁定。"
    "留空表示不修改。数字可带单位（如 12件），日期按 2025-03-01 填写，多选项用“、”分隔。"
    "比率只知道一项的只填该项。本单位不涉及的填“不适用：原因”，允许时数据尚未掌握的填“暂无数据：原因”"
    "（比率填在“分子”列）。"
    "上传后系统先列出每项修改（原值 → 新值）供核对，确认后才保存；有任何错误时整份文件都不会导入。"
)
IDENTITY_PATTERN = re.compile(r"单位编码：(?P<code>\S+?)\s.*考核年度：(?P<year>\d{4})")


def department_template(annual_return: AnnualReturn) -> bytes:
    """The return as a pre-filled, protected workbook."""
    data = return_data_load(annual_return)
    workbook, sheet = new_workbook(SHEET_TITLE)
    department = annual_return.department
    width = len(COLUMNS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1, f"{department.name} {annual_return.year}年度法治政府建设考核指标填报表").font = TITLE_FONT
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    stamp = datetime_text(timezone.now())
    text_cell(sheet.cell(2, 1), f"单位编码：{department.code}　考核年度：{annual_return.year}　导出时间：{stamp}")
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    sheet.cell(3, 1, INSTRUCTIONS).alignment = WRAP
    sheet.row_dimensions[3].height = 48
    for column, (title, column_width) in enumerate(COLUMNS, start=1):
        header = sheet.cell(HEADER_ROW, column, title)
        header.fill, header.font, header.border = HEADER_FILL, HEADER_FONT, BORDER
        sheet.column_dimensions[get_column_letter(column)].width = column_width
    area_of = {indicator.pk: node.area.name for node in data.tree.areas for indicator in _indicators_of(node)}
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    number = HEADER_ROW
    for indicator in data.applicable:
        row = data.row_for(indicator)
        if row is None or indicator.value_type == ValueType.EVIDENCE:
            continue  # derived indicators are computed; evidence-only ones take files, not figures
        number += 1
        raw = raw_from_row(indicator, row)
        cells = raw_cell_texts(indicator, raw)
        is_rate = indicator.value_type == ValueType.RATE
        values = (
            indicator.code,
            area_of.get(indicator.pk, ""),
            indicator.name,
            indicator.unit,
            type_text(indicator),
            target_text(indicator, Place.EXCEL),
            value_text(indicator, data.previous_readings.get(indicator.code), Place.EXCEL),
            "" if is_rate else cells.get("value", ""),
            cells.get("numerator", "") if is_rate else "",
            cells.get("denominator", "") if is_rate else "",
            row.explanation,
            indicator.instructions,
        )
        for column, text in enumerate(values, start=1):
            cell = sheet.cell(number, column)
            text_cell(cell, str(text or ""))
            cell.border, cell.alignment = BORDER, WRAP
            title = COLUMNS[column - 1][0]
            is_input = (
                title == "情况说明" or (title == "本年值" and not is_rate) or (title in ("分子", "分母") and is_rate)
            )
            # After a targeted return only the reopened indicators may change: the rest are grey; so
            # are the parts a 数据提供单位 provides.
            is_input = is_input and (row.is_reopened or not data.is_targeted)
            is_input = is_input and not is_provided_part(indicator, PART_OF_TITLE.get(title, "value"))
            if is_input:
                cell.fill, cell.protection = INPUT_FILL, UNLOCKED
            elif title in INPUT_HEADERS:
                cell.fill = LOCKED_FILL
        if indicator.value_type == ValueType.BOOLEAN:
            yes_no.add(f"H{number}")
        if indicator.value_type == ValueType.SINGLE_CHOICE and _fits_list(indicator.options):
            choice = DataValidation(type="list", formula1='"' + ",".join(indicator.options) + '"', allow_blank=True)
            sheet.add_data_validation(choice)
            choice.add(f"H{number}")
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 4).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    return workbook_bytes(workbook)


def _indicators_of(area_node):
    return [indicator for group in area_node.groups for indicator in group.indicators]


def _fits_list(options) -> bool:
    text = ",".join(options)
    return bool(options) and len(text) < 250 and '"' not in text and all("," not in option for option in options)


def template_filename(annual_return: AnnualReturn) -> str:
    return f"{annual_return.department.name}{annual_return.year}年度填报表.xlsx"


def department_preview(annual_return: AnnualReturn, content: bytes) -> ImportPreview:
    """Every problem of the upload, row by row, or the changes it would make. Raises
    zip_safety.UnsafeFile for a file that is refused as a whole before its rows are read."""
    rows = iter_sheet_rows(content, limits=LIMITS, sheet_title=SHEET_TITLE)
    header_number, header, identity_text = _find_header(rows)
    if header is None:
        return ImportPreview(errors=(RowError(None, "找不到表头（“指标编码”所在行），请使用系统下载的模板。"),))
    missing = [title for title in REQUIRED_HEADERS if title not in header]
    if missing:
        return ImportPreview(errors=(RowError(None, f"表头缺少“{'”“'.join(missing)}”列，请使用系统下载的模板。"),))
    identity_error = _identity_error(annual_return, identity_text)
    if identity_error:
        return ImportPreview(errors=(RowError(None, identity_error),))
    data = return_data_load(annual_return)
    by_code = {indicator.code: indicator for indicator in data.applicable if data.row_for(indicator) is not None}
    changes, errors, unchanged, rows_read = [], [], 0, 0
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=header_number + 1):
        cell = {title: cell_text(cells[index]) if index < len(cells) else "" for title, index in header.items()}
        code = cell.get("指标编码", "")
        inputs = [cell.get(title, "") for title in INPUT_HEADERS]
        if not code:
            if any(inputs):
                errors.append(RowError(number, "缺少指标编码，不知道这一行填的是哪个指标。"))
            continue
        rows_read += 1
        indicator = by_code.get(code)
        if indicator is None:
            errors.append(RowError(number, f"指标编码“{code}”不在本单位{annual_return.year}年度的填报中。"))
            continue
        if code in seen:
            errors.append(RowError(number, f"指标“{code}”重复出现（第 {seen[code]} 行已有）。"))
            continue
        seen[code] = number
        outcome = _row_change(annual_return, indicator, data.row_for(indicator), cell, number)
        if isinstance(outcome, RowError):
            errors.append(outcome)
        elif outcome is None:
            unchanged += 1
        else:
            changes.append(outcome)
    return ImportPreview(
        changes=tuple(changes) if not errors else (),
        errors=tuple(errors),
        unchanged=unchanged,
        rows_read=rows_read,
        departments=(annual_return.department.name,),
    )


def _find_header(rows) -> tuple[int, dict[str, int] | None, str]:
    identity = ""
    for number, cells in enumerate(rows, start=1):
        texts = [cell_text(value) for value in cells]
        if texts and texts[0].startswith("单位编码："):
            identity = texts[0]
        if texts and texts[0] == "指标编码":
            return number, {text: index for index, text in enumerate(texts) if text}, identity
        if number >= 10:
            break
    return 0, None, identity


def _identity_error(annual_return: AnnualReturn, text: str) -> str:
    match = IDENTITY_PATTERN.search(text)
    if match is None:
        return "文件第 2 行缺少“单位编码”和“考核年度”，请使用系统为本单位下载的模板。"
    if match["code"] != annual_return.department.code or int(match["year"]) != annual_return.year:
        return (
            f"这份文件属于单位编码 {match['code']}、{match['year']}年度，"
            f"不是{annual_return.department.name}{annual_return.year}年度的填报表。"
        )
    return ""


def _row_change(annual_return, indicator, row, cell: dict, number: int) -> ProposedChange | RowError | None:
    label = f"{indicator.code} {indicator.name}"
    is_rate = indicator.value_type == ValueType.RATE
    if is_rate and cell.get("本年值") and not state_from_text(cell["本年值"])[0]:
        return RowError(number, f"{label}：比率类指标请在“分子”“分母”两列填写，“本年值”列留空。")
    if not is_rate and (cell.get("分子") or cell.get("分母")):
        return RowError(number, f"{label}：本指标不是比率，“分子”“分母”两列请留空。")
    raw = raw_from_cells(
        indicator.value_type,
        value=cell.get("本年值", ""),
        numerator=cell.get("分子", ""),
        denominator=cell.get("分母", ""),
    )
    difference = compare(indicator, row, raw)
    if difference is not None and (refusal := provided_refusal(indicator, row, raw)):
        return RowError(number, f"{label}：{refusal}。")
    explanation = cell.get("情况说明", "").replace("\r\n", "\n").strip()
    explanation_changed = bool(explanation) and explanation != row.explanation
    if difference is None and not explanation_changed:
        return None
    if difference is not None and difference.errors:
        return RowError(number, f"{label}：{'；'.join(difference.errors)}")
    if len(explanation) > EXPLANATION_MAX_LENGTH:
        return RowError(
            number, f"{label}：情况说明不能超过 {EXPLANATION_MAX_LENGTH} 字（现为 {len(explanation)} 字）。"
        )
    old_text, new_text = (difference.old_text, difference.new_text) if difference else ("", "")
    return ProposedChange(
        return_id=annual_return.pk,
        department=annual_return.department.name,
        indicator_id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        old_text=old_text,
        new_text=new_text,
        raw=difference.proposed if difference else proposed_raw(indicator, row, raw),
        expected_version=row.version,
        explanation=explanation if explanation_changed else None,
        old_explanation=row.explanation,
    )
