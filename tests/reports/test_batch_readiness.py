"""批量生成 with ready on click (issue 19 §5): a unit whose data are unchanged since a finished edition is
served that edition without a render; only units whose data changed are rendered, and the batch
page says which is which."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import NarrativeSection
from reports import readiness, selectors, services
from reports.models import ReportBatch, ReportKind, ReportRun
from reports.views import REUSED_NOTE

from .builders import done_run, two_years_for

pytestmark = pytest.mark.django_db
DEPT = ReportKind.DEPARTMENT_ANNUAL
Status = ReportRun.Status


@pytest.fixture
def execute(django_capture_on_commit_callbacks):
    """Run a service and render what it queues in-process, as the embedded default does."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def _refuse(*args, **kwargs):
    raise AssertionError("rendered although the data had not changed")


@pytest.fixture
def no_render(monkeypatch):
    monkeypatch.setattr(services, "render_pdf_document", _refuse)


@pytest.fixture
def edition(cast, execute):
    """dept_b's 2025 report, rendered once (the scoped reviewer's batch covers dept_b alone)."""
    two_years_for(cast.dept_b)
    run = execute(services.report_run_request, kind=DEPT, year=2025, department=cast.dept_b, user=cast.staff_b)
    run.refresh_from_db()
    assert run.status == Status.DONE
    return run


def batch_of(cast, execute) -> ReportBatch:
    return execute(services.report_batch_request, year=2025, user=cast.reviewer_scoped)


def test_a_batch_serves_an_unchanged_units_edition_without_rendering(cast, execute, edition, no_render):
    batch = batch_of(cast, execute)

    assert list(selectors.batch_runs(batch)) == [edition]
    assert ReportRun.objects.count() == 1
    edition.refresh_from_db()
    assert (edition.edition, edition.attempts, edition.status) == (1, 1, Status.DONE)


def test_a_batch_renders_a_unit_whose_data_changed(cast, execute, edition):
    edition.department.annual_returns.get(year=2025).narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(
        text="推进综合执法改革。"
    )

    batch = batch_of(cast, execute)

    (rendered,) = selectors.batch_runs(batch)
    assert rendered.pk != edition.pk
    assert (rendered.status, rendered.edition, rendered.batch_id) == (Status.DONE, 2, batch.pk)
    assert rendered.fingerprint != edition.fingerprint
    assert not batch.reused.exists()


def test_a_batch_takes_the_automatic_render_of_the_changed_data(cast, execute, edition, monkeypatch):
    edition.department.annual_returns.get(year=2025).narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(
        text="推进综合执法改革。"
    )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    readiness.report_refresh_schedule(scopes=readiness.kept_ready(years=[2025]), now=an_hour_ago)
    (automatic,) = readiness.report_refreshes_dispatch_due()
    monkeypatch.setattr(services, "render_pdf_document", _refuse)

    batch = batch_of(cast, execute)

    (served,) = selectors.batch_runs(batch)
    assert served.pk == automatic
    assert (served.is_automatic, served.edition, served.requested_by) == (False, 2, cast.reviewer_scoped)


def test_the_batch_progress_counts_the_reused_editions_as_done_and_says_so(cast, execute, edition, no_render):
    batch = batch_of(cast, execute)

    progress = selectors.batch_progress(batch)

    assert (progress.total, progress.done, progress.reused, progress.is_finished) == (1, 1, 1, True)
    assert progress.summary == "已完成 1 / 1（其中 1 份数据未变，沿用已有版本），失败 0"


def test_the_batch_status_names_a_reused_row_by_its_unit(cast, client):
    """The page's row of a unit was its queued run; the status finds it by unit and says it was reused."""
    batch = ReportBatch.objects.create(kind=DEPT, year=2025, requested_by=cast.reviewer)
    reused = done_run(cast.dept_b, user=cast.staff_b)
    batch.reused.add(reused)
    client.force_login(cast.reviewer)

    (row,) = client.get(reverse("reports:batch_status", args=[batch.pk])).json()["runs"]

    assert (row["id"], row["unit"], row["stage"]) == (reused.pk, cast.dept_b.pk, REUSED_NOTE)
    assert row["detail_url"] == reverse("reports:run_detail", args=[reused.pk])


def test_the_batch_page_marks_each_row_with_its_unit(cast, client):
    batch = ReportBatch.objects.create(kind=DEPT, year=2025, requested_by=cast.reviewer)
    batch.reused.add(done_run(cast.dept_b, user=cast.staff_b))
    client.force_login(cast.reviewer)

    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()

    assert f'data-unit-id="{cast.dept_b.pk}"' in html
    assert REUSED_NOTE in html


def test_the_batch_zip_holds_the_reused_editions(cast, client):
    batch = ReportBatch.objects.create(kind=DEPT, year=2025, requested_by=cast.reviewer)
    done_run(cast.dept_a, user=cast.reviewer, batch=batch)
    batch.reused.add(done_run(cast.dept_b, user=cast.staff_b))
    client.force_login(cast.reviewer)

    response = client.get(reverse("reports:batch_download", args=[batch.pk]))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert len(names) == 2
