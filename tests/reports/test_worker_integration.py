"""Report runs through the real broker (Redis) and a real prefork worker on the PostgreSQL test DB."""

import os
import signal
import subprocess
import time

import pytest
from django.db import transaction

from assessments.models import NarrativeSection
from reports import services
from reports.models import ReportKind, ReportRun

from .builders import two_years_for
from .pdf_text import pdf_to_text, squeeze

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for(run_id: int, *, timeout: float = 90, until=lambda run: not run.is_pending) -> ReportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ReportRun.objects.get(pk=run_id)
        if until(run):
            return run
        time.sleep(0.05)
    pytest.fail(f"run {run_id} did not get there in {timeout}s: {ReportRun.objects.get(pk=run_id).status}")


def test_a_department_report_is_generated_by_the_real_worker(cast, celery_live):
    two_years_for(cast.dept_a)

    with transaction.atomic():
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )

    run = _wait_for(run.pk)
    assert run.status == ReportRun.Status.DONE, run.error_message
    text = squeeze(pdf_to_text(run.file.read()))
    assert "全年办理行政复议案件71件，较上年增加8件" in text
    assert "行政机关负责人出庭应诉率99.13%，较上年提高5.27个百分点" in text


@pytest.mark.parametrize(
    ("kind", "scope", "expected"),
    [
        (
            ReportKind.GOVERNMENT_ANNUAL,
            "city",
            [
                "测试市人民政府关于2025年度法治政府建设情况的报告",
                "行政机关负责人出庭应诉率99.13%，较上年提高5.27个百分点",
            ],
        ),
        (
            ReportKind.CONGRESS_SURVEY,
            None,
            [
                "关于2025年度法治政府建设情况的调研报告",
                "受访者占66.67%（4/6）。其中，人大代表满意率为75%，普通群众满意率为50%",
                "代表建议1件，所提问题已经解决或基本解决的0件，部分解决或已列入计划解决的0件，合计占比0%",
                "规范涉企行政检查",
            ],
        ),
        (ReportKind.RESULTS_NOTICE, None, ["关于2025年度法治政府建设考核结果的通报", "优秀等次（1个）：测试市甲局。"]),
    ],
)
def test_every_report_kind_is_generated_by_the_real_worker(
    kind, scope, expected, cast, congress_year, published_year, celery_live
):
    with transaction.atomic():
        run = services.report_run_request(
            kind=kind, year=2025, department=getattr(cast, scope) if scope else None, user=cast.admin
        )

    run = _wait_for(run.pk)

    assert run.status == ReportRun.Status.DONE, run.error_message
    text = squeeze(pdf_to_text(run.file.read()))
    for phrase in expected:
        assert phrase in text


def _pool_child_pids(worker_pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(worker_pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in result.stdout.split()]


def test_killing_the_worker_child_mid_render_still_finishes_the_report_exactly_once(cast, celery_live):
    """SIGKILL of the prefork child while it renders: acks_late + reject_on_worker_lost re-deliver
    the task, the row's claim counts a second attempt, and one edition with one file results."""
    # Five long narrative sections (the longest a department may type) make a ~100-page report
    # that takes seconds to lay out: long enough to kill the child while WeasyPrint works.
    long_text = "\n".join(["全面落实行政执法三项制度，严格规范公正文明执法。" * 40] * 20)[:19000]
    two_years_for(cast.dept_a, narratives=dict.fromkeys(NarrativeSection.Kind.values, long_text))
    with transaction.atomic():
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    running = _wait_for(run.pk, until=lambda r: r.stage == "排版生成 PDF")
    assert running.attempts == 1
    children = _pool_child_pids(celery_live.process.pid)
    assert children, "no prefork child found"
    for pid in children:
        os.kill(pid, signal.SIGKILL)

    run = _wait_for(run.pk, timeout=120)

    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.attempts == 2
    assert run.edition == 1
    assert ReportRun.objects.filter(kind=ReportKind.DEPARTMENT_ANNUAL, department=cast.dept_a).count() == 1
    assert run.file.read().startswith(b"%PDF-")
