"""Audit completeness (ASVS 5.0 16.2.1, 16.3.x; research/reliability.md G1; issue 9 §6): every
state change writes its audit row in the same transaction, exactly once.

Generated from the permission matrix: each unsafe row is sent by every role it lets through, and
the test compares what the request wrote with the audit rows it added. A request that changed the
product's data adds exactly one row to each audit trail it touches — the application-wide
AuditEvent, or the domain trails that stand in for it (assessments.ValueChange for values,
assessments.ReturnTransition for workflow moves, reviews.ReviewAuditEntry for review; see
test_domain_audit_exactness.py) — and a request that changed nothing (a refused action, a form
sent back with errors) adds none. The Django admin, imports and downloads have tests of their own
below the generated one."""

import re
from contextlib import contextmanager

import pytest
from django.db import connection

from tests.permission_matrix import EXEMPT_PREFIXES, ROLES, ROWS, target
from tests.security.test_mass_assignment import ANONYMOUS_FORMS

REFUSED = {403, 404, 405}
UNSAFE_ROWS = [row for row in ROWS if row.is_unsafe and not row.url_name.startswith(EXEMPT_PREFIXES)]
WRITE_SQL = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?(.*)', re.IGNORECASE | re.DOTALL)

AUDIT_TRAILS = {
    "audit_auditevent": "AuditEvent",
    "assessments_valuechange": "ValueChange",
    "assessments_returntransition": "ReturnTransition",
    "reviews_reviewauditentry": "ReviewAuditEntry",
}
# Writes that are not a change of the product's data, each with its reason.
NOT_A_CHANGE = {
    "django_session": "the signed-in session itself",
    "axes_accessattempt": "login throttling bookkeeping",
    "axes_accesslog": "login throttling bookkeeping",
    "reviews_notification": "a notice sent because of an audited change, or the reader's own inbox marked read",
}
# A review step that moves a return's points also recomputes or withdraws its score sheet: a
# derived change with its own review-trail row (test_domain_audit_exactness.py).
DERIVED_REVIEW_ACTIONS = ("score_sheet_compute", "score_sheet_withdraw")


