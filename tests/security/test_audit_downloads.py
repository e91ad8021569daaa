"""Cross-department reads that leave the system as files (ASVS 5.0 16.3.2 at L3, adopted; issue 9
§6): a reviewer's or congress staff's download of a unit's report (PDF or DOCX), a batch archive of
every unit's reports and the progress export each write exactly one read event naming the reader
and the object; a department downloading its own report writes none."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from reports.models import ReportBatch, ReportKind
from tests.reports.builders import done_run


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.READ).order_by("pk"))


@pytest.mark.parametrize("role", ["reviewer", "congress"])
@pytest.mark.parametrize("url_name", ["reports:run_download", "reports:run_download_docx"])
def test_a_reviewer_or_congress_download_of_a_units_report_writes_one_read_event(cast, client, role, url_name):
    run = done_run(cast.dept_a, user=cast.admin)
    reader = getattr(cast, role)
    client.force_login(reader)
    assert client.get(reverse(url_name, args=[run.pk])).status_code == 200
    (event,) = _reads()
    assert (event.actor_id, event.role, event.object_type, event.object_id, event.department_id) == (
        reader.pk,
        reader.role,
        "reports.ReportRun",
        str(run.pk),
        cast.dept_a.pk,
    )


def test_congress_staff_downloading_a_citywide_report_is_recorded(cast, client):
    run = done_run(None, user=cast.admin, kind=ReportKind.CONGRESS_SURVEY)
    client.force_login(cast.congress)
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 200
    (event,) = _reads()
    assert (event.object_id, event.department_id) == (str(run.pk), None)


def test_a_department_downloading_its_own_report_is_not_a_cross_department_read(cast, client):
    run = done_run(cast.dept_a, user=cast.staff_a)
    client.force_login(cast.staff_a)
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 200
    assert _reads() == []


def test_a_batch_archive_of_every_units_reports_writes_one_read_event(cast, client):
    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.admin)
    done_run(cast.dept_a, user=cast.admin, batch=batch)
    done_run(cast.dept_b, user=cast.admin, batch=batch)
    client.force_login(cast.congress)
    assert client.get(reverse("reports:batch_download", args=[batch.pk])).status_code == 200
    (event,) = _reads()
    expected = (cast.congress.pk, "reports.ReportBatch", str(batch.pk))
    assert (event.actor_id, event.object_type, event.object_id) == expected


@pytest.mark.parametrize("role", ["reviewer", "congress"])
def test_the_progress_export_by_a_reviewer_or_congress_staff_writes_one_read_event(cast, client, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("assessments:progress_export"))
    assert response.status_code == 200
    (event,) = _reads()
    assert (event.actor_id, event.object_type) == (getattr(cast, role).pk, "assessments:progress_export")


def test_an_administrator_exporting_progress_is_not_a_cross_department_reader(cast, client):
    client.force_login(cast.admin)
    assert client.get(reverse("assessments:progress_export")).status_code == 200
    assert _reads() == []
