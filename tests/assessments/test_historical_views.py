"""The 开启历史数据年度 pages: Chinese, errors on the page, what was typed kept."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReturn
from indicators.models import IndicatorFramework
from indicators.services import framework_load_default

pytestmark = pytest.mark.django_db

PAGE = "assessments:historical_years"


@pytest.fixture
def default(db) -> IndicatorFramework:
    return framework_load_default(publish=True)[0]


def test_the_page_explains_and_offers_the_published_framework_as_the_source(client, cast, default):
    client.force_login(cast.reviewer)
    html = client.get(reverse(PAGE)).content.decode()
    assert "开启历史数据年度" in html and "无截止日期" in html
    assert f'<option value="{default.pk}" selected>' in html


def test_preparing_a_year_lists_it_as_a_draft_to_publish_and_open(client, cast, default):
    client.force_login(cast.reviewer)
    response = client.post(reverse(PAGE), {"year": "2021", "source": default.pk})
    assert response.status_code == 302
    framework = IndicatorFramework.objects.get(year=2021, is_historical=True)
    html = client.get(reverse(PAGE)).content.decode()
    assert "草稿，待发布开启" in html and "发布并开启2021年度" in html
    assert reverse("assessments:historical_year_open", args=[framework.pk]) in html


def test_a_year_that_is_not_past_is_refused_on_the_page_keeping_what_was_typed(client, cast, default):
    client.force_login(cast.reviewer)
    response = client.post(reverse(PAGE), {"year": "2999", "source": default.pk})
    html = response.content.decode()
    assert response.status_code == 400
    assert "年度不能晚于 2100 年。" in html and 'value="2999"' in html
    response = client.post(reverse(PAGE), {"year": "2025", "source": default.pk})
    assert response.status_code == 400 and "以前年度" in response.content.decode()


def test_opening_redirects_to_the_bulk_import_of_that_year(client, cast, default):
    client.force_login(cast.reviewer)
    client.post(reverse(PAGE), {"year": "2021", "source": default.pk})
    framework = IndicatorFramework.objects.get(year=2021, is_historical=True)
    response = client.post(reverse("assessments:historical_year_open", args=[framework.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:bulk_import") + "?year=2021"
    assert AnnualReturn.objects.filter(year=2021, deadline__isnull=True).count() == 5
    html = client.get(response["Location"]).content.decode()
    assert "已为 5 个单位开启2021年度历史数据补录" in html


def test_an_edition_that_cannot_be_published_shows_why_on_the_page(client, cast):
    framework = IndicatorFramework.objects.create(name="空的历史指标体系", year=2020, is_historical=True)
    client.force_login(cast.reviewer)
    response = client.post(reverse("assessments:historical_year_open", args=[framework.pk]))
    assert response.status_code == 400
    assert "指标体系还不能发布：" in response.content.decode() and "还没有三级指标" in response.content.decode()
    assert not AnnualReturn.objects.filter(year=2020).exists()


def test_the_return_of_a_historical_year_says_it_has_no_deadline(client, cast, default):
    client.force_login(cast.reviewer)
    client.post(reverse(PAGE), {"year": "2021", "source": default.pk})
    framework = IndicatorFramework.objects.get(year=2021, is_historical=True)
    client.post(reverse("assessments:historical_year_open", args=[framework.pk]))
    client.force_login(cast.staff_a)
    annual_return = AnnualReturn.objects.get(department=cast.dept_a, year=2021)
    html = client.get(reverse("assessments:return_edit", args=[annual_return.pk])).content.decode()
    assert "历史数据年度（补录以前年度数据，无截止日期）" in html
    assert "None" not in html.split("<main", 1)[-1].split("</main>", 1)[0][:3000]


def test_the_year_opening_page_links_to_historical_years(client, cast, default):
    client.force_login(cast.reviewer)
    assert reverse(PAGE) in client.get(reverse("assessments:year_open")).content.decode()
