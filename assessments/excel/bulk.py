"""The justice bureau's wide workbook: one row per department, one column per indicator code (a rate
in two columns, CODE.num and CODE.den), pre-filled with what is stored.

Only returns the user may import into appear and are accepted: for a reviewer, the departments in
scope except their own (as for reviewing) — but in a 历史数据年度, where the bureau enters every
unit's past figures itself and nobody reviews them, its own unit too; for an administrator, all.
A department's row may change values only while its return is open (未开始, 填报中, 退回修改 — and
then only the reopened indicators); a submitted or approved return changes only through the workflow.
"""

from collections import Counter, namedtuple
from typing import Any, NamedTuple

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from openpyxl.utils import get_column_letter

from accounts.models import User
from indicators.models import Indicator, ValueType
from indicators.selectors import framework_tree
from spreadsheets.xlsx_safety import SheetLimits, iter_sheet_rows, new_workbook

from ..models import AnnualReturn, IndicatorValue
from ..permissions import returns_for_user
from ..values import TYPED_COLUMNS, raw_from_row
from .collector import collector_paused
from .common import (
    BORDER,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LABEL_MARK,
    LOCKED_FILL,
    UNLOCKED,
    ImportPreview,
    ProposedChange,
    RowError,
    cell_text,
    compare,
    is_provided_part,
    json_columns_decoded,
    provided_refusal,
    raw_cell_texts,
    raw_from_cells,
    stored_raw,
    text_cell,
    unit_rows,
    workbook_bytes,
)

SHEET_TITLE = "批量导入"
# A province's file whole: 3,000 units (two header rows besides) × the framework's columns (196 for
# the default: 588,000 cells, a 31 MB sheet as openpyxl writes it). The cell budget stays under the
# hostile corpus's million blank cells; the sheet may be bigger than the default 20 MB part cap.
LIMITS = SheetLimits(max_rows=3500, max_columns=800, max_cells=900_000, max_sheet_bytes=64 * 1024 * 1024)
FIXED = ("单位编码", "单位名称", "单位类型", "状态")
OPEN_STATUSES = (AnnualReturn.Status.NOT_STARTED, AnnualReturn.Status.IN_PROGRESS, AnnualReturn.Status.RETURNED)
MAX_UNKNOWN_LISTED = 10


def can_bulk_import(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_reviewer or user.is_system_admin)


def importable_returns(user: User, year: int) -> QuerySet[AnnualReturn]:
    """Returns of the year whose values this user may import (reviewers never their own unit's,
    except in a 历史数据年度: no unit submits those figures, the bureau imports them all)."""
    if not can_bulk_import(user):
        return AnnualReturn.objects.none()
    returns = returns_for_user(user).filter(year=year)
    if not user.is_system_admin and user.department_id is not None:
        returns = returns.exclude(department_id=user.department_id, framework__is_historical=False)
    return returns.select_related("department", "framework").order_by("department__sort_order", "department__code")


def import_columns(framework) -> list[tuple[str, Indicator, str]]:
    """(header, indicator, part) in framework order; part is "value", "numerator" or "denominator"."""
    columns = []
    for indicator in framework_tree(framework).indicators:
        if indicator.is_derived or indicator.value_type == ValueType.EVIDENCE:
            continue
        if indicator.value_type == ValueType.RATE:
            columns += [
                (f"{indicator.code}.num", indicator, "numerator"),
                (f"{indicator.code}.den", indicator, "denominator"),
            ]
        else:
            columns.append((indicator.code, indicator, "value"))
    return columns


# What the template and the preview read of a stored value: named tuples, not model instances
# (building 330,000 IndicatorValue objects was a fifth of a province's preview).
STORED_FIELDS = (
    "annual_return_id",
    "indicator_id",
    *TYPED_COLUMNS,
    "raw_input",
    "input_error",
    "is_reopened",
    "version",
)


