"""Reads of the congress module. `congress_report_data` is the one the congress report uses."""

from .report import CongressReportData, congress_report_data

__all__ = ["CongressReportData", "congress_report_data"]
