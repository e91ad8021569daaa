"""填报进度 as an xlsx: the rows of the dashboard (selectors/progress.py), one per department."""

from django.utils import timezone
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators.presenting import date_text
from spreadsheets.xlsx_safety import escape_formula, new_workbook

from ..selectors.progress import ProgressBoard
from .common import workbook_bytes

EXPORT_HEADERS = (
    "单位编码",
    "单位名称",
    "单位类型",
    "行政层级",
    "状态",
    "完成率（%）",
    "已填项",
    "应填项",
    "截止日期",
    "是否逾期",
    "逾期天数",
    "最近提交时间",
    "逾期提交",
)


def progress_xlsx(board: ProgressBoard) -> bytes:
    workbook, sheet = new_workbook(f"{board.filters.year}年度填报进度")
    sheet.append([f"{board.filters.year}年度法治政府建设考核填报进度（导出日期 {date_text(board.today)}）"])
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    sheet.append(list(EXPORT_HEADERS))
    for column in range(1, len(EXPORT_HEADERS) + 1):
        cell = sheet.cell(2, column)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="A8201A")
        sheet.column_dimensions[get_column_letter(column)].width = 28 if column == 2 else 12
    for row in board.rows:
        annual_return, department = row.annual_return, row.department
        submitted = annual_return.submitted_at
        sheet.append(
            [
                escape_formula(department.code),
                escape_formula(department.name),
                department.get_kind_display(),
                department.get_level_display(),
                annual_return.get_status_display(),
                row.percent,
                row.filled,
                row.total,
                row.effective_deadline,
                "是" if row.is_overdue else "否",
                row.days_overdue or None,
                timezone.localtime(submitted).replace(tzinfo=None) if submitted else None,
                "是" if annual_return.is_late else "否",
            ]
        )
    sheet.freeze_panes = "C3"
    return workbook_bytes(workbook)