# Its JSON columns are read as text and decoded once per distinct text: a province's 325,000 rows hold
# a few thousand distinct inputs, and decoding each row's two columns was a tenth of the preview.
# The decoded values are shared between rows: nothing here changes them (clean_raw copies).
JSON_FIELDS = ("value_choices", "raw_input")
StoredRow = namedtuple("StoredRow", STORED_FIELDS)  # type: ignore[misc]


def _rows_by_return(returns: list[AnnualReturn]) -> dict[int, dict[int, Any]]:
    rows: dict[int, dict[int, Any]] = {annual_return.pk: {} for annual_return in returns}
    as_text = {f"{name}_text": Cast(name, output_field=TextField()) for name in JSON_FIELDS}
    columns = [f"{name}_text" if name in JSON_FIELDS else name for name in STORED_FIELDS]
    json_positions = [STORED_FIELDS.index(name) for name in JSON_FIELDS]
    decoded: dict[str | None, Any] = {None: None}
    stored = (
        IndicatorValue.objects.filter(annual_return__in=[r.pk for r in returns])
        .annotate(**as_text)
        .order_by("pk")
        .values_list(*columns)
    )
    for values in stored:
        row = json_columns_decoded(values, json_positions, decoded)
        rows[row[0]][row[1]] = StoredRow._make(row)
    return rows


def bulk_template(user: User, year: int) -> bytes:
    with collector_paused():  # a province's workbook is 600,000 openpyxl cells
        return _bulk_template(user, year)


def _bulk_template(user: User, year: int) -> bytes:
    returns = list(importable_returns(user, year))
    workbook, sheet = new_workbook(SHEET_TITLE)
    if not returns:
        sheet.append([f"{year}年度没有您可以导入的填报。"])
        return workbook_bytes(workbook)
    columns = import_columns(returns[0].framework)
    headers = [*FIXED, *(header for header, _, _ in columns)]
    labels = [LABEL_MARK, "", "", "", *(_label(indicator, part) for _, indicator, part in columns)]
    for column, (header, label) in enumerate(zip(headers, labels, strict=True), start=1):
        top = sheet.cell(1, column)
        text_cell(top, header)
        top.fill, top.font, top.border = HEADER_FILL, HEADER_FONT, BORDER
        text_cell(sheet.cell(2, column), label)
        sheet.column_dimensions[get_column_letter(column)].width = 12 if column > 4 else (24 if column == 2 else 10)
    rows = _rows_by_return(returns)
    for number, annual_return in enumerate(returns, start=3):
        department = annual_return.department
        is_open = annual_return.status in OPEN_STATUSES
        # After a targeted return only the reopened indicators may change: the rest are grey.
        reopened = {pk for pk, row in rows[annual_return.pk].items() if row.is_reopened}
        for column, text in enumerate(
            (department.code, department.name, department.get_kind_display(), annual_return.get_status_display()),
            start=1,
        ):
            text_cell(sheet.cell(number, column), text)
        for column, (_, indicator, part) in enumerate(columns, start=len(FIXED) + 1):
            cell = sheet.cell(number, column)
            row = rows[annual_return.pk].get(indicator.pk)
            if row is None:
                cell.fill = LOCKED_FILL  # not applicable to this kind of department
                continue
            text = raw_cell_texts(indicator, raw_from_row(indicator, row)).get(part, "")
            text_cell(cell, text)
            if is_open and (not reopened or indicator.pk in reopened) and not is_provided_part(indicator, part):
                cell.fill, cell.protection = INPUT_FILL, UNLOCKED
            else:
                cell.fill = LOCKED_FILL
    sheet.freeze_panes = sheet.cell(3, 3).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    return workbook_bytes(workbook)


