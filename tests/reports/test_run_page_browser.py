"""The run page in Debian's Chromium: reports-progress.js polls the status endpoint and, when the run
finishes, writes its edition number into the page and shows the PDF and Word buttons — without a
reload. The run is moved to done directly in the database, so no worker is needed."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import ReportKind, ReportRun
from tests.e2e.conftest import SCREENSHOTS, browser  # noqa: F401  (the module-scoped Chromium fixture)
from tests.e2e.test_year_in_browser import _login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_edition_number_and_downloads_appear_when_polling_sees_the_run_finish(browser, live_server, cast):  # noqa: F811
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL,
        year=2025,
        department=cast.dept_a,
        requested_by=cast.staff_a,
        status=ReportRun.Status.RUNNING,
        progress=30,
        stage="排版生成 PDF",
    )
    context, page = _login(browser, live_server, "staff_a")
    page.goto(f"{live_server.url}/reports/runs/{run.pk}/")
    assert not page.get_by_role("link", name="下载 PDF").is_visible()

    run.file.save("p.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    run.docx_file.save("p.docx", ContentFile(b"PK docx"), save=False)
    run.status, run.progress, run.stage, run.edition = ReportRun.Status.DONE, 100, "已完成", 4
    run.page_count, run.render_seconds, run.sha256, run.finished_at = 3, Decimal("2.5"), "a" * 64, timezone.now()
    run.save()

    page.get_by_role("link", name="下载 Word").first.wait_for(state="visible")
    assert page.locator('[data-field="edition_label"]').inner_text() == "· 第4版"
    assert page.locator('tr.table-active [data-field="edition_number"]').inner_text() == "第4版"
    assert page.locator('tr.table-active [data-field="status_label"]').inner_text() == "已完成"
    assert page.get_by_role("link", name="下载本版 Word").is_visible()
    summary = page.locator('p[data-field="summary"]').inner_text()
    assert summary == "共 3 页 · 生成耗时 2.50 秒"
    assert not page.get_by_text("a" * 64).is_visible()  # the hash waits under 文件校验值
    page.get_by_text("文件校验值").click()
    assert page.get_by_text("a" * 64).is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-run-finished-while-watching.png"), full_page=True)
    context.close()


def test_a_click_on_generate_hands_over_the_pdf_at_once_when_the_report_is_ready(browser, live_server, cast):  # noqa: F811
    """Ready on click: the report of these data was made before; 生成 PDF gives the file straight away
    (the run page it lands on starts the download), and no new run is made."""
    from reports import services

    from .builders import two_years_for

    two_years_for(cast.dept_a)
    made = services.report_run_request(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
    )
    made.refresh_from_db()
    assert made.is_done
    context, page = _login(browser, live_server, "staff_a")
    page.goto(f"{live_server.url}/reports/")
    page.select_option("#id_kind", ReportKind.DEPARTMENT_ANNUAL)
    page.fill("#id_year", "2025")

    with page.expect_download() as download:
        page.get_by_role("button", name="生成 PDF").click()

    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read() == made.file.read()
    assert ReportRun.objects.count() == 1
    page.get_by_text("已完成").first.wait_for(state="visible")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-ready-on-click.png"), full_page=True)
    context.close()
