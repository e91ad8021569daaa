"""Uploaded spreadsheets are hostile until checked, and exported ones must not run formulas.

One place for both, used by every import (framework, returns, bulk values, survey responses) and
every export (dashboard, results, survey results): `xlsx_safety` (read_upload, check_spreadsheet,
open_workbook, iter_sheet_rows, escape_formula) and `zip_safety` (zip/OLE inspection for xlsx and
evidence files).
"""