def _label(indicator: Indicator, part: str) -> str:
    unit = f"（{indicator.unit}）" if indicator.unit and part == "value" else ""
    mark = "［统计］" if indicator.is_statistical else ""
    if part == "numerator":
        unit = f"（{indicator.numerator_unit}）" if indicator.numerator_unit else ""
        return f"{mark}{indicator.name} 分子：{indicator.numerator_label or '分子'}{unit}"
    if part == "denominator":
        unit = f"（{indicator.denominator_unit}）" if indicator.denominator_unit else ""
        return f"{mark}{indicator.name} 分母：{indicator.denominator_label or '分母'}{unit}"
    return f"{mark}{indicator.name}{unit}"


def bulk_preview(user: User, year: int, content: bytes) -> ImportPreview:
    """Every problem of the wide file, or the changes it would make to each department's return."""
    with collector_paused():
        return _bulk_preview(user, year, content)


def _bulk_preview(user: User, year: int, content: bytes) -> ImportPreview:
    returns = list(importable_returns(user, year))
    if not returns:
        return ImportPreview(errors=(RowError(None, f"{year}年度没有您可以导入的填报。"),))
    rows_iter = iter_sheet_rows(content, limits=LIMITS, sheet_title=SHEET_TITLE)
    header = [cell_text(value) for value in next(rows_iter, ())]
    columns, header_errors = _map_header(header, returns[0].framework)
    if header_errors:
        return ImportPreview(errors=tuple(header_errors))
    by_code = {annual_return.department.code: annual_return for annual_return in returns}
    plan = _plan(columns)
    stored = _rows_by_return(returns)
    changes: list[ProposedChange] = []
    errors: list[RowError] = []
    read: list[int] = []
    unchanged = 0
    departments: list[str] = []
    for number, texts, annual_return in unit_rows(
        rows_iter,
        by_code,
        name_of=lambda annual_return: annual_return.department.name,
        out_of_scope=f"不在您的范围内或没有{year}年度填报",
        errors=errors,
        counted=read,
    ):
        row_changes, row_errors, row_unchanged = _department_row(
            annual_return, stored[annual_return.pk], plan, texts, number
        )
        errors += row_errors
        changes += row_changes
        unchanged += row_unchanged
        if row_changes:
            departments.append(annual_return.department.name)
    return ImportPreview(
        changes=tuple(changes) if not errors else (),
        errors=tuple(errors),
        unchanged=unchanged,
        rows_read=len(read),
        departments=tuple(departments),
    )


def _map_header(header: list[str], framework) -> tuple[dict[Indicator, dict[str, int]], list[RowError]]:
    """{indicator: {part: column index}} and the file-level problems of the header row."""
    expected = {name: (indicator, part) for name, indicator, part in import_columns(framework)}
    codes = {indicator.code: indicator for indicator, _ in expected.values()}
    if not header or header[0] != "单位编码":
        return {}, [RowError(1, "第一列的表头应为“单位编码”，请使用系统下载的批量导入模板。")]
    columns: dict[Indicator, dict[str, int]] = {}
    unknown, problems = [], []
    for index, name in enumerate(header):
        if not name or name in FIXED:
            continue
        if name in expected:
            indicator, part = expected[name]
            if part in columns.setdefault(indicator, {}):
                problems.append(RowError(1, f"表头“{name}”重复出现。"))
            columns[indicator][part] = index
        elif name in codes and codes[name].value_type == ValueType.RATE:
            problems.append(RowError(1, f"“{name}”是比率指标，请分为“{name}.num”（分子）和“{name}.den”（分母）两列。"))
        elif name.removesuffix(".num").removesuffix(".den") in codes:
            problems.append(
                RowError(1, f"“{name}”：指标 {name.rsplit('.', 1)[0]} 不是比率，请只用一列“{name.rsplit('.', 1)[0]}”。")
            )
        else:
            unknown.append(name)
    if unknown:
        listed = "、".join(f"“{name}”" for name in unknown[:MAX_UNKNOWN_LISTED])
        more = f"等 {len(unknown)} 列" if len(unknown) > MAX_UNKNOWN_LISTED else ""
        problems.append(RowError(1, f"表头 {listed}{more} 不是{framework.year}年度指标体系中的指标编码。"))
    for indicator, parts in columns.items():
        if indicator.value_type == ValueType.RATE and set(parts) != {"numerator", "denominator"}:
            problems.append(RowError(1, f"比率指标 {indicator.code} 须同时有“.num”和“.den”两列。"))
    if not columns and not problems:
        problems.append(RowError(1, "表头中没有任何指标编码列，请使用系统下载的批量导入模板。"))
    return columns, problems


