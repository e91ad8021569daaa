"""A figure outside its indicator's scale (满意度 120 on a 0–100分 scale) is refused as it is typed —
in the browser, the department's workbook and the bureau's import — with a Chinese message, and
what was typed is kept as the draft's raw input."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.excel.bulk import bulk_preview, bulk_template
from assessments.excel.department import department_preview
from indicators.models import ValueType

from .factories import framework_with, open_return, value_row
from .test_entry import save
from .test_xlsx_fill import filled

OUTSIDE = "填写的120分超出本指标的取值范围（0分至100分），请核对"


@pytest.fixture
def scored_return(cast):
    framework = framework_with(
        {
            "code": "J1",
            "name": "企业法治化营商环境满意度",
            "value_type": ValueType.AMOUNT,
            "unit": "分",
            "scale_min": Decimal("0"),
            "scale_max": Decimal("100"),
        },
        {"code": "K1", "name": "行政复议案件数", "unit": "件"},
    )
    return open_return(cast.dept_a, framework)


def test_a_score_above_the_scales_maximum_is_refused_and_what_was_typed_is_kept(cast, scored_return):
    outcome = save(scored_return, cast.staff_a, "J1", {"value": "120"})
    row = value_row(scored_return, "J1")
    assert outcome.error == OUTSIDE
    assert row.value_decimal is None and row.raw_input == {"value": "120"} and row.input_error == OUTSIDE


def test_the_scales_maximum_itself_is_a_value(cast, scored_return):
    outcome = save(scored_return, cast.staff_a, "J1", {"value": "100"})
    assert not outcome.error and value_row(scored_return, "J1").value_decimal == 100


def test_a_figure_without_a_scale_is_not_bounded(cast, scored_return):
    outcome = save(scored_return, cast.staff_a, "K1", {"value": "12000"})
    assert not outcome.error and value_row(scored_return, "K1").value_integer == 12000


def test_the_entry_page_explains_the_refused_score_beside_the_field_and_keeps_it(client, cast, scored_return):
    client.force_login(cast.staff_a)
    url = reverse("assessments:value_save", args=[scored_return.pk, value_row(scored_return, "J1").indicator_id])
    html = client.post(url, {"version": "1", "value": "120"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"输入有误：{OUTSIDE}" in html
    page = client.get(reverse("assessments:return_edit", args=[scored_return.pk])).content.decode()
    field = page[page.index("企业法治化营商环境满意度") :]
    assert OUTSIDE in field and 'value="120"' in field


def test_the_departments_workbook_with_a_score_out_of_range_is_a_row_error(cast, scored_return):
    preview = department_preview(scored_return, filled(scored_return, {"J1": {"本年值": "120"}}))
    assert not preview.changes
    [error] = preview.errors
    assert "J1" in error.message and OUTSIDE in error.message


def test_the_bureaus_workbook_with_a_score_out_of_range_is_a_row_error(cast, scored_return):
    workbook = load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))
    sheet = workbook["批量导入"]
    column = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(1, c).value == "J1")
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == cast.dept_a.code)
    sheet.cell(row, column).value = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = bulk_preview(cast.reviewer, 2025, buffer.getvalue())
    assert not preview.changes
    [error] = preview.errors
    assert OUTSIDE in error.message
