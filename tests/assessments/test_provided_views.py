"""The provider's pages (grid, save endpoint, workbook round trip, disputes) and what units and
reviewers see of provided figures."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.excel.provided import provided_template
from assessments.models import ProvidedValue, ProvidedValueDispute, ValueChange
from assessments.services.provided import ProvidedInput, provided_values_save

from . import hostile_files as hostile
from .factories import value_row


def provide(court, user, annual_return, code, part, text):
    indicator_id = value_row(annual_return, code).indicator_id
    existing = ProvidedValue.objects.filter(annual_return=annual_return, indicator_id=indicator_id).first()
    item = ProvidedInput(annual_return.pk, indicator_id, part, text, existing.version if existing else 0)
    return provided_values_save(provider=court, inputs=[item], user=user)[0]


def post_cells(client, cells):
    return client.post(
        reverse("assessments:provided_save"), json.dumps({"cells": cells}), content_type="application/json"
    )


def dispute_url(annual_return):
    indicator_id = value_row(annual_return, "K1").indicator_id
    return reverse("assessments:provided_dispute_raise", args=[annual_return.pk, indicator_id])


def cell(annual_return, code, part, text, version=0):
    return {"r": annual_return.pk, "i": value_row(annual_return, code).indicator_id, "p": part, "t": text, "v": version}


def test_the_grid_shows_a_row_per_unit_and_a_column_per_provided_figure(client, court_user, provided_return_a):
    client.force_login(court_user)
    page = client.get(reverse("assessments:provided_grid")).content.decode()
    assert "测试市甲局" in page and "测试县乙镇人民政府" in page
    assert "K2.den" in page and "开庭件数" in page
    assert "行政复议案件数" not in page  # K3 is the units' own


def test_the_grid_costs_twelve_queries_whatever_the_number_of_units(
    client, court, court_user, provided_return_a, provided_return_b, django_assert_max_num_queries
):
    """Session, user, department; years; the department tree (scope); returns; submission; applicable
    values; provided values; open disputes; the dispute list; the bell."""
    for annual_return in (provided_return_a, provided_return_b):
        provide(court, court_user, annual_return, "K1", "value", "3")
    client.force_login(court_user)
    url = reverse("assessments:provided_grid")
    client.get(url)  # the framework's tree, kept per process once read
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('value="3"') == 2


def test_the_grid_shows_a_saved_unreadable_cell_with_its_error(client, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "十二")
    client.force_login(court_user)
    page = client.get(reverse("assessments:provided_grid")).content.decode()
    assert 'value="十二"' in page and "阿拉伯数字" in page


def test_a_pasted_block_is_saved_in_one_request(client, court_user, provided_return_a, provided_return_b):
    client.force_login(court_user)
    response = post_cells(
        client, [cell(provided_return_a, "K1", "value", "4"), cell(provided_return_b, "K1", "value", "7")]
    )
    assert response.status_code == 200
    assert [item["ok"] for item in response.json()["cells"]] == [True, True]
    assert value_row(provided_return_b, "K1").value_integer == 7


def test_a_stale_cell_answers_409_with_the_stored_value_and_the_name_of_who_saved_it(
    client, court, court_user, provided_return_a
):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    client.force_login(court_user)
    response = post_cells(client, [cell(provided_return_a, "K1", "value", "15", version=0)])
    result = response.json()["cells"][0]
    assert response.status_code == 409
    assert (result["conflict"], result["theirs"], result["v"]) == (True, "12", 1)
    assert value_row(provided_return_a, "K1").value_integer == 12


def test_a_cell_outside_the_providers_indicators_is_refused_in_chinese(client, court_user, provided_return_a):
    client.force_login(court_user)
    response = post_cells(client, [cell(provided_return_a, "K3", "value", "5")])
    assert response.status_code == 403
    assert "不由本单位提供" in response.json()["error"]


def upload(client, content, name="提供数据.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("assessments:provided_xlsx_upload"), {"file": file, "year": "2025"})


def filled_template(court, edits):
    workbook = load_workbook(io.BytesIO(provided_template(court, 2025)))
    sheet = workbook["提供数据"]
    headers = {sheet.cell(1, column).value: column for column in range(1, sheet.max_column + 1)}
    rows = {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}
    for code, cells in edits.items():
        for header, value in cells.items():
            sheet.cell(rows[code], headers[header]).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_uploaded_workbook_is_previewed_then_applied_whole(client, court, court_user, provided_return_a):
    client.force_login(court_user)
    preview = upload(client, filled_template(court, {"C002": {"K1": 9, "K2.den": 20}}))
    page = preview.content.decode()
    assert preview.status_code == 200 and "测试市甲局" in page
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    applied = client.post(reverse("assessments:provided_xlsx_apply"), {"token": token, "year": "2025"})
    assert applied.status_code == 302
    assert value_row(provided_return_a, "K1").value_integer == 9
    assert value_row(provided_return_a, "K2").denominator == 20
    assert ValueChange.objects.filter(source=ValueChange.Source.IMPORT, annual_return=provided_return_a).count() == 2


def test_an_upload_with_an_error_lists_it_by_row_in_chinese_and_saves_nothing(
    client, court, court_user, provided_return_a
):
    client.force_login(court_user)
    response = upload(client, filled_template(court, {"C002": {"K1": "十二"}, "C110": {"K1": 3}}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 " in page and "测试市甲局 K1" in page and "阿拉伯数字" in page
    assert not ProvidedValue.objects.exists()


def test_a_change_made_in_the_grid_after_the_preview_makes_the_apply_refuse_everything(
    client, court, court_user, provided_return_a, provided_return_b
):
    client.force_login(court_user)
    page = upload(client, filled_template(court, {"C002": {"K1": 9}, "C110": {"K1": 3}})).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    provide(court, court_user, provided_return_b, "K1", "value", "5")
    response = client.post(reverse("assessments:provided_xlsx_apply"), {"token": token, "year": "2025"})
    assert response.status_code == 409
    assert value_row(provided_return_a, "K1").value_integer is None
    assert value_row(provided_return_b, "K1").value_integer == 5


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (hostile.billion_laughs, "实体"),
        (lambda: hostile.zip_bomb(100), "压缩炸弹"),
        (lambda: hostile.encrypted(hostile.xlsx_bytes()), "密码"),
        (lambda: hostile.macro_enabled(hostile.xlsx_bytes()), "宏"),
    ],
    ids=["billion_laughs", "zip_bomb", "encrypted", "macro_enabled"],
)
def test_a_hostile_workbook_is_refused_with_the_shared_limits(build, message, client, court_user, provided_return_a):
    client.force_login(court_user)
    response = upload(client, build())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProvidedValue.objects.exists()


def test_the_unit_sees_a_provided_value_read_only_with_its_source(client, cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    client.force_login(cast.staff_a)
    page = client.get(reverse("assessments:return_edit", args=[provided_return_a.pk])).content.decode()
    field = page.split('id="ind-' + str(value_row(provided_return_a, "K1").indicator_id) + '"', 1)[1]
    field = field.split("<form", 1)[0]  # up to the next indicator's form
    assert "数据来源：市中级人民法院" in field and "12" in field
    assert "<input" not in field and "<form" not in field
    assert "提出异议" in field


def test_the_unit_disputes_with_a_reason_and_a_file(client, cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    client.force_login(cast.staff_a)
    file = io.BytesIO(hostile.PDF_BYTES)
    file.name = "判决书.pdf"
    url = reverse(
        "assessments:provided_dispute_raise",
        args=[provided_return_a.pk, value_row(provided_return_a, "K1").indicator_id],
    )
    response = client.post(url, {"reason": "实际 10 件", "file": file})
    dispute = ProvidedValueDispute.objects.get()
    assert response.status_code == 302
    assert (dispute.reason, dispute.evidence.original_name, dispute.value_text) == ("实际 10 件", "判决书.pdf", "12")


def test_a_dispute_without_a_reason_keeps_the_page_with_a_chinese_error(
    client, cast, court, court_user, provided_return_a
):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    client.force_login(cast.staff_a)
    url = reverse(
        "assessments:provided_dispute_raise",
        args=[provided_return_a.pk, value_row(provided_return_a, "K1").indicator_id],
    )
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_the_provider_downloads_the_disputes_file_and_answers(client, cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    client.force_login(cast.staff_a)
    file = io.BytesIO(hostile.PDF_BYTES)
    file.name = "判决书.pdf"
    url = reverse(
        "assessments:provided_dispute_raise",
        args=[provided_return_a.pk, value_row(provided_return_a, "K1").indicator_id],
    )
    client.post(url, {"reason": "实际 10 件", "file": file})
    dispute = ProvidedValueDispute.objects.get()
    client.force_login(court_user)
    download = client.get(reverse("assessments:provided_dispute_evidence", args=[dispute.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == hostile.PDF_BYTES
    answer = client.post(
        reverse("assessments:provided_dispute_answer", args=[dispute.pk]),
        {"decision": "correct", "answer": "经核对更正", "value": "10"},
    )
    assert answer.status_code == 302
    assert value_row(provided_return_a, "K1").value_integer == 10


def test_the_review_page_shows_the_units_own_figure_beside_the_provided_one_and_flags_the_gap(
    client, cast, court, court_user, provided_return_a
):
    from assessments.models import AnnualReturn, IndicatorValue

    IndicatorValue.objects.filter(annual_return=provided_return_a, indicator__code="K1").update(
        value_integer=9, raw_input={"value": "9"}
    )
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, first_submitted_at="2026-02-01T00:00:00Z"
    )
    client.force_login(cast.reviewer)
    page = client.get(reverse("reviews:review", args=[provided_return_a.pk])).content.decode()
    assert "单位自报：9" in page and "相差 33.33%" in page and "数据来源：市中级人民法院" in page
