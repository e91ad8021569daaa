"""Requesting, retrying and finalising (定稿) a report are consequential actions: each writes one
AuditEvent naming the run, its unit and what changed (issue 18 §4); refusals and no-ops write none."""

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from reports import services
from reports.models import ReportKind, ReportRun

from .builders import done_run, failed_run, two_years_for

pytestmark = pytest.mark.django_db


def _events_about(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)).order_by("pk"))


def test_a_request_writes_one_event_naming_the_report_and_its_unit(cast, django_capture_on_commit_callbacks):
    two_years_for(cast.dept_a)
    with django_capture_on_commit_callbacks(execute=False):
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    [event] = _events_about(run)
    assert (event.action, event.actor_id, event.department_id) == ("change", cast.staff_a.pk, cast.dept_a.pk)
    assert event.after == {"requested": run.get_kind_display(), "year": 2025}


def test_a_retry_writes_one_event_and_a_retry_with_nothing_to_do_none(cast, django_capture_on_commit_callbacks):
    run = failed_run(cast.dept_a, user=cast.staff_a)
    before = len(_events_about(run))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.report_run_retry(run=run, user=cast.staff_a) is True
        assert services.report_run_retry(run=run, user=cast.staff_a) is False  # already queued
    [event] = _events_about(run)[before:]
    assert (event.before, event.after) == ({"status": "failed"}, {"status": "queued", "retried": True})


def test_finalising_writes_one_event_and_doing_it_again_none(cast):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)
    before = len(_events_about(run))
    services.report_run_mark_final(run=run, user=cast.congress)
    services.report_run_mark_final(run=run, user=cast.congress)
    [event] = _events_about(run)[before:]
    assert (event.actor_id, event.before, event.after) == (cast.congress.pk, {"is_final": False}, {"is_final": True})


def test_a_refused_retry_writes_no_event(cast):
    run = failed_run(cast.dept_a, user=cast.staff_a)
    before = AuditEvent.objects.filter(action="change").count()
    with pytest.raises(PermissionDenied):
        services.report_run_retry(run=run, user=cast.staff_b)
    assert AuditEvent.objects.filter(action="change").count() == before


def test_a_batch_request_writes_one_event_for_the_batch(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.report_batch_request(year=2025, user=cast.reviewer)
    [event] = _events_about(batch)
    runs = ReportRun.objects.filter(batch=batch).count()
    assert event.after == {"requested": ReportKind.DEPARTMENT_ANNUAL.label, "year": 2025, "runs": runs}
