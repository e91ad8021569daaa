"""The results page at province size: a page of the ranking at a time, the export complete."""

import io

import openpyxl
import pytest
from django.urls import reverse

from reviews.services.scoring import score_sheets_rank
from reviews.views.results import RANKING_ROWS_PER_PAGE
from tests.factories import DepartmentFactory
from tests.reviews.test_rankings import sheet

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def many_sheets(cast):
    """More scored units than one page holds; the reviewer's own unit ranks last."""
    count = RANKING_ROWS_PER_PAGE + 30
    for number in range(count):
        sheet(DepartmentFactory(code=f"rk{number:04d}", sort_order=number), YEAR, f"{99 - number * 0.5}")
    sheet(cast.staff_a.department, YEAR, "1")
    score_sheets_rank(year=YEAR)
    return count + 1


def _ranks(response) -> list[int]:
    return [row.rank for row in response.context["page"]]


def test_the_ranking_shows_one_page_of_units_at_a_time(cast, client, many_sheets):
    client.force_login(cast.reviewer)
    response = client.get(reverse("reviews:results", args=[YEAR]), {"page": 1})
    assert _ranks(response) == list(range(1, RANKING_ROWS_PER_PAGE + 1))
    assert "第1/2页" in response.content.decode()


def test_the_second_page_continues_the_ranking(cast, client, many_sheets):
    client.force_login(cast.reviewer)
    response = client.get(reverse("reviews:results", args=[YEAR]), {"page": 2})
    assert _ranks(response)[0] == RANKING_ROWS_PER_PAGE + 1
    assert _ranks(response)[-1] == many_sheets


def test_the_ranking_opens_on_the_page_holding_the_users_own_unit(cast, client, many_sheets):
    client.force_login(cast.reviewer)
    cast.reviewer.department = cast.staff_a.department
    cast.reviewer.save(update_fields=["department"])
    response = client.get(reverse("reviews:results", args=[YEAR]))
    assert response.context["page"].number == 2


def test_the_export_holds_every_unit_not_one_page(cast, client, many_sheets, django_assert_max_num_queries):
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("reviews:results_export", args=[YEAR]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == many_sheets
