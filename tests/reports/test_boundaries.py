"""Architectural boundaries of the report pipeline."""

from pathlib import Path

import pytest
from django.conf import settings

from reports import services
from reports.models import ReportKind, ReportRun

ROOT = Path(settings.BASE_DIR)


def test_weasyprint_is_imported_only_by_the_reports_pdf_package():
    importers = [
        path.relative_to(ROOT).as_posix()
        for folder in ("accounts", "indicators", "assessments", "reviews", "congress", "reports", "lawgov")
        for path in (ROOT / folder).rglob("*.py")
        if "import weasyprint" in path.read_text(encoding="utf-8")
        or "from weasyprint" in path.read_text(encoding="utf-8")
    ]
    assert importers and all(path.startswith("reports/pdf/") for path in importers)


@pytest.mark.django_db
def test_a_broker_outage_at_commit_keeps_the_request_and_leaves_the_run_queued(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    """Redis down when the user asks: the page succeeds, the run waits for the sweeper."""
    from kombu.exceptions import OperationalError

    from reports.tasks import report_run_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(report_run_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(report_run_task, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )

    run.refresh_from_db()
    assert run.status == ReportRun.Status.QUEUED
