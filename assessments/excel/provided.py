"""The 数据提供单位's workbook: its grid as an xlsx — one row per unit in scope, one column per
provided figure (a rate's parts as CODE.num / CODE.den, as in the bureau's workbook), pre-filled with
what it provided. The upload goes through the same safety limits (spreadsheets.xlsx_safety), the
same preview (原值 → 新值, every row-level error in Chinese) and the same signed, all-or-nothing
confirmation as the other workbooks (excel.common); the apply is services.provided.
"""

from openpyxl.utils import get_column_letter

from accounts.models import Department
from spreadsheets.xlsx_safety import SheetLimits, iter_sheet_rows, new_workbook

from ..selectors.provided import GridColumn, ProviderGrid, provider_grid
from ..values import display_raw, parse_raw
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
    text_cell,
    unit_rows,
    workbook_bytes,
)

SHEET_TITLE = "提供数据"
LIMITS = SheetLimits(max_rows=5000, max_columns=200)
FIXED = ("单位编码", "单位名称")


def provided_template(provider: Department, year: int) -> bytes:
    grid = provider_grid(provider, year)
    workbook, sheet = new_workbook(SHEET_TITLE)
    if not grid.rows or not grid.columns:
        sheet.append([f"{year}年度没有需要本单位提供的数据。"])
        return workbook_bytes(workbook)
    headers = [*FIXED, *(column.header for column in grid.columns)]
    labels = [LABEL_MARK, "", *(_label(column) for column in grid.columns)]
    for number, (header, label) in enumerate(zip(headers, labels, strict=True), start=1):
        top = sheet.cell(1, number)
        text_cell(top, header)
        top.fill, top.font, top.border = HEADER_FILL, HEADER_FONT, BORDER
        text_cell(sheet.cell(2, number), label)
        sheet.column_dimensions[get_column_letter(number)].width = 30 if number == 2 else 14
    for line, row in enumerate(grid.rows, start=3):
        department = row.annual_return.department
        text_cell(sheet.cell(line, 1), department.code)
        text_cell(sheet.cell(line, 2), department.name)
        for number, cell in enumerate(row.cells, start=len(FIXED) + 1):
            target = sheet.cell(line, number)
            if not cell.is_editable:
                target.fill = LOCKED_FILL
                continue
            text_cell(target, cell.text)
            target.fill, target.protection = INPUT_FILL, UNLOCKED
    sheet.freeze_panes = sheet.cell(3, 3).coordinate
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    return workbook_bytes(workbook)


def _label(column: GridColumn) -> str:
    indicator = column.indicator
    unit = f"（{column.unit}）" if column.unit else ""
    if column.part == "value":
        return f"{indicator.name}{unit}"
    return f"{indicator.name} {'分子' if column.part == 'numerator' else '分母'}：{column.label}{unit}"


def provided_preview(provider: Department, year: int, content: bytes) -> ImportPreview:
    """Every problem of the file, or the changes it would make (one per unit and indicator)."""
    grid = provider_grid(provider, year)
    if not grid.rows or not grid.columns:
        return ImportPreview(errors=(RowError(None, f"{year}年度没有需要本单位提供的数据。"),))
    rows_iter = iter_sheet_rows(content, limits=LIMITS, sheet_title=SHEET_TITLE)
    header = [cell_text(value) for value in next(rows_iter, ())]
    positions, header_errors = _map_header(header, grid)
    if header_errors:
        return ImportPreview(errors=tuple(header_errors))
    by_code = {row.annual_return.department.code: row for row in grid.rows}
    changes: list[ProposedChange] = []
    errors: list[RowError] = []
    read: list[int] = []
    unchanged = 0
    departments: list[str] = []
    for number, texts, row in unit_rows(
        rows_iter,
        by_code,
        name_of=lambda row: row.annual_return.department.name,
        out_of_scope=f"不在本单位提供数据的范围内或没有{year}年度填报",
        errors=errors,
        counted=read,
    ):
        row_changes, row_errors, row_unchanged = _row(row, positions, texts, number)
        changes += row_changes
        errors += row_errors
        unchanged += row_unchanged
        if row_changes:
            departments.append(row.annual_return.department.name)
    return ImportPreview(
        changes=tuple(changes) if not errors else (),
        errors=tuple(errors),
        unchanged=unchanged,
        rows_read=len(read),
        departments=tuple(departments),
    )


def _map_header(header: list[str], grid: ProviderGrid) -> tuple[dict[int, int], list[RowError]]:
    """{grid column index: file column index}; every provided column must be there, once."""
    if not header or header[0] != "单位编码":
        return {}, [RowError(1, "第一列的表头应为“单位编码”，请使用系统下载的提供数据模板。")]
    wanted = {column.header: index for index, column in enumerate(grid.columns)}
    positions: dict[int, int] = {}
    problems, unknown = [], []
    for position, name in enumerate(header):
        if not name or name in FIXED:
            continue
        if name not in wanted:
            unknown.append(name)
        elif wanted[name] in positions:
            problems.append(RowError(1, f"表头“{name}”重复出现。"))
        else:
            positions[wanted[name]] = position
    if unknown:
        listed = "、".join(f"“{name}”" for name in unknown[:10])
        problems.append(RowError(1, f"表头 {listed} 不是本单位提供的指标，请使用系统下载的模板。"))
    missing = [column.header for index, column in enumerate(grid.columns) if index not in positions]
    if missing:
        problems.append(RowError(1, f"缺少列 {'、'.join(missing[:10])}，请使用系统下载的模板。"))
    return positions, problems


def _row(row, positions: dict[int, int], texts: list[str], number: int):
    """The changes of one unit's row, one per indicator (its changed parts together)."""
    department = row.annual_return.department.name
    by_indicator: dict[int, dict[str, str]] = {}
    cells_of: dict[int, list] = {}
    errors: list[RowError] = []
    unchanged = 0
    for index, cell in enumerate(row.cells):
        position = positions[index]
        text = texts[position] if position < len(texts) else ""
        if text == cell.text:
            unchanged += bool(text)
            continue
        indicator = cell.column.indicator
        where = f"{department} {indicator.code} {cell.column.label}"
        if not cell.is_applicable:
            errors.append(RowError(number, f"{where}：本指标不适用于该单位，请留空。"))
            continue
        if cell.other_provider:
            errors.append(RowError(number, f"{where}：该单位的这项数据由{cell.other_provider}提供，请留空。"))
            continue
        if cell.is_locked:
            errors.append(RowError(number, f"{where}：该单位的填报已确认（锁定），不能导入修改。"))
            continue
        by_indicator.setdefault(indicator.pk, {})[cell.column.part] = text
        cells_of.setdefault(indicator.pk, []).append(cell)
    changes = []
    for indicator_id, parts in by_indicator.items():
        cells = cells_of[indicator_id]
        indicator = cells[0].column.indicator
        stored = {c.column.part: c.text for c in row.cells if c.column.indicator.pk == indicator_id}
        proposed = {**stored, **parts}
        parsed = parse_raw(indicator, proposed)
        if parsed.errors:
            errors.append(RowError(number, f"{department} {indicator.code} {indicator.name}：{parsed.error}"))
            continue
        changes.append(
            ProposedChange(
                return_id=row.annual_return.pk,
                department=department,
                indicator_id=indicator_id,
                code=indicator.code,
                name=indicator.name,
                old_text=display_raw(indicator.value_type, stored) if any(stored.values()) else "",
                new_text=display_raw(indicator.value_type, proposed),
                raw=parts,
                expected_version=cells[0].version,
            )
        )
    return changes, errors, unchanged
