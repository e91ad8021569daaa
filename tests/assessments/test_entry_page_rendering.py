"""The entry page as rendered: its fixed number of queries, each field's links, and the indicator
fragments it keeps between requests (indicators.templatetags.indicator_fragments)."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from indicators.selectors import framework_tree_cache_clear

from .factories import value_row
from .test_entry import save
from .test_entry_query_independence import a_return_of


def edit_url(annual_return):
    return reverse("assessments:return_edit", args=[annual_return.pk])


def page_of(client, annual_return) -> str:
    html = client.get(edit_url(annual_return)).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


@pytest.mark.django_db
def test_the_entry_page_takes_nine_queries(client, cast, django_assert_num_queries):
    """Session, the user with their department, the return; last year's return; this year's values;
    last year's figures (as figures alone: cheaper than as rows with this year's); narratives;
    evidence counts; the bell's unread count: none per indicator (test_entry_query_independence
    shows that) and none for the framework once its tree is kept."""
    annual_return = a_return_of(cast, first_year=2024, areas=2, per_area=6)
    client.force_login(cast.staff_a)
    client.get(edit_url(annual_return))  # the framework's tree, kept per process once read
    with django_assert_num_queries(9):
        assert client.get(edit_url(annual_return)).status_code == 200


@pytest.mark.django_db
def test_each_field_links_to_its_own_save_evidence_and_history_addresses(client, cast, return_a):
    client.force_login(cast.staff_a)
    html = page_of(client, return_a)
    for code in ("K1", "K2", "K3", "K4"):
        indicator_id = value_row(return_a, code).indicator_id
        save_url = reverse("assessments:value_save", args=[return_a.pk, indicator_id])
        panel_url = reverse("assessments:evidence_indicator_panel", args=[return_a.pk, indicator_id])
        history_url = reverse("assessments:return_history", args=[return_a.pk])
        assert f'action="{save_url}"' in html and f'hx-post="{save_url}"' in html
        assert f'hx-get="{panel_url}"' in html
        assert f'href="{history_url}?indicator={indicator_id}"' in html


@pytest.mark.django_db
def test_a_field_says_when_it_was_last_saved_in_local_time(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    row = value_row(return_a, "K1")
    client.force_login(cast.staff_a)
    html = page_of(client, return_a)
    saved = Template('{{ when|date:"H:i" }}').render(Context({"when": row.updated_at}))
    status = f'<span id="status-{row.indicator_id}" class="lg-save-status text-muted" aria-live="polite">'
    assert f"{status}已保存 {saved}</span>" in html


@pytest.mark.django_db
def test_fragments_kept_from_one_units_page_never_show_on_anothers(client, cast, return_a, return_b):
    """dept_a's page renders the indicators' fixed parts first; dept_b (another kind of unit, other
    values, a field sent back) must see exactly the page it would see with nothing kept."""
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    save(return_a, cast.staff_a, "K2", {"numerator": "48", "denominator": "50"})
    save(return_b, cast.staff_b, "K1", {"state": "not_applicable", "reason": "本镇无行政复议职能"})
    save(return_b, cast.staff_b, "K4", {"value": "否"})
    client.force_login(cast.staff_a)
    page_of(client, return_a)
    client.force_login(cast.staff_b)
    kept = page_of(client, return_b)
    framework_tree_cache_clear()
    fresh = page_of(client, return_b)
    assert kept == fresh
    assert "本镇无行政复议职能" in kept


@pytest.mark.django_db
def test_a_yes_no_shows_the_answer_saved_for_this_return_chosen(client, cast, return_a, return_b):
    save(return_a, cast.staff_a, "K4", {"value": "是"})
    save(return_b, cast.staff_b, "K4", {"value": "否"})
    client.force_login(cast.staff_a)
    page_of(client, return_a)  # the field's form kept with 是 chosen
    client.force_login(cast.staff_b)
    html = page_of(client, return_b)
    pk = value_row(return_b, "K4").indicator_id
    assert f'id="input-{pk}-2" value="否" checked' in html
    assert f'id="input-{pk}-1" value="是">' in html