class _Column(NamedTuple):
    """One indicator's cells of the file, with what every row's check needs of it read once."""

    indicator: Indicator
    indicator_id: int
    parts: tuple[tuple[str, int], ...]  # (part, column index)
    is_provided: bool  # a 数据提供单位 provides part of it


def _plan(columns: dict[Indicator, dict[str, int]]) -> list[_Column]:
    return [
        _Column(indicator, indicator.pk, tuple(parts.items()), bool(indicator.provided_parts))
        for indicator, parts in columns.items()
    ]


def _cells(parts: tuple[tuple[str, int], ...], texts: list[str]) -> dict[str, str] | None:
    """The column's cells of a row by part; None when all are empty (most of a file: one part)."""
    width = len(texts)
    if len(parts) == 1:
        part, index = parts[0]
        text = texts[index] if index < width else ""
        return {part: text} if text else None
    cells = {part: texts[index] if index < width else "" for part, index in parts}
    return cells if any(cells.values()) else None


def _department_row(annual_return, stored, plan: list[_Column], texts, number):
    department = annual_return.department.name
    changes, errors, unchanged = [], [], 0
    reopened = {indicator_id for indicator_id, row in stored.items() if row.is_reopened}
    is_open = annual_return.status in OPEN_STATUSES
    closed_codes: list[str] = []
    for indicator, indicator_id, parts, is_provided in plan:
        cells = _cells(parts, texts)
        if cells is None:
            continue
        row = stored.get(indicator_id)
        if row is None:
            errors.append(RowError(number, f"{_where(department, indicator)}：本指标不适用于该单位，请留空。"))
            continue
        raw = raw_from_cells(
            indicator.value_type,
            value=cells.get("value", ""),
            numerator=cells.get("numerator", ""),
            denominator=cells.get("denominator", ""),
        )
        current = stored_raw(indicator, row)
        difference = compare(indicator, row, raw, current=current)
        if difference is None:
            unchanged += 1
            continue
        if difference.errors:
            errors.append(RowError(number, f"{_where(department, indicator)}：{'；'.join(difference.errors)}"))
            continue
        if is_provided and (refusal := provided_refusal(indicator, row, raw, current=current)):
            errors.append(RowError(number, f"{_where(department, indicator)}：{refusal}。"))
            continue
        if not is_open:
            closed_codes.append(indicator.code)
            continue
        if reopened and indicator_id not in reopened:
            locked = "该单位的填报只退回了部分指标，本指标已锁定。"
            errors.append(RowError(number, f"{_where(department, indicator)}：{locked}"))
            continue
        changes.append(
            ProposedChange(
                return_id=annual_return.pk,
                department=department,
                indicator_id=indicator_id,
                code=indicator.code,
                name=indicator.name,
                old_text=difference.old_text,
                new_text=difference.new_text,
                raw=difference.proposed,
                expected_version=row.version,
            )
        )
    if closed_codes:
        errors.append(
            RowError(
                number,
                f"{department}的填报{annual_return.get_status_display()}，不能导入修改（{'、'.join(closed_codes[:5])}"
                f"{'等' if len(closed_codes) > 5 else ''}）；如需修改请先退回。",
            )
        )
    return changes, errors, unchanged


def _where(department: str, indicator: Indicator) -> str:
    return f"{department} {indicator.code} {indicator.name}"


def changes_by_department(changes) -> list[tuple[str, int]]:
    counts = Counter(change.department for change in changes)
    return sorted(counts.items(), key=lambda item: -item[1])
