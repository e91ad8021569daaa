"""情况说明 over 1,000 characters is refused (not cut while the page said 已保存); the typed text
stays in the box (the reply never replaces the field), the 须填写 mark goes once it is filled, and
the submit page names the indicator of every warning it lists."""

from django.urls import reverse

from assessments.models import ValueChange

from .conftest import COMPLETE, fill_narratives
from .factories import value_row
from .test_entry import save

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(client, annual_return, code, data):
    row = value_row(annual_return, code)
    url = reverse("assessments:value_save", args=[annual_return.pk, row.indicator_id])
    return client.post(url, {"version": str(row.version), **data}, **HTMX)


def test_an_explanation_over_the_limit_is_refused_and_nothing_is_saved(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = _post(client, return_a, "K1", {"value": "12", "explanation": "说" * 1001})
    assert response.status_code == 422
    assert "未保存：情况说明不能超过 1000 字（现为 1001 字）" in response.content.decode()
    row = value_row(return_a, "K1")
    assert (row.explanation, row.value_integer, row.version) == ("", None, 1)
    assert not ValueChange.objects.filter(annual_return=return_a).exists()


def test_an_explanation_of_exactly_the_limit_is_saved_whole(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = _post(client, return_a, "K1", {"value": "12", "explanation": "说" * 1000})
    assert response.status_code == 200
    assert value_row(return_a, "K1").explanation == "说" * 1000


def test_the_refusal_does_not_replace_the_field_so_the_typed_text_stays(client, cast, return_a):
    client.force_login(cast.staff_a)
    html = _post(client, return_a, "K1", {"value": "12", "explanation": "说" * 1200}).content.decode()
    assert "<textarea" not in html and 'id="ind-' not in html


def test_the_must_explain_mark_goes_once_the_explanation_is_saved(client, cast, return_a):
    client.force_login(cast.staff_a)
    warned = _post(client, return_a, "K1", {"value": "2000"}).content.decode()
    assert 'id="explain-mark-' in warned and "（须填写）" in warned
    explained = _post(client, return_a, "K1", {"value": "2000", "explanation": "专项行动集中受理"}).content.decode()
    assert 'id="explain-mark-' in explained and "（须填写）" not in explained


def test_the_submit_page_names_the_indicator_of_an_explained_warning(client, cast, return_a):
    for code, raw in COMPLETE.items():
        save(return_a, cast.staff_a, code, raw)
    save(return_a, cast.staff_a, "K1", {"value": "2000"}, explanation="专项行动集中受理")
    fill_narratives(return_a)
    client.force_login(cast.staff_a)
    html = client.get(reverse("assessments:return_submit", args=[return_a.pk])).content.decode()
    section = html[html.index("提醒（已说明或无需说明）") :]
    assert "K1 行政复议案件数</a>：" in section
