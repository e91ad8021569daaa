"""The entry page with the states of a value, in Debian's Chromium: a rate with one part shows
无法计算 while typing and saves with only its denominator; 不适用 and 暂无数据 put the figure aside
and ask for a reason; each renders as itself after a reload; autosave and the conflict check still
apply. Screenshots at 1366×768 and 390×844: e2e-screenshots/states-*.png."""

import datetime
from urllib.parse import unquote_plus

import pytest
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn
from tests.assessments.factories import framework_with, open_return, rate_indicator, value_row
from tests.factories import DepartmentFactory, UserFactory

from .conftest import numbered_screenshots
from .test_entry_page_browser import _open, _saved_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _saved_saying(page, pk, text: str, action):
    """Run `action` and wait for the autosave of indicator `pk` whose form data says `text` (an
    earlier save of the same form may still be answering on a busy machine)."""

    def wanted(response):
        request = response.request
        return (
            f"/values/{pk}/" in response.url
            and request.method == "POST"
            and text in unquote_plus(request.post_data or "")
        )

    with page.expect_response(wanted) as saved:
        action()
    return saved.value


@pytest.fixture(scope="module")
def shoot():
    return numbered_screenshots("states", full_page=False)


@pytest.fixture
def entry(live_server):
    """A department's return in 填报中: K1 a count that allows 暂无数据, K2 a rate (件/件)."""
    city = DepartmentFactory(code="S000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    bureau = DepartmentFactory(code="S002", name="云州市测试局", parent=city)
    framework = framework_with({"code": "K1", "name": "移送涉嫌犯罪案件数", "unit": "件", "allows_not_available": True})
    rate_indicator(
        code="K2",
        name="行政复议案件法定期限内审结率",
        numerator_label="法定期限内审结案件数",
        denominator_label="审结行政复议案件数",
        group=framework.indicators.first().group,
        framework=framework,
    )
    annual_return = open_return(bureau, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    UserFactory(username="e2e_states", department=bureau)
    return {
        "url": f"{live_server.url}/returns/{annual_return.pk}/edit/",
        "return": annual_return,
        "K1": value_row(annual_return, "K1").indicator_id,
        "K2": value_row(annual_return, "K2").indicator_id,
    }


def test_a_rate_with_only_its_denominator_shows_not_computable_and_saves(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_states", entry["url"])
    page.set_viewport_size(DESKTOP)
    pk = entry["K2"]
    rate = page.locator(f"#ind-{pk} [data-rate-output]")
    denominator = page.locator(f"#den-{pk}")
    response = _saved_with(page, pk, lambda: (denominator.fill("71"), denominator.dispatch_event("change")))
    assert response.status == 200
    assert rate.inner_text() == "无法计算"
    row = value_row(entry["return"], "K2")
    assert (row.numerator, row.denominator, row.input_error) == (None, 71, "")
    page.locator(f"#ind-{pk}").scroll_into_view_if_needed()
    shoot(page, "desktop-rate-one-part")
    page.reload()
    assert page.locator(f"#ind-{pk} [data-rate-output]").inner_text() == "无法计算"
    assert page.input_value(f"#den-{pk}") == "71"
    page.fill(f"#input-{pk}", "0")
    page.fill(f"#den-{pk}", "0")
    assert rate.inner_text() == "无此类事项"
    context.close()


def test_not_applicable_asks_for_a_reason_keeps_the_figure_and_renders_as_itself(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_states", entry["url"])
    page.set_viewport_size(DESKTOP)
    pk = entry["K2"]
    form = page.locator(f"#ind-{pk}")
    page.fill(f"#den-{pk}", "12")
    reason = page.locator(f"#reason-{pk}")
    assert not reason.is_visible()
    form.get_by_label("不适用").check()
    assert reason.is_visible() and not page.locator(f"#den-{pk}").is_visible()
    shoot(page, "desktop-not-applicable-reason")
    response = _saved_saying(
        page,
        pk,
        "reason=本单位无行政复议职能",
        lambda: (reason.fill("本单位无行政复议职能"), reason.dispatch_event("change")),
    )
    assert response.status == 200
    page.locator(f"#status-{pk}").get_by_text("已保存").wait_for()
    row = value_row(entry["return"], "K2")
    assert (row.state, row.state_reason, row.denominator) == ("not_applicable", "本单位无行政复议职能", None)
    assert row.raw_input["denominator"] == "12"  # what was typed is kept
    page.reload()
    form = page.locator(f"#ind-{pk}")
    assert form.get_by_label("不适用").is_checked()
    assert page.input_value(f"#reason-{pk}") == "本单位无行政复议职能"
    form.get_by_label("填写数据").check()
    assert page.input_value(f"#den-{pk}") == "12"
    context.close()


def test_not_available_is_offered_only_where_allowed_and_needs_a_reason(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_states", entry["url"])
    page.set_viewport_size(PHONE)
    count, rate = entry["K1"], entry["K2"]
    assert page.locator(f"#ind-{rate}").get_by_label("暂无数据").count() == 0
    form = page.locator(f"#ind-{count}")
    response = _saved_with(page, count, lambda: form.get_by_label("暂无数据").check())
    assert response.status == 200
    page.locator(f"#errors-{count}").get_by_text("须说明原因").wait_for()
    form.scroll_into_view_if_needed()
    shoot(page, "phone-not-available-needs-reason")
    reason = page.locator(f"#reason-{count}")
    _saved_saying(
        page,
        count,
        "reason=两法衔接平台尚未建立统计口径",
        lambda: (reason.fill("两法衔接平台尚未建立统计口径"), reason.dispatch_event("change")),
    )
    page.locator(f"#status-{count}").get_by_text("已保存").wait_for()
    row = value_row(entry["return"], "K1")
    assert (row.state, row.input_error) == ("not_available", "")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # no sideways scroll on a phone
    shoot(page, "phone-not-available-saved")
    context.close()


@pytest.fixture
def reviewed(live_server):
    """A submitted return with 不适用 (A1.3), 0/0 (B1.2) and a count of 0 (B1.1), and a reviewer."""
    from accounts.models import User
    from tests.reviews.factories import scoring_framework, submitted_return

    city = DepartmentFactory(code="R000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    justice = DepartmentFactory(code="R001", name="云州市司法局", parent=city)
    bureau = DepartmentFactory(code="R002", name="云州市测试局", parent=city)
    staff = UserFactory(username="e2e_states_staff", department=bureau)
    UserFactory(username="e2e_states_reviewer", role=User.Role.REVIEWER, department=justice)
    annual_return = submitted_return(
        bureau,
        staff,
        scoring_framework(2025),
        **{
            "A1.3": {"state": "not_applicable", "reason": "本单位领导班子成员均为新任，无应述法人员"},
            "B1.2": {"numerator": "0", "denominator": "0"},
            "B1.1": {"value": "0"},
        },
    )
    return f"{live_server.url}/review/returns/{annual_return.pk}/"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_review_page_shows_each_state_as_itself(browser, live_server, reviewed, shoot, viewport):
    from .test_year_in_browser import _login

    context, page = _login(browser, live_server, "e2e_states_reviewer")
    page.set_viewport_size(viewport)
    page.goto(reviewed)
    content = page.content()
    assert "不适用（本单位领导班子成员均为新任，无应述法人员）" in content
    assert "无此类事项（0/0）" in content
    assert "不计入" in content
    page.get_by_text("不适用（本单位领导班子成员均为新任").first.scroll_into_view_if_needed()
    shoot(page, f"{'desktop' if viewport == DESKTOP else 'phone'}-review-states")
    context.close()
