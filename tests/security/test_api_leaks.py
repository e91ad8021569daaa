"""The API leaks nothing that is not public: with dept_a's data marked everywhere (tests/security/leaks.py),
every API URL answers without a marker to an anonymous caller and to a token of the county (whose
subtree excludes dept_a), whatever they ask for; a token of the city does see dept_a's figures."""

import pytest
from django.urls import reverse

from tests.api.factories import authorization, token_for
from tests.permission_matrix import ROWS
from tests.test_permission_matrix import _url

from .leaks import MARKERS, leaked_markers, response_text
from .test_cross_department_leaks import _rich_dept_a

API_ROWS = [row for row in ROWS if row.url_name.startswith("api:") and row.method == "GET"]
# What a caller may try to reach dept_a's data with.
QUERIES = (
    {},
    {"unit": "C002"},
    {"year": 2025, "page_size": 500},
    {"year": 2023},
    {"year": 2022},
    {"indicator": "A1.4"},
)


def _unpublished_reports_of_dept_a(cast) -> None:
    """A report of dept_a under 保密审查 and a withdrawn one, with markers in their title, text and
    figures: neither is on the public site, so no API answer may carry them."""
    from publication.models import ReportPublication
    from tests.publication.factories import publication

    marked = {"title": MARKERS["narrative"], "text": MARKERS["narrative"], "figures": {"A1.1": MARKERS["value_text"]}}
    for year, status in ((2023, ReportPublication.Status.REVIEWING), (2022, ReportPublication.Status.WITHDRAWN)):
        publication(cast.dept_a, user=cast.staff_a, year=year, status=status, **marked)


@pytest.mark.parametrize("row", API_ROWS, ids=lambda row: row.id)
def test_no_api_url_shows_dept_as_markers_to_the_public_or_to_a_token_of_another_branch(row, cast, client):
    url = _url(row, cast)
    _rich_dept_a(cast)
    _unpublished_reports_of_dept_a(cast)
    callers = {"anonymous": {}, "county token": authorization(token_for(cast.county))}
    for caller, headers in callers.items():
        for query in QUERIES:
            response = client.get(url, query, **headers)
            assert response.status_code < 500, (caller, url, query)
            assert not leaked_markers(response_text(response)), (caller, url, query)


def test_the_markers_are_really_there_for_a_token_whose_subtree_holds_dept_a(cast, client):
    """The guard of the test above: the same endpoint shows dept_a's text figure to the city's token."""
    _rich_dept_a(cast)
    response = client.get(
        reverse("api:approved_figures"), {"unit": cast.dept_a.code}, **authorization(token_for(cast.city))
    )
    assert MARKERS["value_text"] in leaked_markers(response_text(response))


def test_an_unpublished_report_would_show_its_markers_if_it_were_published(cast, client):
    """The guard of the report rows: the marked figures do reach the open data once published."""
    from publication.models import ReportPublication

    _unpublished_reports_of_dept_a(cast)
    ReportPublication.objects.filter(year=2022).update(status=ReportPublication.Status.PUBLISHED)
    response = client.get(reverse("api:open_data_csv", kwargs={"year": 2022}))
    assert MARKERS["value_text"] in leaked_markers(response_text(response))
