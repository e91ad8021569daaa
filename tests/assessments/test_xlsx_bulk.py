"""The justice bureau's wide import: one row per department, one column per indicator code."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.excel.bulk import bulk_preview, bulk_template, importable_returns
from assessments.excel.common import preview_token, read_preview_token
from assessments.models import AnnualReturn, ReturnTransition, ValueChange
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import StaleReturn
from assessments.services.excel_import import ExcelImportRefused, bulk_import_apply

from .factories import value_row


def wide(cast, edits: dict[str, dict[str, object]], *, user=None, extra_header: str | None = None) -> bytes:
    """The reviewer's downloaded wide template with cells changed: {department code: {header: value}}."""
    workbook = load_workbook(io.BytesIO(bulk_template(user or cast.reviewer, 2025)))
    sheet = workbook["批量导入"]
    headers = {sheet.cell(1, column).value: column for column in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    if extra_header:
        sheet.cell(1, sheet.max_column + 1).value = extra_header
    for code, cells in edits.items():
        for header, value in cells.items():
            sheet.cell(rows[code], headers[header]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def apply(preview, user):
    token = preview_token(preview.changes, user_id=user.pk, scope="bulk:2025")
    changes = read_preview_token(token, user_id=user.pk, scope="bulk:2025")
    return bulk_import_apply(year=2025, changes=changes, user=user)


def test_the_template_has_a_row_per_department_in_scope_and_rate_columns_split(cast, return_a, return_b):
    sheet = load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))["批量导入"]
    headers = [sheet.cell(1, column).value for column in range(1, sheet.max_column + 1)]
    assert headers[:4] == ["单位编码", "单位名称", "单位类型", "状态"]
    assert {"K1", "K2.num", "K2.den", "K3", "K4"} <= set(headers)
    assert "K2" not in headers
    # Every unit in scope but the reviewer's own (the justice bureau, C001).
    assert [sheet.cell(row, 1).value for row in range(3, sheet.max_row + 1)] == ["C000", "C002", "C100", "C110"]


def test_a_scoped_reviewer_gets_only_departments_in_scope(cast, return_a, return_b):
    assert [r.department.code for r in importable_returns(cast.reviewer_scoped, 2025)] == ["C100", "C110"]


def test_a_reviewer_never_imports_into_their_own_units_return(cast, framework):
    from .factories import open_return

    open_return(cast.justice_bureau, framework)
    assert cast.justice_bureau.code not in {r.department.code for r in importable_returns(cast.reviewer, 2025)}


def test_department_staff_and_congress_import_nothing(cast, return_a):
    assert not importable_returns(cast.staff_a, 2025).exists()
    assert not importable_returns(cast.congress, 2025).exists()


def test_changes_across_departments_become_one_diff(cast, return_a, return_b):
    content = wide(cast, {"C002": {"K1": 7, "K2.num": "9", "K2.den": "10"}, "C110": {"K1": "3件"}})
    preview = bulk_preview(cast.reviewer, 2025, content)
    assert preview.is_valid
    assert {(c.department, c.code, c.old_text, c.new_text) for c in preview.changes} == {
        ("测试市甲局", "K1", "", "7"),
        ("测试市甲局", "K2", "", "9/10"),
        ("测试县乙镇人民政府", "K1", "", "3件"),
    }


def test_applying_writes_every_department_with_an_import_audit_and_starts_their_returns(cast, return_a, return_b):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K1": 3}}))
    result = apply(preview, cast.reviewer)
    assert (result.returns, result.values) == (2, 2)
    assert value_row(return_a, "K1").value_integer == 7 and value_row(return_b, "K1").value_integer == 3
    assert value_row(return_a, "K1").raw_input == {"value": "7"}
    assert (value_row(return_a, "K1").version, value_row(return_a, "K1").updated_by) == (2, cast.reviewer)
    change = ValueChange.objects.get(annual_return=return_a)
    assert (change.source, change.user, change.old_value, change.new_value) == ("import", cast.reviewer, "", "7")
    return_a.refresh_from_db()
    assert return_a.status == AnnualReturn.Status.IN_PROGRESS
    assert ReturnTransition.objects.filter(annual_return=return_a, action="start", user=cast.reviewer).exists()


def test_row_errors_name_the_row_department_and_indicator_and_nothing_is_applied(cast, return_a, return_b):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K2.num": "5", "K2.den": "4"}}))
    assert not preview.changes
    [error] = preview.errors
    assert error.row == 6 and "测试县乙镇人民政府" in error.message and "K2" in error.message


