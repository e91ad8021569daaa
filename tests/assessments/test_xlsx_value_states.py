"""Excel, both ways: 不适用 / 暂无数据 with their reason, a rate with one part and 0/0 are written into
the department's workbook and the bureau's wide workbook as themselves and read back the same."""

from assessments.excel.bulk import bulk_preview
from assessments.excel.department import department_preview, department_template

from .test_value_states import save
from .test_xlsx_bulk import apply, wide
from .test_xlsx_fill import changes_of, filled, rows_by_code, sheet_of


def test_the_template_writes_not_applicable_with_its_reason_in_the_figure_cell(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"state": "not_applicable", "reason": "本单位无行政复议职能"})
    save(return_a, cast.staff_a, "K2", {"numerator": "0", "denominator": "0"})
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.cell(rows["K1"], 8).value == "不适用：本单位无行政复议职能"
    assert (sheet.cell(rows["K2"], 9).value, sheet.cell(rows["K2"], 10).value) == ("0", "0")


def test_a_rate_state_goes_in_the_numerator_cell(cast, return_a):
    save(return_a, cast.staff_a, "K2", {"state": "not_applicable", "reason": "不制发规范性文件"})
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.cell(rows["K2"], 9).value == "不适用：不制发规范性文件"
    assert sheet.cell(rows["K2"], 10).value is None


def test_an_unchanged_template_with_states_imports_as_no_change(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"state": "not_applicable", "reason": "无此职能"})
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"})
    preview = department_preview(return_a, department_template(return_a))
    assert preview.errors == () and preview.changes == ()


def test_not_applicable_typed_in_the_fill_workbook_is_read_with_its_reason(cast, return_a):
    content = filled(return_a, {"K1": {"本年值": "不适用：本单位无行政复议职能"}, "K2": {"分母": "71"}})
    preview = department_preview(return_a, content)
    assert preview.errors == ()
    assert changes_of(preview) == {"K1": ("", "不适用（本单位无行政复议职能）"), "K2": ("", "未填/71")}


def test_a_state_without_a_reason_in_the_workbook_is_a_row_error(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"本年值": "不适用"}}))
    assert preview.changes == ()
    assert "须说明原因" in preview.errors[0].message


def test_the_wide_workbook_reads_and_writes_states(cast, return_a, return_b):
    content = wide(cast, {"C002": {"K1": "不适用：无复议职能", "K2.den": "71"}})
    preview = bulk_preview(cast.reviewer, 2025, content)
    assert preview.errors == ()
    apply(preview, cast.reviewer)
    from .factories import value_row

    row = value_row(return_a, "K1")
    assert (row.state, row.state_reason) == ("not_applicable", "无复议职能")
    assert (value_row(return_a, "K2").numerator, value_row(return_a, "K2").denominator) == (None, 71)
    again = bulk_preview(cast.reviewer, 2025, wide(cast, {}))
    assert again.errors == () and again.changes == ()
