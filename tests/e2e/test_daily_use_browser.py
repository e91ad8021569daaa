"""Issue 14 in Debian's Chromium, at an office screen (1366×768) and a phone (390×844): a refused
evidence upload shows its reason next to the file input (per-indicator panel and 佐证材料 page),
a good one updates the field's badge, count and reminder without a reload; an explanation over
1,000 characters is refused with the text kept and the counter red. Screenshots go to
e2e-screenshots/daily-use/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn
from tests.assessments.factories import framework_with, open_return, value_row
from tests.assessments.hostile_files import HTML_BYTES, PDF_BYTES
from tests.factories import DepartmentFactory, UserFactory

from .conftest import SCREENSHOTS
from .test_layout_widths import VIEWPORTS, open_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS / "daily-use"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.fixture
def entry(live_server, media):
    city = DepartmentFactory(code="D000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    bureau = DepartmentFactory(code="D002", name="云州市测试局", parent=city)
    framework = framework_with({"code": "K1", "name": "行政复议案件数", "unit": "件"})
    framework.indicators.filter(code="K1").update(is_evidence_required=True)
    annual_return = open_return(bureau, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    UserFactory(username="daily_staff", department=bureau)
    fake, good = media / "伪装.pdf", media / "决定书.pdf"
    fake.write_bytes(HTML_BYTES)
    good.write_bytes(PDF_BYTES)
    return {"return": annual_return, "K1": value_row(annual_return, "K1").indicator_id, "fake": fake, "good": good}


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_evidence_refusals_show_beside_the_input_and_an_upload_updates_the_field(browser, live_server, entry, size):
    context, page = open_page(browser, live_server, VIEWPORTS[size], "daily_staff")
    pk = entry["K1"]
    page.goto(live_server.url + reverse("assessments:return_edit", args=[entry["return"].pk]))
    page.locator(f"#ind-{pk} button[aria-controls='evidence-slot-{pk}']").click()
    panel = page.locator(f"#evidence-{pk}")
    panel.locator("input[type=file]").set_input_files(str(entry["fake"]))
    panel.locator("button[type=submit]").click()
    refusal = page.locator(f"#evidence-{pk}-refused")
    refusal.wait_for()
    assert "未上传" in refusal.inner_text() and "伪装.pdf" in refusal.inner_text()
    _shoot(page, f"evidence-refused-{size}")

    page.locator(f"#evidence-{pk} input[type=file]").set_input_files(str(entry["good"]))
    page.locator(f"#evidence-{pk} button[type=submit]").click()
    page.locator(f"#evidence-{pk}", has_text="决定书.pdf").wait_for()
    assert "已上传 1 个" in page.locator(f"#evidence-badge-{pk}").inner_text()
    assert page.locator(f"#evidence-button-count-{pk}").inner_text() == "1"
    assert "须上传佐证材料" not in page.locator(f"#errors-{pk}").inner_text()
    assert page.evaluate("() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
                         " return ids.length - new Set(ids).size; }") == 0  # fmt: skip
    _shoot(page, f"evidence-uploaded-{size}")

    page.goto(live_server.url + reverse("assessments:evidence_list", args=[entry["return"].pk]))
    page.locator("#evidence-return input[type=file]").set_input_files(str(entry["fake"]))
    page.locator("#evidence-return button[type=submit]").click()
    page.locator("#evidence-return-refused").wait_for()
    assert "伪装.pdf" in page.locator("#evidence-return-refused").inner_text()
    _shoot(page, f"evidence-list-refused-{size}")
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_long_explanation_is_refused_with_the_text_kept_and_the_counter_red(browser, live_server, entry, size):
    context, page = open_page(browser, live_server, VIEWPORTS[size], "daily_staff")
    pk = entry["K1"]
    page.goto(live_server.url + reverse("assessments:return_edit", args=[entry["return"].pk]))
    page.locator(f"#ind-{pk} details summary").click()
    box = page.locator(f"#ind-{pk} textarea[name=explanation]")
    counter = page.locator(f"#ind-{pk} details [data-count-output]")
    box.fill("说" * 999)
    box.dispatch_event("input")
    assert "text-danger" not in (counter.get_attribute("class") or "")
    with page.expect_response(lambda r: f"/values/{pk}/" in r.url and r.request.method == "POST") as saved:
        box.fill("说" * 1001)
        box.dispatch_event("input")
        box.blur()
    assert saved.value.status == 422
    status = page.locator(f"#status-{pk}")
    status.filter(has_text="未保存").wait_for()
    assert "不能超过 1000 字" in status.inner_text()
    assert "text-danger" in counter.get_attribute("class") and counter.inner_text() == "1001 / 1000 字"
    assert box.input_value() == "说" * 1001
    assert value_row(entry["return"], "K1").explanation == ""
    _shoot(page, f"explanation-refused-{size}")
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_batch_rows_show_each_units_live_state(browser, live_server, cast, media, size):
    """The rows stayed 排队中 while the counter said 已完成 2/17: each row now follows its run."""
    from django.core.files.base import ContentFile

    from reports.models import ReportBatch, ReportKind, ReportRun

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.reviewer)
    first, second = (
        ReportRun.objects.create(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=department, requested_by=cast.reviewer,
            batch=batch, stage="排队等待生成",
        )
        for department in (cast.dept_a, cast.dept_b)
    )  # fmt: skip
    context, page = open_page(browser, live_server, VIEWPORTS[size], "reviewer")
    page.goto(live_server.url + reverse("reports:batch_detail", args=[batch.pk]))
    row = page.locator(f'tr[data-run-id="{first.pk}"]')
    assert not row.get_by_role("link", name="PDF").is_visible()

    first.file.save("p.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    first.status, first.progress, first.stage, first.edition = ReportRun.Status.DONE, 100, "已完成", 1
    first.sha256, first.page_count = "b" * 64, 2
    first.save()
    ReportRun.objects.filter(pk=second.pk).update(status=ReportRun.Status.RUNNING, stage="排版生成 PDF", progress=40)

    row.get_by_role("link", name="PDF").wait_for(state="visible")
    assert row.locator('[data-field="status_label"]').inner_text() == "已完成"
    assert row.locator('[data-field="edition_number"]').inner_text() == "第1版"
    other = page.locator(f'tr[data-run-id="{second.pk}"]')
    other.locator('[data-field="stage"]', has_text="排版生成 PDF").wait_for()
    assert other.locator('[data-field="status_label"]').inner_text() == "生成中"
    _shoot(page, f"batch-live-rows-{size}")
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_long_explanation_does_not_squeeze_the_indicator_names(browser, live_server, entry, size):
    """The read-only return: the name column shrank to one or two characters per line for the whole
    section when one explanation was 1,000 characters long."""
    from assessments.models import IndicatorValue

    IndicatorValue.objects.filter(pk=value_row(entry["return"], "K1").pk).update(explanation="情况说明" * 250)
    context, page = open_page(browser, live_server, VIEWPORTS[size], "daily_staff")
    page.goto(live_server.url + reverse("assessments:return_detail", args=[entry["return"].pk]))
    table = page.locator("table.lg-return-table").first
    name_cell = table.locator("tbody tr td").first
    table_width = table.bounding_box()["width"]
    assert name_cell.bounding_box()["width"] >= 0.3 * table_width
    text_height = name_cell.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().height; }"
    )
    assert text_height < 80  # K1 行政复议案件数 on one to three lines, not a column of characters
    _shoot(page, f"return-detail-long-explanation-{size}")
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_reviewers_workbench_shows_the_waiting_work_and_leads_to_it(browser, live_server, cast, size):
    """工作台 showed only the scope and unit counts; now what waits, with counts and links."""
    from tests.reviews.factories import scoring_framework, submitted_return

    submitted_return(cast.dept_a, cast.staff_a, scoring_framework(2025))
    context, page = open_page(browser, live_server, VIEWPORTS[size], "reviewer")
    page.goto(live_server.url + reverse("accounts:home"))
    item = page.locator("a[data-work-item]", has_text="待审核的填报（首次提交）")
    assert item.locator(".fs-4").inner_text() == "1"
    _shoot(page, f"workbench-reviewer-{size}")
    item.click()
    page.wait_for_url("**/review/?year=2025&status=submitted")
    assert "测试市甲局" in page.content()
    context.close()
