"""The results table as xlsx. Cells that a spreadsheet would run as a formula are written as text."""

import io

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from spreadsheets.xlsx_safety import escape_formula, new_workbook

from .selectors import RankingRow


def results_workbook(
    *,
    year: int,
    rows: list[RankingRow],
    areas: list[tuple[str, str]],
    with_breakdowns: bool = True,
    is_scoped: bool = False,
) -> bytes:
    """`with_breakdowns`: the 加分, 扣分 and area columns (reviews.permissions.can_see_breakdowns);
    `is_scoped`: the rows are one branch's, ranked among themselves, so the stored rank within the
    unit's kind (counted over every unit) is left out."""
    if not with_breakdowns:
        areas = []
    workbook, sheet = new_workbook(f"{year}年度考核结果")
    header = ["名次", "同类名次", "单位", "单位类型", "总分", "等次", "一票否决", "加分", "扣分"]
    header += [f"{code} {name}" for code, name in areas]
    header += ["上年名次", "名次变化"]
    dropped = {"加分", "扣分"} if not with_breakdowns else set()
    if is_scoped:
        dropped.add("同类名次")
    keep = [index for index, title in enumerate(header) if title not in dropped]
    header = [header[index] for index in keep]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        record = row.sheet
        values = [
            row.rank,
            record.rank_in_kind,
            row.department.name,
            row.department.get_kind_display(),
            float(record.total),
            record.get_grade_display(),
            "是" if record.is_vetoed else "",
            float(record.bonus),
            float(record.deductions),
        ]
        values += [float(record.area_points[code]) if record.area_points.get(code) else None for code, _ in areas]
        values += [row.previous_rank, "新参评" if row.is_new else row.rank_change]
        sheet.append([escape_formula(values[index]) for index in keep])
    unit_column = header.index("单位") + 1
    sheet.column_dimensions[get_column_letter(unit_column)].width = 30
    sheet.freeze_panes = sheet.cell(row=2, column=unit_column + 1).coordinate
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
