"""The results table as xlsx. Cells that a spreadsheet would run as a formula are written as text."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from spreadsheets.xlsx_safety import escape_formula

from .selectors import RankingRow


def results_workbook(*, year: int, rows: list[RankingRow], areas: list[tuple[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{year}年度考核结果"
    header = ["名次", "同类名次", "单位", "单位类型", "总分", "等次", "一票否决", "加分", "扣分"]
    header += [f"{code} {name}" for code, name in areas]
    header += ["上年名次", "名次变化"]
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
        values += [row.previous_rank, row.rank_change]
        sheet.append([escape_formula(value) for value in values])
    sheet.column_dimensions["C"].width = 30
    sheet.freeze_panes = "D2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
