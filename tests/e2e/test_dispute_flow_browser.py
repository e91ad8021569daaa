"""A dispute of a provided figure as its three parties live it, in Debian's Chromium: the unit
disputes with a reason and a file; the court finds the notice in its 通知, opens it and keeps the
figure with an answer; the unit finds the answer through its 通知; a dispute left unanswered reaches
the reviewer's 通知 and shows on the review page. Screenshots: e2e-screenshots/dispute-*.png."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from assessments.models import AnnualReturn, ProvidedValueDispute
from assessments.services.provided import ProvidedInput, provided_values_save
from indicators.provisions import indicator_provision_set
from reviews.services.dispute_notices import dispute_escalations_send
from tests.assessments import hostile_files as hostile
from tests.assessments.factories import framework_with, open_return, value_row
from tests.factories import DepartmentFactory, UserFactory

from .axe import axe_violations
from .conftest import numbered_screenshots
from .test_year_in_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shoot():
    return numbered_screenshots("dispute")


@pytest.fixture
def police(live_server):
    """市公安局's return with K1 provided by the court as 12."""
    city = DepartmentFactory(code="R000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    justice = DepartmentFactory(code="R001", name="云州市司法局", parent=city)
    unit = DepartmentFactory(code="R002", name="云州市公安局", parent=city)
    court = DepartmentFactory(
        code="R090", name="云州市中级人民法院", short_name="市中级人民法院", parent=city, is_assessed=False
    )
    framework = framework_with({"code": "K1", "name": "行政诉讼案件数", "unit": "件"})
    indicator_provision_set(indicator=framework.indicators.get(code="K1"), provider=court)
    annual_return = open_return(unit, framework, deadline=timezone.localdate() + datetime.timedelta(days=20))
    UserFactory(username="e2e_bureau", full_name="赵审核", role=User.Role.REVIEWER, department=justice)
    court_user = UserFactory(username="e2e_court", full_name="孙提供", role=User.Role.PROVIDER, department=court)
    UserFactory(username="e2e_police", full_name="李填报", department=unit)
    item = ProvidedInput(annual_return.pk, value_row(annual_return, "K1").indicator_id, "value", "12", 0)
    provided_values_save(provider=court, inputs=[item], user=court_user)
    return annual_return


def _open_notice(page, live_server, title_part: str):
    page.goto(live_server.url + reverse("reviews:notifications"))
    notice = page.locator(".list-group-item", has_text=title_part)
    notice.get_by_role("button", name="查看").click()
    page.wait_for_load_state()


def test_a_dispute_reaches_each_party_through_its_notices(browser, live_server, police, shoot):
    indicator_id = value_row(police, "K1").indicator_id
    context, page = _login(browser, live_server, "e2e_police")
    page.goto(f"{live_server.url}/returns/{police.pk}/edit/")
    page.locator(f"#ind-{indicator_id}").get_by_role("link", name="提出异议").click()
    page.fill("textarea[name=reason]", "我局2025年实际被诉 10 件，法院统计含已撤诉 2 件，附案件清单。")
    page.set_input_files(
        "input[name=file]", files=[{"name": "案件清单.pdf", "mimeType": "application/pdf", "buffer": hostile.PDF_BYTES}]
    )
    shoot(page, "unit-raises")
    assert not axe_violations(page)
    page.get_by_role("button", name="提交异议").click()
    page.locator(".alert", has_text="已对").wait_for()
    shoot(page, "unit-raised")
    context.close()

    context, page = _login(browser, live_server, "e2e_court")
    _open_notice(page, live_server, "提出异议")
    shoot(page, "court-answers")
    assert "我局2025年实际被诉 10 件" in page.inner_text("main")
    page.get_by_label("维持原数").check()
    page.fill("textarea[name=answer]", "经核对，撤诉案件亦计入被诉案件数，维持 12 件。")
    page.get_by_role("button", name="提交答复").click()
    page.locator(".alert", has_text="已答复异议").wait_for()
    context.close()

    context, page = _login(browser, live_server, "e2e_police")
    page.goto(live_server.url + reverse("reviews:notifications"))
    shoot(page, "unit-notices")
    _open_notice(page, live_server, "答复了本单位")
    assert "维持 12 件" in page.inner_text("main")
    shoot(page, "unit-reads-answer")
    page.fill("textarea[name=reason]", "撤诉案件不应计入，请再次核对。")
    page.get_by_role("button", name="提交异议").click()
    page.locator(".alert", has_text="已对").wait_for()
    context.close()

    ProvidedValueDispute.objects.filter(status="open").update(raised_at=timezone.now() - datetime.timedelta(days=6))
    submitted = {"status": AnnualReturn.Status.SUBMITTED, "first_submitted_at": timezone.now()}
    AnnualReturn.objects.filter(pk=police.pk).update(**submitted)
    assert dispute_escalations_send() == 1
    context, page = _login(browser, live_server, "e2e_bureau")
    page.goto(live_server.url + reverse("reviews:notifications"))
    shoot(page, "reviewer-notices")
    _open_notice(page, live_server, "尚未答复")
    assert "异议待答复" in page.inner_text("main")
    shoot(page, "reviewer-review-page")
    context.close()
