"""The 数据提供单位's grid in Debian's Chromium (static/js/assessments-provided.js): a value typed and
saved when the cell is left, a block pasted from Excel saved in one request, a colleague's save shown
as a conflict with both values (nothing overwritten), an xlsx uploaded and applied, and a unit's
dispute answered. Screenshots at 1366×768 and at a phone's width: e2e-screenshots/provided-*.png."""

import contextlib
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Error as PlaywrightError

from accounts.models import Department, User
from assessments.excel.provided import provided_template
from assessments.models import ProvidedValue, ProvidedValueDispute
from indicators.models import ProvidedPart
from indicators.provisions import indicator_provision_set
from tests.assessments.factories import framework_with, open_return, rate_indicator, value_row
from tests.factories import DepartmentFactory, UserFactory

from .conftest import numbered_screenshots
from .test_year_in_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def shoot():
    return numbered_screenshots("provided")


@pytest.fixture
def year(live_server):
    """A city with three units and a court providing K1 (a count) and K2's denominator."""
    city = DepartmentFactory(code="P000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    units = [
        DepartmentFactory(code=f"P00{n}", name=name, parent=city) for n, name in ((1, "市公安局"), (2, "市教育局"))
    ]
    court = DepartmentFactory(
        code="P090", name="云州市中级人民法院", short_name="市中级人民法院", parent=city, is_assessed=False
    )
    framework = framework_with({"code": "K1", "name": "行政诉讼案件数", "unit": "件"})
    rate_indicator(
        code="K2",
        name="负责人出庭应诉率",
        numerator_label="出庭件数",
        denominator_label="开庭件数",
        group=framework.indicators.first().group,
        framework=framework,
    )
    indicator_provision_set(indicator=framework.indicators.get(code="K1"), provider=court)
    indicator_provision_set(
        indicator=framework.indicators.get(code="K2"), provider=court, part=ProvidedPart.DENOMINATOR
    )
    returns = {unit.code: open_return(unit, framework) for unit in [city, *units]}
    UserFactory(username="e2e_court", role=User.Role.PROVIDER, department=court)
    UserFactory(username="e2e_court_2", role=User.Role.PROVIDER, department=court)
    UserFactory(username="e2e_police", department=units[0])
    return {"url": f"{live_server.url}/returns/provided/", "returns": returns, "court": court}


def _cell(page, annual_return, code, part):
    indicator_id = value_row(annual_return, code).indicator_id
    return page.locator(f'input.lg-cell[data-r="{annual_return.pk}"][data-i="{indicator_id}"][data-p="{part}"]')


def _saved(page, action):
    with page.expect_response(lambda r: r.url.endswith("/returns/provided/save/")) as response:
        action()
    return response.value


