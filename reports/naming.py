"""Titles and download names of reports, so the list, the file and the document agree."""

from accounts.models import Department

from .models import ReportKind, ReportRun


def report_title(*, kind: str, year: int, department: Department | None) -> str:
    if kind in (ReportKind.DEPARTMENT_ANNUAL, ReportKind.GOVERNMENT_ANNUAL) and department is not None:
        return f"{department.name}关于{year}年度法治政府建设情况的报告"
    if kind == ReportKind.CONGRESS_SURVEY:
        return f"关于{year}年度法治政府建设情况的调研报告"
    if kind == ReportKind.RESULTS_NOTICE:
        return f"关于{year}年度法治政府建设考核结果的通报"
    return f"{year}年度{ReportKind(kind).label}"


def download_name(run: ReportRun, extension: str) -> str:
    title = report_title(kind=run.kind, year=run.year, department=run.department)
    suffix = "（定稿）" if run.is_final else f"（第{run.edition}版）"
    return f"{title}{suffix}.{extension}"
