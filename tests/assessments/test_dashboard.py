"""填报进度: every department's status and completion for the justice bureau, filters, overdue list,
export; bounded queries whatever the number of departments."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Department
from assessments.excel.progress import progress_xlsx
from assessments.models import AnnualReturn
from assessments.selectors.progress import ProgressFilter, progress_board
from assessments.services.entry import ValueInput, indicator_values_save
from tests.factories import DepartmentFactory

from .factories import open_return, value_row

TODAY = datetime.date(2026, 3, 10)  # after the default deadline of 2026-03-01


def fill(annual_return, user, code, raw):
    row = value_row(annual_return, code)
    item = ValueInput(indicator_id=row.indicator_id, raw=raw, expected_version=row.version)
    indicator_values_save(annual_return=annual_return, inputs=[item], user=user)


def board(user, today=TODAY, **filters):
    return progress_board(user, ProgressFilter(year=2025, **filters), today=today)


def row_of(progress, department):
    return next(row for row in progress.rows if row.department == department)


def test_every_department_in_scope_is_listed_with_its_status(cast, return_a, return_b):
    progress = board(cast.reviewer)
    assert {row.department.code for row in progress.rows} == {"C000", "C001", "C002", "C100", "C110"}
    assert progress.status_counts == {"not_started": 5}


def test_a_scoped_reviewer_sees_only_the_branch(cast, return_a, return_b):
    assert {row.department.code for row in board(cast.reviewer_scoped).rows} == {"C100", "C110"}


def test_completion_counts_filled_values(cast, return_a):
    fill(return_a, cast.staff_a, "K1", {"value": "12"})
    fill(return_a, cast.staff_a, "K2", {"numerator": "4", "denominator": "5"})
    row = row_of(board(cast.reviewer), cast.dept_a)
    assert (row.filled, row.total, row.percent) == (2, 4, 50)


def test_an_input_that_does_not_parse_does_not_count_as_filled(cast, return_a):
    fill(return_a, cast.staff_a, "K1", {"value": "十二"})
    assert row_of(board(cast.reviewer), cast.dept_a).filled == 0


def test_unsubmitted_returns_past_the_deadline_are_overdue(cast, return_a, return_b):
    AnnualReturn.objects.filter(pk=return_b.pk).update(status="submitted", first_submitted_at="2026-02-01T00:00Z")
    progress = board(cast.reviewer)
    assert row_of(progress, cast.dept_a).is_overdue and row_of(progress, cast.dept_a).days_overdue == 9
    assert not row_of(progress, cast.dept_b).is_overdue
    assert cast.dept_a in [row.department for row in progress.overdue]


def test_an_extension_moves_the_due_date(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        extended_until=datetime.date(2026, 3, 20), extension_reason="系统故障"
    )
    row = row_of(board(cast.reviewer), cast.dept_a)
    assert not row.is_overdue and row.effective_deadline == datetime.date(2026, 3, 20)


def test_a_returned_return_is_due_by_its_resubmission_date(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        status="returned", first_submitted_at="2026-02-01T00:00Z", resubmit_deadline=datetime.date(2026, 3, 5)
    )
    row = row_of(board(cast.reviewer), cast.dept_a)
    assert row.is_overdue and row.days_overdue == 5


def test_before_the_deadline_nothing_is_overdue(cast, return_a):
    assert not board(cast.reviewer, today=datetime.date(2026, 2, 1)).overdue


@pytest.mark.parametrize(
    ("filters", "codes"),
    [
        ({"kind": Department.Kind.TOWNSHIP}, {"C110"}),
        ({"kind": Department.Kind.GOVERNMENT}, {"C000", "C100"}),
        ({"level": Department.Level.COUNTY}, {"C100"}),
        ({"status": "submitted"}, {"C002"}),
    ],
)
def test_filters_by_kind_level_and_status(cast, return_a, filters, codes):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-02-01T00:00Z")
    assert {row.department.code for row in board(cast.reviewer, **filters).rows} == codes


def test_the_overdue_filter_is_applied_in_the_database(cast, return_a, return_b):
    AnnualReturn.objects.filter(pk=return_b.pk).update(status="submitted", first_submitted_at="2026-02-01T00:00Z")
    codes = {row.department.code for row in board(cast.reviewer, overdue_only=True).rows}
    assert "C110" not in codes and "C002" in codes
    assert all(row.is_overdue for row in board(cast.reviewer, overdue_only=True).rows)


def test_the_board_takes_the_same_number_of_queries_for_5_or_45_departments(
    cast, framework, django_assert_max_num_queries
):
    open_return(cast.dept_a, framework)
    with django_assert_max_num_queries(3) as few:
        board(cast.reviewer)
    for number in range(40):
        DepartmentFactory(code=f"D{number:03d}", parent=cast.city)
    AnnualReturn.objects.all().delete()
    open_return(cast.dept_a, framework)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(board(cast.reviewer).rows) == 45


def test_the_dashboard_page_renders_with_bounded_queries(client, cast, framework, django_assert_max_num_queries):
    for number in range(30):
        DepartmentFactory(code=f"D{number:03d}", parent=cast.city)
    open_return(cast.dept_a, framework)
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:progress_dashboard"), {"year": "2025"})
    assert response.status_code == 200
    assert "测试市甲局" in response.content.decode()


def test_the_page_filters_from_the_query_string(client, cast, return_a):
    client.force_login(cast.congress)
    response = client.get(reverse("assessments:progress_dashboard"), {"year": "2025", "kind": "township"})
    body = response.content.decode()
    assert "测试县乙镇人民政府" in body and "测试市甲局" not in body


def test_congress_staff_see_no_import_button(client, cast, return_a):
    client.force_login(cast.congress)
    body = client.get(reverse("assessments:progress_dashboard")).content.decode()
    assert "批量导入" not in body


def test_department_staff_are_refused(client, cast, return_a):
    client.force_login(cast.staff_a)
    assert client.get(reverse("assessments:progress_dashboard")).status_code == 403
    assert client.get(reverse("assessments:progress_export")).status_code == 403


def test_the_export_holds_the_same_rows_as_the_page(client, cast, return_a):
    fill(return_a, cast.staff_a, "K1", {"value": "12"})
    client.force_login(cast.reviewer)
    response = client.get(reverse("assessments:progress_export"), {"year": "2025", "kind": "department"})
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.cell(2, 1).value == "单位编码"
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    assert set(rows) == {"C001", "C002"}
    assert sheet.cell(rows["C002"], 6).value == 25  # 1 of 4 filled


def test_the_export_escapes_names_that_excel_would_run_as_formulas(cast, return_a):
    Department.objects.filter(pk=cast.dept_a.pk).update(name='=HYPERLINK("http://evil","点我")')
    sheet = load_workbook(io.BytesIO(progress_xlsx(board(cast.reviewer)))).active
    names = [sheet.cell(row, 2).value for row in range(3, sheet.max_row + 1)]
    assert '\'=HYPERLINK("http://evil","点我")' in names
    assert all(sheet.cell(row, 2).data_type == "s" for row in range(3, sheet.max_row + 1))
