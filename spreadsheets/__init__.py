"""Uploaded spreadsheets are hostile until checked, and exported ones must not run formulas.

One place for both, used by every import (framework, returns, bulk values, survey responses) and
every export (dashboard, results, survey results): `xlsx_safety` (read_upload, check_spreadsheet,
open_spreadsheet, iter_sheet_rows, escape_formula), `sheet_stream` (the budgeted streaming reader
under them), `zip_safety` (zip/OLE inspection for xlsx and evidence files) and `admin_import` (the
same checks for django-import-export's admin imports).
"""