@contextmanager
def _writes():
    """(table, statement) of every INSERT, and of every UPDATE or DELETE that touched a row (a
    conditional update that matched nothing changed nothing)."""
    seen: list[tuple[str, str]] = []

    def record(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        match = WRITE_SQL.match(sql)
        if match and (sql.lstrip().upper().startswith("INSERT") or context["cursor"].rowcount != 0):
            seen.append((match.group(1), match.group(2)))
        return result

    with connection.execute_wrapper(record):
        yield seen


def _changed_tables(writes) -> set[str]:
    tables = set()
    for table, rest in writes:
        if table in AUDIT_TRAILS or table in NOT_A_CHANGE:
            continue
        if table == "accounts_user" and re.match(r'\s*SET\s+"last_login"\s*=\s*%s\s+WHERE', rest):
            continue  # the login's own timestamp
        tables.add(table)
    return tables


def _trail_marks() -> dict:
    from assessments.models import ReturnTransition, ValueChange
    from audit.models import AuditEvent
    from reviews.models import ReviewAuditEntry

    return {model.__name__: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in (
        AuditEvent, ValueChange, ReturnTransition, ReviewAuditEntry)}  # fmt: skip


def _new_trail_rows(marks: dict) -> dict[str, int]:
    from assessments.models import ReturnTransition, ValueChange
    from audit.models import AuditEvent
    from reviews.models import ReviewAuditEntry

    counts = {
        "AuditEvent": AuditEvent.objects.filter(pk__gt=marks["AuditEvent"], action=AuditEvent.Action.CHANGE).count(),
        "ValueChange": ValueChange.objects.filter(pk__gt=marks["ValueChange"]).count(),
        "ReturnTransition": ReturnTransition.objects.filter(pk__gt=marks["ReturnTransition"]).count(),
        "ReviewAuditEntry": ReviewAuditEntry.objects.filter(pk__gt=marks["ReviewAuditEntry"])
        .exclude(action__in=DERIVED_REVIEW_ACTIONS)
        .count(),
    }
    return {name: count for name, count in counts.items() if count}


def _roles(row) -> list[str]:
    return [
        role
        for role in ROLES
        if row.expected[role] not in REFUSED and (role != "anonymous" or row.url_name in ANONYMOUS_FORMS)
    ]


@pytest.mark.parametrize("row", UNSAFE_ROWS, ids=lambda row: row.id)
def test_each_state_change_through_a_url_writes_exactly_one_audit_row_per_trail(row, cast, client):
    page = target(row, cast)
    seen = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(cast.user(role))
        marks = _trail_marks()
        with _writes() as writes:
            response = getattr(client, row.method.lower())(page.url, data=page.data())
        assert response.status_code == row.expected[role], role  # the matrix's own walk, so state evolves alike
        if role not in _roles(row):
            assert _new_trail_rows(marks) == {}, role  # a refusal changes nothing (its denial is not a change)
            continue
        changed = _changed_tables(writes)
        trails = _new_trail_rows(marks)
        seen[role] = (sorted(changed), trails)
        if changed:
            assert trails, f"{role}: {sorted(changed)} written with no audit row"
            assert all(count == 1 for count in trails.values()), (role, trails)
            assert "AuditEvent" not in trails or len(trails) == 1, (role, trails)  # never both logs for one change
        else:
            assert trails == {}, (role, trails)


# --- Deletions the matrix rows refuse on purpose (their objects are in use), made possible here ---


def _deletable(kind: str, cast) -> tuple[str, object]:
    """(URL name, object) of a congress record nothing depends on, so deleting it succeeds."""
    from tests.congress import factories as cf

    if kind == "group":
        return "congress:group_delete", cf.RespondentGroupFactory()
    if kind == "question":
        return "congress:question_delete", cf.rating_question(cf.SurveyFactory())
    if kind == "tally":
        from congress.services.surveys import group_tally_save

        group = cf.RespondentGroupFactory()
        group_tally_save(group=group, returned_count=3, valid_count=3, counts={}, user=cast.congress)
        return "congress:tally_delete", group
    if kind == "opinion":
        return "congress:opinion_delete", cf.OpinionFactory()
    if kind == "assignment":
        return "congress:assignment_delete", cf.AssignmentFactory(department=cast.dept_a)
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["group", "question", "tally", "opinion", "assignment"])
def test_each_congress_deletion_writes_one_event_naming_what_was_deleted(cast, client, kind):
    from django.urls import reverse

    from audit.models import AuditEvent

    url_name, obj = _deletable(kind, cast)
    client.force_login(cast.congress)
    marks = _trail_marks()
    assert client.post(reverse(url_name, args=[obj.pk])).status_code == 302
    assert _new_trail_rows(marks) == {"AuditEvent": 1}
    event = AuditEvent.objects.latest("pk")
    assert (event.actor_id, event.after, event.before is not None) == (cast.congress.pk, {"deleted": True}, True)


def test_taking_back_a_look_back_mark_writes_one_event_and_a_second_try_none(cast, client):
    from django.urls import reverse
    from django.utils import timezone

    from tests.congress.factories import OpinionFactory

    opinion = OpinionFactory(reviewed_at=timezone.now(), reviewed_by=cast.congress)
    client.force_login(cast.congress)
    url = reverse("congress:opinion_review", args=[opinion.pk])
    marks = _trail_marks()
    assert client.post(url, {"undo": "1"}).status_code == 302
    assert _new_trail_rows(marks) == {"AuditEvent": 1}
    marks = _trail_marks()
    assert client.post(url, {"undo": "1"}).status_code == 302  # nothing left to take back
    assert _new_trail_rows(marks) == {}
