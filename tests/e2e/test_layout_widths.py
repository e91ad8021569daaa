"""The pages people use most, at an office screen (1366×768) and a phone (390×844), in Debian's
Chromium: nothing makes the page scroll sideways, the menu folds into a toggler on the phone and
opens when tapped, and the return's inputs are on screen and take a value (issue 2 §5).

Screenshots go to e2e-screenshots/layout-widths/ (a folder of their own, so the year-in-browser
test, which empties e2e-screenshots/ of PNGs, leaves them alone)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from assessments.models import AnnualReturn
from assessments.services.opening import returns_open_for_framework
from indicators.models import ValueType
from indicators.services import framework_load_default
from tests.factories import TEST_PASSWORD, DepartmentFactory, UserFactory

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000
LAYOUT_SCREENSHOTS = SCREENSHOTS / "layout-widths"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture
def year(db):
    """The shipped framework, returns open for a city with long unit names, two of them submitted
    (so the review queue has rows), a staff user of one of them and a reviewer."""
    G, D, T = Department.Kind.GOVERNMENT, Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP
    city = DepartmentFactory(code="W000", name="云州市人民政府", kind=G)
    justice = DepartmentFactory(code="W001", name="云州市司法局", kind=D, parent=city)
    bureau = DepartmentFactory(code="W002", name="云州市市场监督管理局（知识产权局）", kind=D, parent=city)
    county = DepartmentFactory(
        code="W100", name="云州市青山区人民政府", kind=G, level=Department.Level.COUNTY, parent=city
    )
    DepartmentFactory(code="W110", name="青山区东湖街道办事处", kind=T, level=Department.Level.TOWNSHIP, parent=county)
    framework, _ = framework_load_default(year=2025, publish=True)
    returns_open_for_framework(framework=framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    submitted = timezone.now()
    AnnualReturn.objects.filter(department__in=[justice, county]).update(
        status=AnnualReturn.Status.SUBMITTED, submitted_at=submitted, first_submitted_at=submitted
    )
    UserFactory(username="layout_staff", full_name="市场监管局填报员", department=bureau)
    UserFactory(username="layout_reviewer", full_name="司法局审核员", role=User.Role.REVIEWER, department=justice)
    return AnnualReturn.objects.get(department=bureau), framework


def open_page(browser, live_server, viewport: dict, username: str | None = None):
    """A fresh browser context at the viewport (a touch phone for the narrow one), logged in."""
    is_phone = viewport == PHONE
    context = browser.new_context(locale="zh-CN", viewport=viewport, is_mobile=is_phone, has_touch=is_phone)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    if username:
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url
    return context, page


def shoot(page, name: str) -> None:
    LAYOUT_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(LAYOUT_SCREENSHOTS / f"{name}.png"), full_page=True)


def horizontal_overflow(page) -> dict:
    """How wide the page lays out against the device's width, and the first elements sticking out
    (to name the culprit). On a phone Chromium widens the layout viewport to fit wide content and
    zooms out, so innerWidth grows with the overflow; the device width is the viewport we set."""
    return page.evaluate(
        """(width) => {
            const wide = [...document.querySelectorAll('main *, nav *')]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => el.closest('.table-responsive, .lg-area-tabs') === null)
                .slice(0, 5)
                .map(el => `${el.tagName.toLowerCase()} ${el.textContent.trim().slice(0, 30)}`);
            return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth, width, wide};
        }""",
        page.viewport_size["width"],
    )


def assert_no_horizontal_overflow(page) -> None:
    measured = horizontal_overflow(page)
    assert measured["scrollWidth"] <= measured["innerWidth"] == measured["width"], measured


def assert_nav_fits_the_width(page, viewport: dict) -> None:
    toggler, menu = page.locator(".navbar-toggler"), page.locator("#mainNav")
    first_link = menu.locator(".nav-link").first
    if viewport == PHONE:
        assert toggler.is_visible() and not menu.is_visible()
        toggler.tap()
        page.locator("#mainNav.collapse.show").wait_for()  # .show once the opening transition ends
        assert first_link.is_visible()
        assert_no_horizontal_overflow(page)
    else:
        assert not toggler.is_visible() and first_link.is_visible()


def assert_on_screen(page, locator) -> None:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)
    assert box["width"] >= 120, box  # room to see what is typed


@pytest.mark.parametrize("name", VIEWPORTS)
def test_the_login_page_fits(browser, live_server, year, name):
    context, page = open_page(browser, live_server, VIEWPORTS[name])
    assert_no_horizontal_overflow(page)
    assert_on_screen(page, page.locator("input[name=username]"))
    shoot(page, f"login-{name}")
    context.close()


@pytest.mark.parametrize("name", VIEWPORTS)
def test_the_home_page_fits_and_its_menu_folds_on_a_phone(browser, live_server, year, name):
    context, page = open_page(browser, live_server, VIEWPORTS[name], "layout_staff")
    assert_no_horizontal_overflow(page)
    shoot(page, f"home-{name}")
    assert_nav_fits_the_width(page, VIEWPORTS[name])
    shoot(page, f"home-{name}-menu")
    context.close()


@pytest.mark.parametrize("name", VIEWPORTS)
def test_the_entry_page_fits_and_its_inputs_take_values(browser, live_server, year, name):
    annual_return, framework = year
    context, page = open_page(browser, live_server, VIEWPORTS[name], "layout_staff")
    page.goto(live_server.url + reverse("assessments:return_edit", args=[annual_return.pk]))
    assert_no_horizontal_overflow(page)
    shoot(page, f"entry-{name}")
    count = framework.indicators.filter(value_type=ValueType.COUNT).order_by("order").first()
    rate = framework.indicators.filter(value_type=ValueType.RATE).order_by("order").first()
    for selector in (f"#input-{count.pk}", f"#input-{rate.pk}", f"#den-{rate.pk}"):
        field = page.locator(selector)
        field.scroll_into_view_if_needed()
        assert field.is_visible() and field.is_enabled(), selector
        assert_on_screen(page, field)
    if name == "phone":
        page.locator(f"#input-{count.pk}").tap()
    with page.expect_response(lambda r: f"/values/{count.pk}/" in r.url and r.request.method == "POST") as saved:
        page.locator(f"#input-{count.pk}").fill("4")
        page.locator(f"#input-{count.pk}").dispatch_event("change")
    assert saved.value.status == 200
    page.locator(f"#status-{count.pk}").get_by_text("已保存").wait_for()
    assert_no_horizontal_overflow(page)
    assert_nav_fits_the_width(page, VIEWPORTS[name])
    context.close()


@pytest.mark.parametrize("name", VIEWPORTS)
def test_the_review_queue_fits(browser, live_server, year, name):
    context, page = open_page(browser, live_server, VIEWPORTS[name], "layout_reviewer")
    page.goto(live_server.url + reverse("reviews:queue"))
    assert page.locator("main").get_by_text("云州市青山区人民政府").first.is_visible()
    assert_no_horizontal_overflow(page)
    shoot(page, f"queue-{name}")
    review = page.locator("main table a.btn").first  # the last column: within reach by scrolling the card
    review.scroll_into_view_if_needed()
    assert review.is_visible()
    assert_no_horizontal_overflow(page)
    assert_nav_fits_the_width(page, VIEWPORTS[name])
    context.close()
