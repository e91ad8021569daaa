"""Excel fill (离线填报): pre-filled workbooks out, checked uploads in, shown as a diff before anything
is saved.

    common.py      what both workbooks share: cell text, styles, the diff, errors, the signed preview
    department.py  one department's return: template and reading
    bulk.py        the justice bureau's wide file: one row per department, one column per indicator
    progress.py    the 填报进度 dashboard's rows (a plain export, read only)

Reading never writes; services/excel_import.py applies a previewed diff, all or nothing.
"""
