"""What the entry page does in the browser and nowhere else (static/js/assessments-entry.js with
htmx), in Debian's Chromium: the rate computed live from numerator and denominator, the 已保存 hh:mm
after an autosave, the warning when leaving with unsaved changes, and the conflict box with both
values when a colleague saved the same indicator first. Screenshots: e2e-screenshots/entry-*.png."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn
from tests.assessments.factories import framework_with, open_return, rate_indicator, value_row
from tests.factories import DepartmentFactory, UserFactory

from .conftest import numbered_screenshots
from .test_year_in_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def shoot():
    return numbered_screenshots("entry")


@pytest.fixture
def entry(live_server):
    """A department with two staff and its return in 填报中: K1 a count (件), K2 a rate."""
    city = DepartmentFactory(code="F000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    bureau = DepartmentFactory(code="F002", name="云州市测试局", parent=city)
    framework = framework_with({"code": "K1", "name": "行政复议案件数", "unit": "件"})
    rate_indicator(code="K2", name="合法性审核率", group=framework.indicators.first().group, framework=framework)
    annual_return = open_return(bureau, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    UserFactory(username="e2e_staff", department=bureau)
    UserFactory(username="e2e_colleague", department=bureau)
    return {
        "url": f"{live_server.url}/returns/{annual_return.pk}/edit/",
        "return": annual_return,
        "K1": value_row(annual_return, "K1").indicator_id,
        "K2": value_row(annual_return, "K2").indicator_id,
    }


def _open(browser, live_server, username, url):
    context, page = _login(browser, live_server, username)
    page.goto(url)
    page.locator("#lg-page-status").wait_for()
    return context, page


def _saved_with(page, pk, action):
    """Run `action` and wait for the autosave POST of indicator `pk` it causes; its response."""
    with page.expect_response(lambda r: f"/values/{pk}/" in r.url and r.request.method == "POST") as saved:
        action()
    return saved.value


def test_the_rate_is_computed_live_while_typing(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_staff", entry["url"])
    pk = entry["K2"]
    rate = page.locator(f"#ind-{pk} [data-rate-output]")
    assert rate.inner_text() == "—"
    page.locator(f"#input-{pk}").press_sequentially("18")
    page.locator(f"#den-{pk}").press_sequentially("20")
    assert rate.inner_text() == "90%"
    shoot(page, "rate-live")
    page.fill(f"#den-{pk}", "２４")  # full-width digits, as a Chinese IME types them
    assert rate.inner_text() == "75%"
    page.fill(f"#den-{pk}", "7")
    assert rate.inner_text() == "分子大于分母"
    page.fill(f"#input-{pk}", "0")
    page.fill(f"#den-{pk}", "0")
    assert rate.inner_text() == "无此类事项"
    shoot(page, "rate-no-cases")
    context.close()


def test_an_autosave_shows_the_time_the_server_saved_it(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_staff", entry["url"])
    pk = entry["K1"]
    field = page.locator(f"#input-{pk}")
    response = _saved_with(page, pk, lambda: (field.fill("37"), field.dispatch_event("change")))
    assert response.status == 200
    row = value_row(entry["return"], "K1")
    stamp = timezone.localtime(row.updated_at).strftime("%H:%M")
    assert row.value_integer == 37
    status = page.locator(f"#status-{pk}")
    status.get_by_text(f"已保存 {stamp}").wait_for()
    assert re.fullmatch(r"已保存 \d{2}:\d{2}", status.inner_text().strip())
    page.locator("#lg-page-status").get_by_text(f"全部修改已保存 {stamp}").wait_for()
    shoot(page, "autosaved")
    page.reload()
    assert page.input_value(f"#input-{pk}") == "37"
    assert page.locator(f"#status-{pk}").inner_text().strip() == f"已保存 {stamp}"
    context.close()


def test_leaving_with_unsaved_changes_warns_and_keeps_what_was_typed(browser, live_server, entry, shoot):
    context, page = _open(browser, live_server, "e2e_staff", entry["url"])
    pk = entry["K1"]
    # The network is down: the autosave fails, so the change stays unsaved whatever the timing.
    page.route(re.compile(r".*/values/\d+/$"), lambda route: route.abort())
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # 留在此页

    page.on("dialog", answer)
    page.locator(f"#input-{pk}").click()
    page.locator(f"#input-{pk}").press_sequentially("12")
    page.locator(f"#status-{pk}").get_by_text("保存失败").wait_for()
    assert page.locator("#lg-page-status").inner_text() == "有未保存的修改"
    shoot(page, "unsaved-after-failed-save")
    page.get_by_role("link", name="修改记录").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url == entry["url"]
    assert page.input_value(f"#input-{pk}") == "12"
    assert value_row(entry["return"], "K1").raw_input == {}  # really not saved: the warning was due
    context.close()


def test_leaving_after_everything_saved_does_not_warn(browser, live_server, entry):
    context, page = _open(browser, live_server, "e2e_staff", entry["url"])
    pk = entry["K1"]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    field = page.locator(f"#input-{pk}")
    field.click()
    # Typed, then left alone: the autosave after the pause in typing saves it.
    assert _saved_with(page, pk, lambda: field.press_sequentially("5")).status == 200
    page.locator("#lg-page-status").get_by_text("全部修改已保存").wait_for()
    page.get_by_role("link", name="修改记录").first.click()  # the field loses focus: a `change`
    page.wait_for_url(re.compile(r"/history/"))
    assert dialogs == []
    context.close()


def test_a_colleagues_earlier_save_shows_a_conflict_with_both_values(browser, live_server, entry, shoot):
    pk = entry["K1"]
    mine_context, mine = _open(browser, live_server, "e2e_staff", entry["url"])
    theirs_context, theirs = _open(browser, live_server, "e2e_colleague", entry["url"])
    theirs_field = theirs.locator(f"#input-{pk}")
    _saved_with(theirs, pk, lambda: (theirs_field.fill("10"), theirs_field.dispatch_event("change")))

    my_field = mine.locator(f"#input-{pk}")
    response = _saved_with(mine, pk, lambda: (my_field.fill("20"), my_field.dispatch_event("change")))
    assert response.status == 409
    box = mine.locator(f"#conflict-{pk}")
    box.get_by_text("对方保存的值").wait_for()
    assert box.locator("[data-theirs]").inner_text() == "10"
    assert box.locator("[data-mine]").inner_text() == "20"
    assert "未保存：与他人的修改冲突" in mine.locator(f"#status-{pk}").inner_text()
    assert mine.locator("#lg-page-status").inner_text() == "有与他人修改冲突的项目，请处理"
    assert value_row(entry["return"], "K1").value_integer == 10  # nothing overwritten silently
    shoot(mine, "conflict-both-values")

    response = _saved_with(mine, pk, lambda: box.get_by_role("button", name="保留我的值（覆盖对方）").click())
    assert response.status == 200
    mine.locator(f"#status-{pk}").get_by_text("已保存").wait_for()
    assert box.inner_text().strip() == ""
    assert value_row(entry["return"], "K1").value_integer == 20
    shoot(mine, "conflict-resolved-keeping-mine")
    mine_context.close()
    theirs_context.close()
