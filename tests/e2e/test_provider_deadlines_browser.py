"""数据提供进度 in Debian's Chromium: the bureau types a date already past for one provider — the page
comes back with the Chinese error in that provider's row and the date as typed, the other rows as
they were — then a good date, saved; a reminder sent; the provider reads its deadline on its grid.
Screenshots: e2e-screenshots/provider-deadlines-*.png; axe finds nothing serious on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from assessments.selectors.provided import provider_deadline
from indicators.presenting import date_text
from indicators.provisions import indicator_provision_set
from reviews.models import Notification
from tests.assessments.factories import framework_with, open_return
from tests.factories import DepartmentFactory, UserFactory

from .axe import axe_violations
from .conftest import numbered_screenshots
from .test_year_in_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


@pytest.fixture
def shoot():
    return numbered_screenshots("provider-deadlines")


@pytest.fixture
def year(live_server):
    """A city, one unit, the court providing K1 and the 信访局 K3; the bureau's reviewer."""
    city = DepartmentFactory(code="Q000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    justice = DepartmentFactory(code="Q001", name="云州市司法局", parent=city)
    unit = DepartmentFactory(code="Q002", name="云州市公安局", parent=city)
    court = DepartmentFactory(
        code="Q090", name="云州市中级人民法院", short_name="市中级人民法院", parent=city, is_assessed=False
    )
    xinfang = DepartmentFactory(code="Q011", name="云州市信访局", short_name="市信访局", parent=city)
    framework = framework_with(
        {"code": "K1", "name": "行政诉讼案件数", "unit": "件"}, {"code": "K3", "name": "信访事项办结率", "unit": "件"}
    )
    indicator_provision_set(indicator=framework.indicators.get(code="K1"), provider=court)
    indicator_provision_set(indicator=framework.indicators.get(code="K3"), provider=xinfang)
    for department in (city, unit, justice, xinfang):
        open_return(department, framework, deadline=TODAY + datetime.timedelta(days=20))
    UserFactory(username="e2e_bureau", role=User.Role.REVIEWER, department=justice)
    UserFactory(username="e2e_court", role=User.Role.PROVIDER, department=court)
    UserFactory(username="e2e_xinfang", role=User.Role.PROVIDER, department=xinfang)
    return {"url": live_server.url + reverse("reviews:provider_deadlines"), "court": court, "xinfang": xinfang}


def test_a_past_date_is_refused_in_its_row_and_a_good_one_saved(browser, live_server, year, shoot):
    court, xinfang = year["court"], year["xinfang"]
    context, page = _login(browser, live_server, "e2e_bureau")
    page.goto(year["url"])
    shoot(page, "page")
    assert not axe_violations(page)
    court_row, xinfang_row = page.locator(f"#provider-{court.pk}"), page.locator(f"#provider-{xinfang.pk}")
    xinfang_before = xinfang_row.locator("input[name=deadline]").input_value()
    court_row.locator("input[name=deadline]").fill("2020-01-05")
    court_row.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    court_row = page.locator(f"#provider-{court.pk}")
    court_row.get_by_text("截止日期不能早于今天").wait_for()
    assert court_row.locator("input[name=deadline]").input_value() == "2020-01-05"
    assert page.locator(f"#provider-{xinfang.pk} input[name=deadline]").input_value() == xinfang_before
    assert provider_deadline(court, 2025) == TODAY + datetime.timedelta(days=20)
    shoot(page, "past-date-refused")
    assert not axe_violations(page)

    good = TODAY + datetime.timedelta(days=7)
    court_row.locator("input[name=deadline]").fill(good.isoformat())
    court_row.get_by_role("button", name="保存").click()
    page.locator(".alert", has_text="截止日期设为").wait_for()
    assert page.locator(f"#provider-{court.pk}").get_by_text("单独设置").is_visible()
    assert provider_deadline(court, 2025) == good

    page.locator(f"#provider-{xinfang.pk}").get_by_role("button", name="发送提醒").click()
    page.locator(".alert", has_text="发送提醒").wait_for()
    shoot(page, "saved-and-reminded")
    assert Notification.objects.filter(recipient__username="e2e_xinfang").count() == 1
    context.close()

    context, page = _login(browser, live_server, "e2e_court")
    page.goto(live_server.url + reverse("assessments:provided_grid"))
    assert f"提交截止日期：{date_text(good)}" in page.inner_text("main")
    shoot(page, "provider-grid")
    context.close()