def test_typing_a_cell_saves_it_when_left(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(year["url"])
    police = year["returns"]["P001"]
    cell = _cell(page, police, "K1", "value")
    cell.fill("12")
    response = _saved(page, lambda: cell.press("Tab"))
    assert response.status == 200
    page.locator("#grid-status", has_text="已保存 1 项").wait_for()
    assert value_row(police, "K1").value_integer == 12
    shoot(page, "typed-1366")
    context.close()


def test_a_block_pasted_from_excel_is_saved_in_one_request(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    city = year["returns"]["P000"]
    first = _cell(page, city, "K1", "value")
    first.focus()
    block = "3\t10\n4\t20\n5\t30\n"  # two columns (K1, K2.den) by three units, as Excel copies it
    response = _saved(
        page,
        lambda: page.evaluate(
            """([selector, text]) => {
                const data = new DataTransfer(); data.setData("text/plain", text);
                const paste = new ClipboardEvent("paste", {clipboardData: data, bubbles: true});
                document.querySelector(selector).dispatchEvent(paste);
            }""",
            [f'input.lg-cell[data-r="{city.pk}"][data-p="value"]', block],
        ),
    )
    assert response.status == 200 and len(response.json()["cells"]) == 6
    page.locator("#grid-status", has_text="已保存 6 项").wait_for()
    assert [value_row(r, "K2").denominator for r in year["returns"].values()] == [10, 20, 30]
    shoot(page, "pasted")
    context.close()


def test_a_colleagues_save_is_shown_as_a_conflict_and_nothing_is_overwritten(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    police = year["returns"]["P001"]
    other_context, other = _login(browser, live_server, "e2e_court_2")
    other.goto(year["url"])
    theirs = _cell(other, police, "K1", "value")
    theirs.fill("7")
    _saved(other, lambda: theirs.press("Tab"))
    mine = _cell(page, police, "K1", "value")
    mine.fill("9")
    response = _saved(page, lambda: mine.press("Tab"))
    assert response.status == 409
    box = page.locator(".lg-cell-conflict .lg-cell-message")
    box.wait_for()
    assert "7" in box.inner_text() and "9" in box.inner_text()
    assert mine.input_value() == "9"  # what was typed stays
    assert value_row(police, "K1").value_integer == 7
    shoot(page, "conflict")
    _saved(page, lambda: page.get_by_role("button", name="保留我的值").click())
    page.locator("#grid-status", has_text="已保存 1 项").wait_for()
    assert value_row(police, "K1").value_integer == 9
    other_context.close()
    context.close()


def test_an_uploaded_workbook_is_previewed_and_applied(browser, live_server, year, shoot, tmp_path):
    workbook = load_workbook(io.BytesIO(provided_template(year["court"], 2025)))
    sheet = workbook["提供数据"]
    sheet["C3"] = 21  # first unit, K1
    path = tmp_path / "提供数据.xlsx"
    workbook.save(path)
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认保存").wait_for()
    shoot(page, "upload-preview")
    page.get_by_role("button", name="确认保存").click()
    page.locator(".alert", has_text="已从 Excel 导入").wait_for()
    assert value_row(year["returns"]["P000"], "K1").value_integer == 21
    context.close()


def test_a_unit_disputes_a_provided_value_and_the_court_answers(browser, live_server, year, shoot):
    from assessments.services.provided import ProvidedInput, provided_values_save

    police = year["returns"]["P001"]
    provided_values_save(
        provider=year["court"],
        inputs=[ProvidedInput(police.pk, value_row(police, "K1").indicator_id, "value", "12", 0)],
        user=User.objects.get(username="e2e_court"),
    )
    context, page = _login(browser, live_server, "e2e_police")
    page.goto(f"{live_server.url}/returns/{police.pk}/edit/")
    field = page.locator(f"#ind-{value_row(police, 'K1').indicator_id}")
    assert "数据来源：市中级人民法院" in field.inner_text()
    shoot(page, "unit-read-only")
    field.get_by_role("link", name="提出异议").click()
    page.fill("textarea[name=reason]", "我局实际被诉 10 件，附判决书清单。")
    page.get_by_role("button", name="提交异议").click()
    page.locator(".alert", has_text="已对").wait_for()
    context.close()
    context, page = _login(browser, live_server, "e2e_court")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(year["url"])
    shoot(page, "grid-phone")
    page.get_by_role("link", name="答复", exact=True).click()
    page.get_by_label("更正数据").check()
    page.fill("input[name=value]", "10")
    page.fill("textarea[name=answer]", "经核对更正为 10 件。")
    page.get_by_role("button", name="提交答复").click()
    page.locator(".alert", has_text="已答复异议").wait_for()
    shoot(page, "answered-phone")
    dispute = ProvidedValueDispute.objects.get()
    assert dispute.status == ProvidedValueDispute.Status.CORRECTED
    assert ProvidedValue.objects.get(annual_return=police).raw_input == {"value": "10"}
    assert value_row(police, "K1").value_integer == 10
    context.close()


def _leave(page, url):
    """Navigate away; the beforeunload dialogs the page raised, each dismissed (the page stays)."""
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    # A dismissed beforeunload cancels the navigation, which Playwright reports as an error.
    with contextlib.suppress(PlaywrightError):
        page.goto(url, timeout=3000)
    page.remove_listener("dialog", dismiss)
    return dialogs


def test_leaving_with_a_cell_still_being_typed_asks_first(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    cell = _cell(page, year["returns"]["P001"], "K1", "value")
    cell.click()
    page.keyboard.type("15")  # not left: no change event, nothing sent yet
    assert _leave(page, f"{live_server.url}/") == ["beforeunload"]
    assert page.url.startswith(year["url"]) and cell.input_value() == "15"
    context.close()


def test_a_failed_save_is_marked_in_the_cell_and_leaving_asks_first(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    page.route("**/returns/provided/save/", lambda route: route.abort())
    police = year["returns"]["P001"]
    cell = _cell(page, police, "K1", "value")
    cell.click()
    page.keyboard.type("12")
    cell.press("Tab")
    message = page.locator(".lg-cell-error .lg-cell-message", has_text="未保存")
    message.wait_for()
    assert "网络中断" in message.inner_text()
    shoot(page, "failed-save")
    assert _leave(page, f"{live_server.url}/") == ["beforeunload"]
    assert cell.input_value() == "12" and not ProvidedValue.objects.exists()
    context.close()


def test_leaving_after_every_cell_is_saved_does_not_ask(browser, live_server, year, shoot):
    context, page = _login(browser, live_server, "e2e_court")
    page.goto(year["url"])
    cell = _cell(page, year["returns"]["P001"], "K1", "value")
    cell.click()
    page.keyboard.type("十二")  # unreadable: saved as typed with its error, nothing is left unsaved
    _saved(page, lambda: cell.press("Tab"))
    page.locator("#grid-status", has_text="已保存").wait_for()
    assert _leave(page, f"{live_server.url}/") == []
    context.close()