def test_an_unknown_department_code_is_a_row_error(cast, return_a):
    def add_row(sheet):
        sheet.append(["X999", "", "", "", 5])

    workbook = load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))
    add_row(workbook["批量导入"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [error] = bulk_preview(cast.reviewer, 2025, buffer.getvalue()).errors
    assert "X999" in error.message


def test_a_department_outside_a_scoped_reviewers_scope_is_refused(cast, return_a, return_b):
    content = wide(cast, {"C002": {"K1": 7}})
    errors = bulk_preview(cast.reviewer_scoped, 2025, content).errors
    assert any("C002" in error.message and "范围" in error.message for error in errors)


def test_an_unknown_column_is_a_file_error(cast, return_a):
    [error] = bulk_preview(cast.reviewer, 2025, wide(cast, {}, extra_header="Q77")).errors
    assert "Q77" in error.message and error.row == 1


def test_a_rate_in_one_column_is_a_file_error(cast, return_a):
    [error] = bulk_preview(cast.reviewer, 2025, wide(cast, {}, extra_header="K2")).errors
    assert "K2.num" in error.message


def test_a_submitted_department_cannot_be_changed_by_import(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    [error] = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}})).errors
    assert "已提交" in error.message and "退回" in error.message


def test_a_submitted_department_whose_row_is_unchanged_is_no_error(cast, return_a, return_b):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C110": {"K1": 1}}))
    assert preview.is_valid and len(preview.changes) == 1


def test_a_conflicting_browser_save_rolls_back_every_department(cast, return_a, return_b):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K1": 3}}))
    row = value_row(return_b, "K1")
    indicator_values_save(
        annual_return=return_b,
        inputs=[ValueInput(indicator_id=row.indicator_id, raw={"value": "1"}, expected_version=row.version)],
        user=cast.staff_b,
    )
    with pytest.raises(StaleReturn, match="测试县乙镇人民政府"):
        apply(preview, cast.reviewer)
    assert value_row(return_a, "K1").value_integer is None
    assert not ValueChange.objects.filter(source="import").exists()


def test_a_return_submitted_between_preview_and_confirmation_refuses_the_import(cast, return_a):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}}))
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    with pytest.raises(ExcelImportRefused, match="已提交"):
        apply(preview, cast.reviewer)


def test_a_forged_preview_for_a_department_outside_scope_is_refused(cast, return_a):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}}))
    with pytest.raises(ExcelImportRefused, match="范围"):
        apply(preview, cast.reviewer_scoped)


def test_the_pages_preview_then_apply(client, cast, return_a):
    client.force_login(cast.reviewer)
    upload = io.BytesIO(wide(cast, {"C002": {"K1": 7}}))
    upload.name = "批量.xlsx"
    response = client.post(reverse("assessments:bulk_import_upload"), {"file": upload, "year": "2025"})
    assert response.status_code == 200 and "测试市甲局" in response.content.decode()
    token = response.context["token"]
    response = client.post(reverse("assessments:bulk_import_apply"), {"token": token, "year": "2025"})
    assert response.status_code == 302
    assert value_row(return_a, "K1").value_integer == 7


def test_department_staff_cannot_open_the_bulk_import(client, cast, return_a):
    client.force_login(cast.staff_a)
    assert client.get(reverse("assessments:bulk_import")).status_code == 403


def test_a_large_wide_file_previews_in_bounded_queries(cast, framework, django_assert_max_num_queries):
    from tests.factories import DepartmentFactory

    from .factories import open_return

    for number in range(40):
        open_return(DepartmentFactory(code=f"D{number:03d}", parent=cast.city), framework)
    content = bulk_template(cast.reviewer, 2025)
    with django_assert_max_num_queries(15):
        preview = bulk_preview(cast.reviewer, 2025, content)
    assert preview.is_valid and preview.rows_read == 44


def test_after_a_targeted_return_only_the_reopened_indicators_are_open_in_the_wide_template(cast, return_a, framework):
    from assessments.services.workflow import annual_return_send_back

    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = framework.indicators.get(code="K2")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="请核实", indicator_comments={k2.pk: "核实"}
    )
    sheet = load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))["批量导入"]
    headers = {sheet.cell(1, column).value: column for column in range(1, sheet.max_column + 1)}
    row = next(row for row in range(3, sheet.max_row + 1) if sheet.cell(row, 1).value == "C002")
    assert sheet.cell(row, headers["K1"]).protection.locked
    assert not sheet.cell(row, headers["K2.num"]).protection.locked


def test_a_targeted_return_refuses_changes_to_indicators_not_reopened(cast, return_a, framework):
    from assessments.services.workflow import annual_return_send_back

    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = framework.indicators.get(code="K2")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="请核实", indicator_comments={k2.pk: "核实"}
    )
    [error] = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}})).errors
    assert "只退回了部分指标" in error.message
