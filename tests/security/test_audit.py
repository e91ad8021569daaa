"""The application-wide audit log (ASVS 5.0 V16): cross-department reads by reviewers and congress
staff, refused access, append-only rows, written in the same transaction as what it records."""

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AuditEvent, AuditEventImmutable
from audit.services import audit_record
from tests.reviews import factories as rf


@pytest.fixture
def return_a(cast):
    return rf.submitted_return(cast.dept_a, cast.staff_a, rf.framework_for())


def _events(**filters):
    return list(AuditEvent.objects.filter(**filters))


# --- cross-department reads (ASVS 5.0 16.3.2, L3 adopted) ----------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "congress"])
def test_a_reviewer_or_congress_read_of_another_units_return_writes_one_event(cast, client, return_a, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("assessments:return_detail", kwargs={"pk": return_a.pk}))
    assert response.status_code == 200
    (event,) = _events(action="read")
    assert (event.actor_id, event.role, event.object_type, event.object_id, event.department_id) == (
        getattr(cast, role).pk,
        getattr(cast, role).role,
        "assessments.AnnualReturn",
        str(return_a.pk),
        cast.dept_a.pk,
    )
    assert event.ip == "127.0.0.1" and event.created_at.tzinfo is not None


def test_every_read_page_of_a_return_is_recorded_once_each(cast, client, return_a):
    from reviews.services.scoring import score_sheet_compute

    sheet = score_sheet_compute(annual_return=return_a)[0]
    client.force_login(cast.reviewer)
    urls = [
        reverse("assessments:return_detail", kwargs={"pk": return_a.pk}),
        reverse("assessments:return_history", kwargs={"pk": return_a.pk}),
        reverse("assessments:evidence_list", kwargs={"pk": return_a.pk}),
        reverse("reviews:review", kwargs={"pk": return_a.pk}),
        reverse("reviews:sheet", kwargs={"pk": sheet.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert [event.path for event in AuditEvent.objects.filter(action="read").order_by("id")] == urls


def test_an_evidence_download_by_a_reviewer_is_recorded(cast, client, return_a):
    from assessments.models import AnnualReturn
    from assessments.services.evidence import evidence_upload

    AnnualReturn.objects.filter(pk=return_a.pk).update(status="in_progress")
    return_a.refresh_from_db()
    evidence = evidence_upload(annual_return=return_a, uploaded_file=rf.small_pdf(), user=cast.staff_a)
    client.force_login(cast.reviewer)
    response = client.get(reverse("assessments:evidence_download", kwargs={"pk": evidence.pk}))
    assert response.status_code == 200
    assert _events(action="read", object_type="assessments.Evidence", object_id=str(evidence.pk))


def test_staff_reading_their_own_return_is_not_a_cross_department_read(cast, client, return_a):
    client.force_login(cast.staff_a)
    assert client.get(reverse("assessments:return_detail", kwargs={"pk": return_a.pk})).status_code == 200
    assert _events() == []


# --- refusals (ASVS 5.0 16.3.2) ----------------------------------------------------------------------


def test_another_departments_return_answers_404_and_the_refusal_is_logged(cast, client, return_a):
    client.force_login(cast.staff_b)
    url = reverse("assessments:return_detail", kwargs={"pk": return_a.pk})
    assert client.get(url).status_code == 404
    (event,) = _events(action="denied")
    assert (event.actor_id, event.status, event.object_type, event.object_id, event.path) == (
        cast.staff_b.pk,
        404,
        "assessments:return_detail",
        str(return_a.pk),
        url,
    )


def test_a_forbidden_action_is_logged(cast, client, return_a):
    client.force_login(cast.staff_a)
    assert client.post(reverse("reviews:approve", kwargs={"pk": return_a.pk})).status_code == 403
    (event,) = _events(action="denied")
    assert event.status == 403 and event.after == {"method": "POST"}


def test_unknown_urls_and_anonymous_visitors_are_not_logged_as_refusals(cast, client):
    assert client.get("/no-such-page/").status_code in (302, 404)
    client.force_login(cast.staff_a)
    assert client.get("/no-such-page/").status_code == 404
    assert _events() == []


# --- append-only (ASVS 5.0 16.4.2) -------------------------------------------------------------------


def _event(cast):
    return audit_record(action="change", user=cast.admin, object_type="x", object_id=1, after={"a": 1})


def test_an_event_cannot_be_saved_again_or_deleted(cast):
    event = _event(cast)
    event.after = {"a": 2}
    with pytest.raises(AuditEventImmutable):
        event.save()
    with pytest.raises(AuditEventImmutable):
        event.delete()
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(after={"a": 3})
    with pytest.raises(AuditEventImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).after == {"a": 1}


@pytest.mark.parametrize("sql", ["UPDATE audit_auditevent SET after = '{}'", "DELETE FROM audit_auditevent"])
def test_the_database_refuses_to_change_events_even_through_raw_sql(cast, is_postgres, sql):
    if not is_postgres:
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the model")
    event = _event(cast)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).after == {"a": 1}


def test_the_admin_shows_events_but_offers_no_add_change_or_delete(cast, client):
    event = _event(cast)
    client.force_login(cast.admin)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "read"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "change"


# --- same transaction (ASVS 5.0 2.3.3) --------------------------------------------------------------


def test_an_event_rolls_back_with_the_change_it_records(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        _event(cast)
        raise RuntimeError("the change failed after its event was written")
    assert _events() == []


def test_no_secret_or_content_is_logged(cast, client, return_a):
    client.force_login(cast.reviewer)
    client.get(reverse("assessments:return_detail", kwargs={"pk": return_a.pk}))
    text = repr(list(AuditEvent.objects.values()))
    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in text
    assert "全年推进依法行政" not in text


def test_a_csrf_refusal_is_logged_as_a_denial(cast, return_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.reviewer)
    assert client.post(reverse("reviews:approve", kwargs={"pk": return_a.pk})).status_code == 403
    (event,) = _events(action="denied")
    assert (event.actor_id, event.status, event.object_type) == (cast.reviewer.pk, 403, "reviews:approve")
