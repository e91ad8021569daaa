"""Pages: numbered pages with a count for lists, a cursor for figures; at most 500 rows a page."""

import pytest
from django.urls import reverse

from accounts.models import Department
from tests.factories import DepartmentFactory
from tests.reviews import factories as rf

from .factories import authorization, token_for


@pytest.fixture
def many_units(cast):
    for n in range(12):
        DepartmentFactory(code=f"P{n:03d}", name=f"翻页单位{n}", parent=cast.city)


def test_units_come_in_numbered_pages_of_the_size_asked(many_units, api):
    active = Department.objects.filter(is_active=True).count()  # the cast's units and the 12 above
    assert active > 12
    first = api.get(reverse("api:units"), {"page_size": 5}).json()
    assert first["count"] == active and len(first["results"]) == 5
    seen = [row["code"] for row in first["results"]]
    page = first
    while page["next"]:
        page = api.get(page["next"]).json()
        seen += [row["code"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == active


def test_a_page_size_above_500_gives_500(cast, api):
    for n in range(505):
        DepartmentFactory(code=f"Q{n:04d}", parent=cast.city)
    assert len(api.get(reverse("api:units"), {"page_size": 5000}).json()["results"]) == 500


def test_a_page_number_past_the_end_is_a_chinese_404(many_units, api):
    response = api.get(reverse("api:units"), {"page": 99})
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到所请求的数据。"}


def test_figures_walk_by_cursor_without_repeats_or_gaps(cast, api):
    rf.confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer)
    rf.confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer)
    headers = authorization(token_for(cast.city))
    everything = api.get(reverse("api:approved_figures"), {"page_size": 500}, **headers).json()
    assert everything["next"] is None
    page = api.get(reverse("api:approved_figures"), {"page_size": 3}, **headers).json()
    assert "count" not in page
    walked = [row["id"] for row in page["results"]]
    while page["next"]:
        page = api.get(page["next"], **headers).json()
        walked += [row["id"] for row in page["results"]]
    assert walked == [row["id"] for row in everything["results"]]
    assert walked == sorted(walked) and len(walked) == 14


def test_a_forged_cursor_is_a_chinese_404(cast, api):
    response = api.get(reverse("api:approved_figures"), {"cursor": "forged"}, **authorization(token_for(cast.city)))
    assert response.status_code == 404
