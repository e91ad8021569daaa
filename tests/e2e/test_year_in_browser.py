"""The whole year as users live it, in a real browser (issue 9 §7): department staff fill part of
the return, reload and find it saved, upload evidence, submit; the reviewer sends two indicators
back; staff fix them and resubmit; the reviewer approves; congress staff request the department's
report, watch it finish and download the PDF, whose text carries the department's figures."""

import datetime
import re
import subprocess

import pytest
from django.utils import timezone

from accounts.models import Department, User
from assessments.models import AnnualReturn
from tests.assessments.factories import open_return
from tests.factories import TEST_PASSWORD, DepartmentFactory, UserFactory
from tests.reviews.factories import scoring_framework

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000


def _year():
    city = DepartmentFactory(code="E000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    justice = DepartmentFactory(code="E001", name="云州市司法局", parent=city)
    bureau = DepartmentFactory(code="E002", name="云州市测试局", parent=city)
    framework = scoring_framework(2025)
    annual_return = open_return(bureau, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    UserFactory(username="e2e_staff", department=bureau)
    UserFactory(username="e2e_reviewer", role=User.Role.REVIEWER, department=justice)
    UserFactory(username="e2e_congress", role=User.Role.CONGRESS, department=None)
    return annual_return, framework


def _login(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]
    return context, page


def _indicator_pk(framework, code):
    return framework.indicators.get(code=code).pk


def _show(page, selector):
    """Open the tab (area or narratives) holding the field, as a user would."""
    pane = page.locator(selector).first.evaluate("element => element.closest('.tab-pane')?.id || ''")
    if pane:
        page.locator(f"button[data-bs-target='#{pane}']").click()
        page.locator(f"#{pane}").wait_for(state="visible")


def _type_and_wait_saved(page, pk, text, *, selector=None):
    field = page.locator(selector or f"#input-{pk}")
    _show(page, selector or f"#input-{pk}")
    with page.expect_response(lambda r: f"/values/{pk}/" in r.url and r.request.method == "POST") as saved:
        field.fill(text)
        field.dispatch_event("change")
    assert saved.value.status == 200, saved.value.text()


def _fill_value(page, framework, code, value):
    pk = _indicator_pk(framework, code)
    _type_and_wait_saved(page, pk, value)


def _fill_rate(page, framework, code, numerator, denominator):
    pk = _indicator_pk(framework, code)
    _show(page, f"#input-{pk}")
    page.fill(f"#input-{pk}", numerator)
    _type_and_wait_saved(page, pk, denominator, selector=f"#den-{pk}")


def _choose(page, framework, code, word):
    pk = _indicator_pk(framework, code)
    _show(page, f"#ind-{pk}")
    with page.expect_response(lambda r: f"/values/{pk}/" in r.url and r.request.method == "POST"):
        page.locator(f"#ind-{pk} input[type=radio][value='{word}']").check()


def _fill_narratives(page):
    for kind in ("measures", "shortcomings", "leadership", "next_year", "other"):
        area = page.locator(f"#ntext-{kind}")
        if area.count() == 0:
            continue
        _show(page, f"#ntext-{kind}")
        with page.expect_response(lambda r, kind=kind: f"/narratives/{kind}/" in r.url and r.request.method == "POST"):
            area.fill(f"全年推进依法行政，{kind}部分已如实填写。")
            area.dispatch_event("change")


def _submit(page, live_server, annual_return, shoot, name):
    page.goto(f"{live_server.url}/returns/{annual_return.pk}/submit/")
    shoot(page, f"{name}-preview")
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_load_state()
    annual_return.refresh_from_db()
    assert annual_return.status == AnnualReturn.Status.SUBMITTED, page.content()[:3000]
    shoot(page, name)


@pytest.fixture
def report_worker(request):
    """The real Celery worker when PostgreSQL and Redis are there (CI), else in-process tasks."""
    from tests.conftest import _integration_unavailable_reason

    if _integration_unavailable_reason() is None:
        return request.getfixturevalue("celery_live")
    return None


def test_a_year_from_first_figure_to_the_downloaded_pdf(browser, live_server, screenshots, tmp_path, report_worker):
    annual_return, framework = _year()
    edit_url = f"{live_server.url}/returns/{annual_return.pk}/edit/"

    # --- department staff: part of the return, reload, it is still there
    staff_context, staff = _login(browser, live_server, "e2e_staff")
    staff.goto(edit_url)
    screenshots(staff, "staff-entry-page")
    _fill_value(staff, framework, "A1.1", "37")
    _fill_rate(staff, framework, "A1.3", "18", "20")
    staff.reload()
    assert staff.input_value(f"#input-{_indicator_pk(framework, 'A1.1')}") == "37"
    assert staff.input_value(f"#den-{_indicator_pk(framework, 'A1.3')}") == "20"
    screenshots(staff, "staff-reloaded-and-saved")

    # --- the rest, narratives, one evidence file, submit
    _choose(staff, framework, "A1.2", "是")
    _fill_value(staff, framework, "A1.4", "全年召开专题会议，落实第一责任人职责。")
    _fill_value(staff, framework, "B1.1", "0")
    _fill_rate(staff, framework, "B1.2", "1", "20")
    _fill_value(staff, framework, "B1.3", "81")
    _fill_narratives(staff)
    staff.goto(f"{live_server.url}/returns/{annual_return.pk}/evidence/")
    pdf = tmp_path / "会议纪要.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    staff.locator("input[type=file]").first.set_input_files(str(pdf))
    staff.locator("form[enctype='multipart/form-data'] button[type=submit]").first.click()
    staff.get_by_text("会议纪要.pdf").first.wait_for()
    screenshots(staff, "staff-evidence-uploaded")
    _submit(staff, live_server, annual_return, screenshots, "staff-submitted")

    # --- the reviewer scores the judgement item and sends two indicators back
    reviewer_context, reviewer = _login(browser, live_server, "e2e_reviewer")
    review_url = f"{live_server.url}/review/returns/{annual_return.pk}/"
    reviewer.goto(review_url)
    judgement = _indicator_pk(framework, "A1.4")
    row = reviewer.locator(f"#row-{judgement}")
    row.locator("input[name=points]").fill("3")
    row.locator("input[name=reason]").fill("材料基本完整")
    with reviewer.expect_response(lambda r: "/score/" in r.url):
        row.locator("button[type=submit]").first.click()
    for code, comment in (("A1.1", "次数与会议纪要不符"), ("B1.3", "满意度调查报告未附")):
        pk = _indicator_pk(framework, code)
        reviewer.locator(f"#reopen-{pk}").check()
        reviewer.locator(f"input[name=comment_{pk}]").fill(comment)
    reviewer.fill("#send-back-form textarea[name=comment]", "请核实两项指标后重新提交。")
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    reviewer.fill("#send-back-form input[name=resubmit_deadline]", deadline.isoformat())
    screenshots(reviewer, "reviewer-sending-back-two")
    reviewer.get_by_role("button", name="退回修改").click()
    reviewer.wait_for_load_state()
    annual_return.refresh_from_db()
    assert annual_return.status == AnnualReturn.Status.RETURNED, reviewer.content()[:3000]
    assert set(annual_return.values.filter(is_reopened=True).values_list("indicator__code", flat=True)) == {
        "A1.1",
        "B1.3",
    }

    # --- staff fix the two and resubmit
    staff.goto(edit_url)
    staff.get_by_text("次数与会议纪要不符").first.wait_for()
    screenshots(staff, "staff-sees-the-comments")
    _fill_value(staff, framework, "A1.1", "42")
    _fill_value(staff, framework, "B1.3", "93.5")
    _submit(staff, live_server, annual_return, screenshots, "staff-resubmitted")

    # --- the reviewer approves
    reviewer.goto(review_url)
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_load_state()
    annual_return.refresh_from_db()
    assert annual_return.status == AnnualReturn.Status.APPROVED, reviewer.content()[:3000]
    screenshots(reviewer, "reviewer-approved")

    # --- congress staff request the department report, watch it finish, download the PDF
    congress_context, congress = _login(browser, live_server, "e2e_congress")
    congress.goto(f"{live_server.url}/reports/")
    congress.select_option("#id_kind", "department_annual")
    congress.fill("#id_year", "2025")
    congress.select_option("#id_department", str(annual_return.department_id))
    screenshots(congress, "congress-requests-report")
    congress.get_by_role("button", name="生成 PDF").click()
    congress.wait_for_url(re.compile(r"/reports/runs/\d+/"))
    screenshots(congress, "congress-watching-progress")  # polled by reports-progress.js until done
    congress.get_by_role("link", name=re.compile("下载.*PDF|PDF")).first.wait_for(timeout=120_000)
    screenshots(congress, "congress-report-done")
    with congress.expect_download() as download:
        congress.get_by_role("link", name=re.compile("下载.*PDF|PDF")).first.click()
    # Chromium saves it under the report's Chinese title (Content-Disposition filename*).
    assert re.fullmatch(r"云州市测试局关于\d{4}年度法治政府建设情况的报告.*\.pdf", download.value.suggested_filename)
    pdf_path = tmp_path / "report.pdf"
    download.value.save_as(pdf_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True).stdout
    text = text.decode()
    assert "云州市测试局" in text.replace(" ", "")
    assert "42" in text and "93.5" in text, text[:3000]
    for context in (staff_context, reviewer_context, congress_context):
        context.close()
