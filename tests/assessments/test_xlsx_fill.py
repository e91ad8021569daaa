"""A department's own workbook: download pre-filled, upload, see the diff, confirm, all or nothing."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.excel.common import preview_token, read_preview_token
from assessments.excel.department import department_preview, department_template
from assessments.models import AnnualReturn, ValueChange
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import ReturnNotEditable, StaleReturn
from assessments.services.excel_import import department_import_apply
from indicators.models import ValueType

from .factories import framework_with, open_return, rate_indicator, value_row


def save(annual_return, user, code, raw):
    row = value_row(annual_return, code)
    item = ValueInput(indicator_id=row.indicator_id, raw=raw, expected_version=row.version)
    return indicator_values_save(annual_return=annual_return, inputs=[item], user=user)[0]


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content))["填报表"]


def rows_by_code(sheet) -> dict[str, int]:
    return {sheet.cell(row, 1).value: row for row in range(6, sheet.max_row + 1) if sheet.cell(row, 1).value}


def filled(annual_return, edits: dict[str, dict[str, str]]) -> bytes:
    """The downloaded template with cells changed: {code: {header: text}}."""
    workbook = load_workbook(io.BytesIO(department_template(annual_return)))
    sheet = workbook["填报表"]
    headers = {sheet.cell(5, column).value: column for column in range(1, sheet.max_column + 1)}
    rows = rows_by_code(sheet)
    for code, cells in edits.items():
        for header, text in cells.items():
            sheet.cell(rows[code], headers[header]).value = text
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def changes_of(preview):
    return {change.code: (change.old_text, change.new_text) for change in preview.changes}


# --- the template


def test_the_template_lists_each_applicable_indicator_with_code_name_unit_and_target(cast, return_a):
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert set(rows) == {"K1", "K2", "K3", "K4"}
    k2 = rows["K2"]
    assert sheet.cell(k2, 3).value == "合法性审核率"
    assert sheet.cell(k2, 4).value == "%"
    assert sheet.cell(k2, 6).value == "≥100%"


def test_the_template_carries_current_values_and_rates_as_numerator_and_denominator(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "１２件"})
    save(return_a, cast.staff_a, "K2", {"numerator": "48", "denominator": "50"})
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.cell(rows["K1"], 8).value == "１２件"
    assert (sheet.cell(rows["K2"], 9).value, sheet.cell(rows["K2"], 10).value) == ("48", "50")
    assert sheet.cell(rows["K2"], 8).value is None


def test_the_template_shows_last_years_figures_of_this_department_in_the_last_year_column(cast, return_a):
    last_year = framework_with(
        {"code": "K1", "unit": "件"},
        {"code": "K3", "unit": "万元", "value_type": ValueType.AMOUNT},
        {"code": "K4", "unit": "", "value_type": ValueType.BOOLEAN},
        year=2024,
    )
    rate_indicator(code="K2", group=last_year.indicators.first().group, framework=last_year, order=9)
    save(open_return(cast.dept_a, last_year), cast.staff_a, "K1", {"value": "37"})
    save(open_return(cast.dept_a, last_year), cast.staff_a, "K2", {"numerator": "18", "denominator": "20"})
    save(open_return(cast.dept_a, last_year), cast.staff_a, "K4", {"value": "否"})
    save(open_return(cast.dept_b, last_year), cast.staff_b, "K3", {"value": "99"})  # another unit's
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.cell(5, 7).value == "上年值"
    last_year_column = {code: sheet.cell(row, 7).value for code, row in rows.items()}
    assert last_year_column == {"K1": "37", "K2": "18/20", "K3": None, "K4": "否"}
    assert sheet.cell(rows["K1"], 7).protection.locked  # shown, never read back


def test_the_template_is_protected_except_the_input_cells(cast, return_a):
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.protection.sheet
    assert sheet.cell(5, 1).protection.locked
    assert sheet.cell(rows["K1"], 3).protection.locked
    assert not sheet.cell(rows["K1"], 8).protection.locked
    assert sheet.cell(rows["K1"], 9).protection.locked  # 分子 of a count
    assert not sheet.cell(rows["K2"], 9).protection.locked


def test_the_template_names_the_department_code_and_year(cast, return_a):
    sheet = sheet_of(department_template(return_a))
    assert "单位编码：C002" in sheet.cell(2, 1).value and "考核年度：2025" in sheet.cell(2, 1).value


def test_text_that_looks_like_a_formula_is_written_as_text(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": '=HYPERLINK("http://x")'})
    sheet = sheet_of(department_template(return_a))
    cell = sheet.cell(rows_by_code(sheet)["K1"], 8)
    assert cell.data_type == "s"


def test_the_template_download_is_an_xlsx_with_the_chinese_file_name(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = client.get(reverse("assessments:excel_template", kwargs={"pk": return_a.pk}))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "%E6%B5%8B%E8%AF%95%E5%B8%82%E7%94%B2%E5%B1%80" in response["Content-Disposition"]  # 测试市甲局


# --- reading


def test_an_untouched_template_changes_nothing(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    preview = department_preview(return_a, department_template(return_a))
    assert preview.is_valid and not preview.changes
    assert preview.unchanged == 4 and preview.rows_read == 4


def test_filled_values_become_a_diff_of_old_and_new(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    content = filled(return_a, {"K1": {"本年值": "15件"}, "K2": {"分子": "48", "分母": "50"}})
    preview = department_preview(return_a, content)
    assert preview.is_valid
    assert changes_of(preview) == {"K1": ("12", "15件"), "K2": ("", "48/50")}


def test_numbers_typed_into_excel_as_numbers_are_read_like_the_browser(cast, return_a):
    content = filled(return_a, {"K1": {"本年值": 12}, "K3": {"本年值": 3.25}})
    assert changes_of(department_preview(return_a, content)) == {"K1": ("", "12"), "K3": ("", "3.25")}


def test_the_same_figure_spelled_differently_is_no_change(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12件"})
    assert not department_preview(return_a, filled(return_a, {"K1": {"本年值": 12}})).changes


def test_an_explanation_alone_is_a_change(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"情况说明": "含行政诉讼"}}))
    [change] = preview.changes
    assert change.explanation == "含行政诉讼" and not change.is_value_changed


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        ({"K1": {"本年值": "十二"}}, "阿拉伯数字"),
        ({"K1": {"本年值": "-3"}}, "负数"),
        ({"K2": {"分子": "51", "分母": "50"}}, "不能大于分母"),
        ({"K4": {"本年值": "也许"}}, "“是”或“否”"),
        ({"K2": {"本年值": "96%"}}, "“分子”“分母”两列"),
        ({"K1": {"分子": "3"}}, "不是比率"),
        ({"K1": {"本年值": "12", "情况说明": "长" * 1001}}, "情况说明不能超过"),
    ],
)
def test_each_bad_value_is_a_chinese_row_error_naming_the_indicator(cast, return_a, edits, message):
    preview = department_preview(return_a, filled(return_a, edits))
    assert not preview.is_valid and not preview.changes
    [error] = preview.errors
    assert error.row is not None and message in error.message
    assert next(iter(edits)) in error.message


def test_one_bad_row_rejects_the_whole_file(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"本年值": "12"}, "K3": {"本年值": "abc"}}))
    assert not preview.changes and len(preview.errors) == 1


def _template_with(annual_return, mutate) -> bytes:
    workbook = load_workbook(io.BytesIO(department_template(annual_return)))
    mutate(workbook["填报表"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_unknown_code_is_a_row_error(cast, return_a):
    content = _template_with(return_a, lambda sheet: sheet.append(["Z99", "", "", "", "", "", "", "3"]))
    [error] = department_preview(return_a, content).errors
    assert "Z99" in error.message and "不在本单位" in error.message


def test_a_duplicated_code_is_a_row_error(cast, return_a):
    content = _template_with(return_a, lambda sheet: sheet.append(["K1", "", "", "", "", "", "", "3"]))
    [error] = department_preview(return_a, content).errors
    assert "重复" in error.message


def test_another_departments_file_is_refused(cast, return_a, return_b):
    [error] = department_preview(return_a, department_template(return_b)).errors
    assert "C110" in error.message and "不是测试市甲局" in error.message


def test_wrong_headers_are_refused(cast, return_a):
    content = _template_with(return_a, lambda sheet: setattr(sheet.cell(5, 8), "value", "数值"))
    [error] = department_preview(return_a, content).errors
    assert "本年值" in error.message


# --- applying


def _apply(annual_return, preview, user):
    token = preview_token(preview.changes, user_id=user.pk, scope=f"return:{annual_return.pk}")
    changes = read_preview_token(token, user_id=user.pk, scope=f"return:{annual_return.pk}")
    return department_import_apply(annual_return=annual_return, changes=changes, user=user)


def test_applying_saves_every_change_with_an_import_audit(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"本年值": "15"}, "K2": {"分子": "4", "分母": "5"}}))
    result = _apply(return_a, preview, cast.staff_a)
    assert result.values == 2
    assert value_row(return_a, "K1").value_integer == 15
    assert value_row(return_a, "K2").denominator == 5
    sources = set(ValueChange.objects.filter(annual_return=return_a).values_list("source", flat=True))
    assert sources == {ValueChange.Source.IMPORT}


def test_a_value_saved_in_the_browser_after_the_preview_rolls_back_the_whole_import(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"本年值": "15"}, "K3": {"本年值": "2"}}))
    save(return_a, cast.staff_a, "K3", {"value": "9"})
    with pytest.raises(StaleReturn, match="K3"):
        _apply(return_a, preview, cast.staff_a)
    assert value_row(return_a, "K1").value_integer is None
    assert value_row(return_a, "K3").value_decimal == 9


def test_a_return_submitted_after_the_preview_takes_nothing(cast, return_a):
    preview = department_preview(return_a, filled(return_a, {"K1": {"本年值": "15"}}))
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    with pytest.raises(ReturnNotEditable):
        _apply(return_a, preview, cast.staff_a)
    assert value_row(return_a, "K1").value_integer is None


def test_a_preview_token_is_bound_to_its_user_and_return(cast, return_a):
    token = preview_token((), user_id=cast.staff_a.pk, scope=f"return:{return_a.pk}")
    with pytest.raises(ValueError, match="不符"):
        read_preview_token(token, user_id=cast.staff_b.pk, scope=f"return:{return_a.pk}")
    with pytest.raises(ValueError, match="无效"):
        read_preview_token(token + "x", user_id=cast.staff_a.pk, scope=f"return:{return_a.pk}")


# --- the pages


def test_upload_shows_the_diff_and_confirming_saves(client, cast, return_a):
    client.force_login(cast.staff_a)
    content = filled(return_a, {"K1": {"本年值": "15"}})
    upload = io.BytesIO(content)
    upload.name = "填报表.xlsx"
    response = client.post(reverse("assessments:excel_upload", kwargs={"pk": return_a.pk}), {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "核对导入的修改" in body and "15" in body
    assert value_row(return_a, "K1").value_integer is None  # nothing saved by the preview
    token = response.context["token"]
    response = client.post(reverse("assessments:excel_apply", kwargs={"pk": return_a.pk}), {"token": token})
    assert response.status_code == 302
    assert value_row(return_a, "K1").value_integer == 15


def test_an_upload_with_errors_lists_them_and_answers_400(client, cast, return_a):
    client.force_login(cast.staff_a)
    upload = io.BytesIO(filled(return_a, {"K1": {"本年值": "十二"}}))
    upload.name = "a.xlsx"
    response = client.post(reverse("assessments:excel_upload", kwargs={"pk": return_a.pk}), {"file": upload})
    assert response.status_code == 400
    assert "阿拉伯数字" in response.content.decode()


def test_a_reviewer_cannot_upload_into_a_department_return(client, cast, return_a):
    client.force_login(cast.reviewer)
    upload = io.BytesIO(filled(return_a, {"K1": {"本年值": "15"}}))
    upload.name = "a.xlsx"
    response = client.post(reverse("assessments:excel_upload", kwargs={"pk": return_a.pk}), {"file": upload})
    assert response.status_code == 403


def test_staff_of_another_department_get_404_for_the_template(client, cast, return_a):
    client.force_login(cast.staff_b)
    assert client.get(reverse("assessments:excel_template", kwargs={"pk": return_a.pk})).status_code == 404


def test_after_a_targeted_return_only_the_reopened_indicators_are_open_in_the_template(cast, return_a, framework):
    from assessments.services.workflow import annual_return_send_back

    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = framework.indicators.get(code="K2")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="请核实", indicator_comments={k2.pk: "核实"}
    )
    sheet = sheet_of(department_template(return_a))
    rows = rows_by_code(sheet)
    assert sheet.cell(rows["K1"], 8).protection.locked
    assert not sheet.cell(rows["K2"], 9).protection.locked
