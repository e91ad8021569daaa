"""修改记录 (return_history, per return and per indicator): old and new value, who, when and from
where — including Excel imports — for everyone who may see the return, and no one else."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.excel.bulk import bulk_preview, bulk_template
from assessments.excel.common import preview_token, read_preview_token
from assessments.models import AnnualReturn
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.excel_import import bulk_import_apply

from .factories import value_row


def save(annual_return, user, code, raw):
    row = value_row(annual_return, code)
    item = ValueInput(indicator_id=row.indicator_id, raw=raw, expected_version=row.version)
    indicator_values_save(annual_return=annual_return, inputs=[item], user=user)


def history(client, annual_return, **params):
    return client.get(reverse("assessments:return_history", kwargs={"pk": annual_return.pk}), params)


def test_the_return_history_shows_old_value_new_value_user_and_source(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    save(return_a, cast.staff_a, "K1", {"value": "15"})
    client.force_login(cast.reviewer)
    response = history(client, return_a)
    changes = list(response.context["changes"])
    assert [(change.old_value, change.new_value) for change in changes] == [("12", "15"), ("", "12")]
    assert all(change.user == cast.staff_a for change in changes)
    assert "页面填报" in response.content.decode()


def test_the_indicator_history_lists_only_that_indicator(client, cast, return_a, framework):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    save(return_a, cast.staff_a, "K3", {"value": "2"})
    client.force_login(cast.staff_a)
    k1 = framework.indicators.get(code="K1")
    response = history(client, return_a, indicator=k1.pk)
    assert {change.indicator_id for change in response.context["changes"]} == {k1.pk}


def test_an_excel_import_appears_with_its_source_and_the_importer(client, cast, return_a):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(bulk_template(cast.reviewer, 2025)))
    sheet = workbook.active
    headers = {sheet.cell(1, column).value: column for column in range(1, sheet.max_column + 1)}
    row = next(row for row in range(3, sheet.max_row + 1) if sheet.cell(row, 1).value == "C002")
    sheet.cell(row, headers["K1"]).value = 9
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = bulk_preview(cast.reviewer, 2025, buffer.getvalue())
    token = preview_token(preview.changes, user_id=cast.reviewer.pk, scope="bulk:2025")
    changes = read_preview_token(token, user_id=cast.reviewer.pk, scope="bulk:2025")
    bulk_import_apply(year=2025, changes=changes, user=cast.reviewer)
    client.force_login(cast.staff_a)
    response = history(client, return_a)
    [change] = response.context["changes"]
    assert (change.new_value, change.user, change.source) == ("9", cast.reviewer, "import")
    assert "Excel 导入" in response.content.decode()


def test_status_changes_are_listed_on_the_return_history(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    client.force_login(cast.staff_a)
    body = history(client, return_a).content.decode()
    assert "未开始 → 填报中" in body


@pytest.mark.parametrize("role", ["staff_b", "reviewer_scoped"])
def test_users_who_may_not_see_the_return_get_404(client, cast, return_a, role):
    client.force_login(cast.user(role))
    assert history(client, return_a).status_code == 404


@pytest.mark.parametrize("role", ["staff_a", "reviewer", "congress", "admin"])
def test_users_who_may_see_the_return_see_its_history(client, cast, return_a, role):
    # Congress staff read a return from its submission on (a draft answers them 404).
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, first_submitted_at=timezone.now()
    )
    client.force_login(cast.user(role))
    assert history(client, return_a).status_code == 200


def test_congress_staff_do_not_see_the_history_of_a_draft(client, cast, return_a):
    client.force_login(cast.congress)
    assert history(client, return_a).status_code == 404


def test_an_indicator_of_another_framework_gets_404(client, cast, return_a):
    from tests.indicators.factories import IndicatorFactory

    client.force_login(cast.staff_a)
    assert history(client, return_a, indicator=IndicatorFactory().pk).status_code == 404


def test_the_history_takes_a_bounded_number_of_queries(client, cast, return_a, django_assert_max_num_queries):
    for number in range(30):
        save(return_a, cast.staff_a, "K1", {"value": str(number)})
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(12):  # 10 + the cross-unit read audit event + the count for 共N条
        assert history(client, return_a).status_code == 200
