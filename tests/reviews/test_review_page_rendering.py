"""The review page's rows are indicator fragments (indicators.templatetags.indicator_fragments): what
depends on the indicator alone is kept between requests, the return's figures, scores and links are
rendered afresh. A page rendered from kept parts must be the page rendered with nothing kept."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.selectors import framework_tree_cache_clear
from reviews.services.review import review_score_save

from .factories import indicator, judge, submitted_return


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)


def review_page(client, annual_return) -> str:
    return _without_tokens(client.get(reverse("reviews:review", args=[annual_return.pk])).content.decode())


@pytest.fixture
def reviewed_a(cast, return_a):
    """dept_a's return with its judgement item scored and a figure scored below the rules' points."""
    judge(return_a, cast.reviewer)
    review_score_save(
        annual_return=return_a,
        indicator=indicator(return_a.framework, "A1.3"),
        user=cast.reviewer,
        points=Decimal("1"),
        reason="述法名单不全",
        verified_raw={"numerator": "45", "denominator": "50"},
    )
    return return_a


@pytest.fixture
def unreviewed_b(cast, framework):
    """dept_b's return, other figures (one below its target), nothing scored."""
    return submitted_return(
        cast.dept_b,
        cast.staff_b,
        framework,
        **{"A1.1": {"value": "1"}, "A1.3": {"numerator": "40", "denominator": "50"}},
    )


@pytest.mark.parametrize("first", ["reviewed_a", "unreviewed_b"])
def test_rows_kept_from_one_units_review_page_never_show_on_anothers(cast, client, reviewed_a, unreviewed_b, first):
    returns = {"reviewed_a": reviewed_a, "unreviewed_b": unreviewed_b}
    second = returns["unreviewed_b" if first == "reviewed_a" else "reviewed_a"]
    client.force_login(cast.reviewer)
    review_page(client, returns[first])

    kept = review_page(client, second)
    framework_tree_cache_clear()

    assert kept == review_page(client, second)


def test_a_read_only_review_page_after_a_scoring_one_is_the_page_with_nothing_kept(cast, client, reviewed_a):
    client.force_login(cast.reviewer)
    review_page(client, reviewed_a)
    client.force_login(cast.admin)

    kept = review_page(client, reviewed_a)
    framework_tree_cache_clear()

    assert kept == review_page(client, reviewed_a)
    assert 'name="points"' not in kept and "述法名单不全" in kept


def test_a_refused_htmx_score_after_the_page_keeps_what_was_typed_as_with_nothing_kept(cast, client, reviewed_a):
    client.force_login(cast.reviewer)
    a13 = indicator(reviewed_a.framework, "A1.3")
    url = reverse("reviews:score", kwargs={"pk": reviewed_a.pk, "indicator_pk": a13.pk})
    typed = {"verified_numerator": "44", "verified_denominator": "50", "points": "9", "reason": "试填"}
    review_page(client, reviewed_a)

    kept = _without_tokens(client.post(url, typed, HTTP_HX_REQUEST="true").content.decode())
    framework_tree_cache_clear()

    assert kept == _without_tokens(client.post(url, typed, HTTP_HX_REQUEST="true").content.decode())
    assert 'value="44"' in kept and 'value="试填"' in kept and 'role="alert"' in kept
