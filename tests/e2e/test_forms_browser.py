"""Forms render through the one project renderer (lawgov.forms): in Chromium at an office screen and a
phone, a form page shows its labels and Bootstrap controls, and a refused value is marked with its
Chinese reason beside the field, the typed text kept. Screenshots go to e2e-screenshots/forms/."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

from .conftest import SCREENSHOTS
from .test_layout_widths import VIEWPORTS, open_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "forms"


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_refused_field_shows_its_chinese_reason_beside_it_with_the_text_kept(browser, live_server, size):
    UserFactory(username="forms_congress", role=User.Role.CONGRESS, department=None)
    context, page = open_page(browser, live_server, VIEWPORTS[size], "forms_congress")
    page.goto(live_server.url + reverse("congress:year_create"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"year-create-{size}.png"), full_page=True)
    year = page.locator("#id_year")
    assert "form-control" in year.get_attribute("class")

    year.fill("1999")
    page.fill("#id_title", "规范性文件备案审查")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()

    page.screenshot(path=str(SHOTS / f"year-create-refused-{size}.png"), full_page=True)
    assert page.locator("#id_year").get_attribute("aria-invalid") == "true"
    feedback = page.locator("#id_year ~ .invalid-feedback")
    assert feedback.is_visible()
    assert "确保该值大于或等于" in feedback.inner_text()
    assert page.locator("#id_title").input_value() == "规范性文件备案审查"
    context.close()
