"""The entry page's queries do not depend on the number of indicators: a return of 10 indicators
and one of 100 (each with last year's return filled in, and values of its own) take exactly the
same number of queries. A bound alone would pass as long as 100 indicators fit under it; the equal
count is what shows there is no query per indicator, per area or per last-year value."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services.entry import ValueInput, indicator_values_save
from indicators.models import ValueType
from indicators.selectors import framework_tree_cache_clear

from .factories import AreaFactory, FrameworkFactory, GroupFactory, IndicatorFactory, open_return, rate_indicator

KINDS = (
    {"value_type": ValueType.COUNT},
    {"value_type": ValueType.AMOUNT, "unit": "万元"},
    {"value_type": ValueType.BOOLEAN, "unit": ""},
    {"value_type": ValueType.SINGLE_CHOICE, "options": ["甲", "乙"]},
    {"value_type": ValueType.TEXT, "unit": ""},
)
TYPED = {
    ValueType.COUNT: {"value": "5"},
    ValueType.AMOUNT: {"value": "3.5"},
    ValueType.BOOLEAN: {"value": "是"},
    ValueType.SINGLE_CHOICE: {"value": "甲"},
    ValueType.TEXT: {"value": "已落实"},
    ValueType.RATE: {"numerator": "9", "denominator": "10"},
}


def framework_of(year: int, *, areas: int, per_area: int):
    """`areas` × `per_area` indicators of every fillable kind, a rate every sixth."""
    framework = FrameworkFactory(year=year)
    for area_number in range(areas):
        group = GroupFactory(area=AreaFactory(framework=framework, order=area_number))
        for number in range(per_area):
            code = f"Q{area_number}.{number}"
            if number % 6 == 0:
                rate_indicator(group=group, framework=framework, code=code)
            else:
                IndicatorFactory(group=group, framework=framework, code=code, **KINDS[number % 5])
    return framework


def filled(annual_return, user, *, every: int = 1):
    """Every `every`-th row given a value of its type, in one save."""
    rows = annual_return.values.select_related("indicator").order_by("indicator__code")
    inputs = [
        ValueInput(indicator_id=row.indicator_id, raw=TYPED[row.indicator.value_type], expected_version=row.version)
        for position, row in enumerate(rows)
        if position % every == 0
    ]
    indicator_values_save(annual_return=annual_return, inputs=inputs, user=user)
    return annual_return


def a_return_of(cast, *, first_year: int, areas: int, per_area: int):
    """dept_a's return of `first_year + 1`, beside last year's, both filled in part or whole."""
    filled(open_return(cast.dept_a, framework_of(first_year, areas=areas, per_area=per_area)), cast.staff_a)
    current = open_return(cast.dept_a, framework_of(first_year + 1, areas=areas, per_area=per_area))
    return filled(current, cast.staff_a, every=3)


def queries_of_entry_page(client, annual_return) -> list[str]:
    """The statements of one GET of the entry page, numbers blanked so that two returns compare."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("assessments:return_edit", args=[annual_return.pk]))
    assert response.status_code == 200
    return sorted(re.sub(r"\d+", "N", query["sql"]) for query in captured.captured_queries)


def shape_difference(small: list[str], big: list[str]) -> str:
    return "\n".join(f"{'+' if q in big else '-'} {q[:300]}" for q in sorted(set(small) ^ set(big)))


@pytest.mark.django_db
def test_the_entry_page_takes_as_many_queries_for_100_indicators_as_for_10(client, cast, django_assert_num_queries):
    small = a_return_of(cast, first_year=2024, areas=2, per_area=5)
    big = a_return_of(cast, first_year=2026, areas=5, per_area=20)
    assert (small.values.count(), big.values.count()) == (10, 100)
    client.force_login(cast.staff_a)
    client.get(reverse("accounts:home"))  # the session and the user, loaded once for both
    # Framework trees are cached per process once read: compare visits with the cache empty, then
    # with it full, so neither the cache nor its absence hides a per-indicator query.
    framework_tree_cache_clear()
    small_first = queries_of_entry_page(client, small)
    framework_tree_cache_clear()
    with django_assert_num_queries(len(small_first)):
        big_html = client.get(reverse("assessments:return_edit", args=[big.pk])).content.decode()
    assert big_html.count('class="lg-code"') == 100
    assert "上年：5件" in big_html  # last year's values were read, not skipped
    queries_of_entry_page(client, small)  # its trees again, after the clear above
    small_again, big_again = queries_of_entry_page(client, small), queries_of_entry_page(client, big)
    assert small_again == big_again, shape_difference(small_again, big_again)
