"""A report's way to the public, in Debian's Chromium (issue 21 "done when"): 定稿 → 保密审查 (a
personal detail redacted from the public edition, a refused confirmation shown on the page) → 发布 →
visible at /public/ without login, read on a phone → withdrawn (a missing reason refused on the page)
→ gone. axe-core (vendored from npm) finds no serious or critical violation on the public pages, on
the HTML reports (the report's preview, the public edition's preview) nor on the signed-in
publication page (with the navigation bar every signed-in page has).
Screenshots at 390×844 and 1366×768 go to e2e-screenshots/."""

import datetime

import pytest
from django.utils import timezone

from publication.models import ReportPublication
from tests.e2e.axe import axe_violations
from tests.e2e.conftest import SCREENSHOTS, browser  # noqa: F401  (the module-scoped Chromium fixture)
from tests.e2e.test_year_in_browser import TIMEOUT_MS, _login
from tests.publication.builders import final_report
from tests.publication.factories import publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PERSONAL = "办案民警张某某（身份证号110101199001011234）获评先进。"
NARRATIVES = {
    "measures": f"本年度我局扎实推进依法行政。\n{PERSONAL}",
    "shortcomings": "执法人员法治培训仍需加强。",
    "leadership": "主要负责人带头学法，专题研究法治建设4次。",
    "next_year": "持续深化行政执法规范化建设。",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def _visitor(browser, viewport):  # noqa: F811
    """A member of the public: no login, and a fresh browser cache."""
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"publication-{name}.png"), full_page=True)


def _review_and_publish(page, live_server) -> None:
    page.goto(f"{live_server.url}/publication/?year=2025")
    assert not axe_violations(page)  # a signed-in page: the shell's navigation bar included
    page.get_by_role("button", name="开始保密审查").click()
    page.get_by_text("已开始保密审查").wait_for()
    part = page.locator("div.lg-card", has=page.get_by_role("heading", name="主要举措和成效"))
    box = part.locator("textarea")
    box.fill(box.input_value().replace(PERSONAL, "办案民警获评先进。"))
    part.get_by_role("button", name="保存公开版").click()
    page.get_by_text("已保存公开版的这一部分").wait_for()
    assert page.locator(".badge", has_text="已删改").count() == 1

    page.get_by_role("button", name="确认保密审查").click()  # the box left unticked
    assert page.get_by_text("请勾选确认后再提交保密审查结论。").is_visible()
    page.get_by_label("我已逐项核对公开版").check()
    page.get_by_role("button", name="确认保密审查").click()
    page.get_by_text("保密审查已确认，可以发布。").wait_for()
    _shot(page, "review-confirmed-1366")
    page.get_by_role("button", name="发布到公开网站").click()
    page.get_by_text("已发布：公众无需登录即可在公开网站查阅。").wait_for()


def test_a_final_report_is_reviewed_published_read_without_login_and_withdrawn(browser, live_server, cast):  # noqa: F811
    final_report(cast.dept_a, cast.staff_a, narratives=NARRATIVES)
    context, page = _login(browser, live_server, "staff_a")
    page.set_viewport_size(DESKTOP)
    _review_and_publish(page, live_server)
    item = ReportPublication.objects.get(department=cast.dept_a)

    for viewport, size in ((PHONE, "390"), (DESKTOP, "1366")):
        visitor, public = _visitor(browser, viewport)
        public.goto(f"{live_server.url}/public/")
        assert not axe_violations(public)
        _shot(public, f"index-{size}")
        public.get_by_role("link", name=item.title, exact=True).click()
        public.get_by_role("heading", name=item.title).wait_for()
        text = public.locator("main").inner_text()
        assert "办案民警获评先进" in text and "110101199001011234" not in text
        assert public.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # no sideways scroll
        assert not axe_violations(public)
        _shot(public, f"report-{size}")
        public.goto(f"{live_server.url}/public/compliance/?year=2025")
        # Published today: on time until 1 April 2026, late after it.
        expected = "按时公开" if timezone.localdate() <= datetime.date(2026, 4, 1) else "逾期公开"
        assert public.locator("tr", has_text=cast.dept_a.name).locator("td").first.inner_text() == expected
        assert not axe_violations(public)
        _shot(public, f"compliance-{size}")
        visitor.close()

    # The HTML reports a signed-in user reads: the report's preview and the public edition's preview.
    page.goto(f"{live_server.url}/reports/preview/?kind=department_annual&year=2025&department={cast.dept_a.pk}")
    assert not axe_violations(page)
    page.goto(f"{live_server.url}/publication/{item.pk}/preview/")
    assert not axe_violations(page)

    page.goto(f"{live_server.url}/publication/{item.pk}/")
    page.get_by_text("撤回", exact=True).click()
    page.get_by_role("button", name="撤回（公开网站立即不再显示）").click()  # no reason given
    assert page.get_by_text("请说明撤回理由。").is_visible()
    page.get_by_label("撤回理由").fill("发现数据口径有误，更正后重新发布")
    page.get_by_role("button", name="撤回（公开网站立即不再显示）").click()
    page.get_by_text("已撤回，公开网站不再显示该报告。").wait_for()
    context.close()

    visitor, public = _visitor(browser, PHONE)
    response = public.goto(f"{live_server.url}/public/reports/{item.pk}/")
    assert response.status == 404 and public.get_by_role("heading", name="报告不存在（404）").is_visible()
    assert not axe_violations(public)
    public.goto(f"{live_server.url}/public/")
    assert public.get_by_text("暂无已公开的报告。").is_visible()
    visitor.close()


def test_the_public_compliance_table_shows_a_planted_late_and_a_planted_missing_unit(browser, live_server, cast):  # noqa: F811
    def at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))

    publication(cast.dept_a, user=cast.admin, published_at=at(datetime.date(2026, 3, 20)))
    publication(cast.dept_b, user=cast.admin, published_at=at(datetime.date(2026, 4, 2)))  # a day late
    # The county's government published nothing: missing, overdue once 1 April 2026 is past.
    missing = "逾期未公开" if timezone.localdate() > datetime.date(2026, 4, 1) else "尚未公开"
    visitor, public = _visitor(browser, PHONE)
    public.goto(f"{live_server.url}/public/compliance/?year=2025")

    def row(unit):
        return public.locator("tr", has=public.get_by_role("rowheader", name=unit.name, exact=True))

    def state(unit) -> str:
        return row(unit).locator("td").first.inner_text()

    assert (state(cast.dept_a), state(cast.dept_b), state(cast.county)) == ("按时公开", "逾期公开", missing)
    assert row(cast.dept_b).locator("time").inner_text() == "2026年4月2日"
    assert not axe_violations(public)
    _shot(public, "compliance-late-and-missing-390")
    visitor.close()
