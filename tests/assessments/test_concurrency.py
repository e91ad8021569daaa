"""Lost updates, tested with real concurrent connections (PostgreSQL only: SQLite serialises writers
for the whole database, so it cannot show the race these tests guard against)."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from assessments.models import AnnualReturn, IndicatorValue, ReturnTransition, ValueChange
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import ReturnActionError
from assessments.services.opening import year_open
from assessments.services.submission import annual_return_submit

from .conftest import COMPLETE, fill_narratives
from .factories import framework_with, value_row
from .test_entry import save
from .test_submission import IN_TIME

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: real row locks and concurrent connections (set DATABASE_URL)")


def run_together(*actions):
    """Run each action in its own thread (own connection), released at once by a barrier."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def runner(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_staff_saving_the_same_indicator_from_the_same_page_version_one_wins_one_sees_a_conflict(cast, return_a):
    row = value_row(return_a, "K1")

    def save_as(text):
        item = ValueInput(indicator_id=row.indicator_id, raw={"value": text}, expected_version=row.version)
        return indicator_values_save(annual_return=return_a, inputs=[item], user=cast.staff_a)[0]

    first, second = run_together(lambda: save_as("10"), lambda: save_as("20"))
    outcomes = sorted([first, second], key=lambda outcome: outcome.is_conflict)
    assert [outcome.is_conflict for outcome in outcomes] == [False, True]
    winner, loser = outcomes
    stored = value_row(return_a, "K1")
    assert stored.raw_input == winner.submitted.raw
    assert loser.row.raw_input == winner.submitted.raw  # the conflict carries the stored value …
    assert loser.submitted.raw != winner.submitted.raw  # … and the loser's own
    assert ValueChange.objects.filter(annual_return=return_a, field="value").count() == 1


def test_many_concurrent_saves_lose_nothing_silently(cast, return_a):
    """20 threads × 10 saves, each reading the version it writes against: every reported success is
    an applied change, every other save a visible conflict (research/reliability.md §4.3)."""
    indicator_id = value_row(return_a, "K1").indicator_id

    def worker(thread_number):
        succeeded = 0
        for attempt in range(10):
            current = IndicatorValue.objects.get(annual_return=return_a, indicator_id=indicator_id).version
            raw = {"value": f"{thread_number}{attempt}"}
            item = ValueInput(indicator_id=indicator_id, raw=raw, expected_version=current)
            outcome = indicator_values_save(annual_return=return_a, inputs=[item], user=cast.staff_a)[0]
            succeeded += outcome.is_changed
        return succeeded

    results = run_together(*[lambda n=n: worker(n) for n in range(20)])
    assert all(isinstance(result, int) for result in results), results
    changes = ValueChange.objects.filter(annual_return=return_a, field="value").count()
    assert sum(results) == changes == value_row(return_a, "K1").version - 1


def test_a_double_submit_makes_exactly_one_transition(cast, return_a):
    for code, raw in COMPLETE.items():
        save(return_a, cast.staff_a, code, raw)
    fill_narratives(return_a)
    before = _audit_counts(return_a)
    results = run_together(
        lambda: annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME),
        lambda: annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME),
    )
    assert sum(isinstance(result, AnnualReturn) for result in results) == 1
    assert sum(isinstance(result, ReturnActionError) for result in results) == 1
    assert ReturnTransition.objects.filter(annual_return=return_a, action="submit").count() == 1
    # Exactly one audit row for the one applied change: its transition; nothing for the refusal.
    after = _audit_counts(return_a)
    assert len(after["transitions"]) - len(before["transitions"]) == 1
    assert after["value_changes"] == before["value_changes"]
    assert after["audit_events"] == before["audit_events"]


def test_an_edit_racing_a_submission_never_lands_in_the_submitted_return(cast, return_a):
    for code, raw in COMPLETE.items():
        save(return_a, cast.staff_a, code, raw)
    fill_narratives(return_a)
    row = value_row(return_a, "K1")
    item = ValueInput(indicator_id=row.indicator_id, raw={"value": "99"}, expected_version=row.version)
    submitted, edited = run_together(
        lambda: annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME),
        lambda: indicator_values_save(annual_return=return_a, inputs=[item], user=cast.staff_a),
    )
    return_a.refresh_from_db()
    stored = value_row(return_a, "K1").value_integer
    assert isinstance(submitted, AnnualReturn) and return_a.status == "submitted"
    if isinstance(edited, ReturnActionError):  # the submission locked first: the edit was refused
        assert stored == 12
    else:  # the edit went first, and the submission scored the edited figure
        assert stored == 99
        assert return_a.self_score_detail["indicators"]["K1"]["explanation"] == "达标"


# --- Approve against edit and submit (research/reliability.md E2; ASVS 5.0 2.3.3, 15.4.2) ---------

ROUNDS = 10


def _audit_counts(annual_return) -> dict:
    from audit.models import AuditEvent
    from reviews.models import ReviewAuditEntry

    return {
        "value_changes": ValueChange.objects.filter(annual_return=annual_return).count(),
        "transitions": list(
            ReturnTransition.objects.filter(annual_return=annual_return).order_by("pk").values_list("pk", flat=True)
        ),
        "approve_entries": ReviewAuditEntry.objects.filter(
            action="approve", department=annual_return.department, year=annual_return.year
        ).count(),
        "audit_events": AuditEvent.objects.filter(action="change").count(),
    }


def _returned_for_revision(cast, number: int):
    """A unit's return, submitted, its judgement item scored, then sent back whole: the department
    may fix and resubmit, and the reviewer's approve button is still on a stale screen."""
    import datetime

    from django.utils import timezone

    from accounts.models import Department
    from reviews.services.review import review_send_back
    from tests.factories import DepartmentFactory, UserFactory
    from tests.reviews import factories as rf

    department = DepartmentFactory(
        code=f"R{number:03d}", name=f"竞态测试局{number}", kind=Department.Kind.WORKING_DEPARTMENT, parent=cast.city
    )
    staff = UserFactory(username=f"race_staff_{number}", department=department)
    annual_return = rf.submitted_return(department, staff, rf.framework_for())
    rf.judge(annual_return, cast.reviewer)
    returned = review_send_back(
        annual_return=annual_return,
        user=cast.reviewer,
        comment="请核实A1.1",
        resubmit_deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    return returned, staff


def _is_refusal(result) -> bool:
    return isinstance(result, ReturnActionError)  # ReviewError is one too


def test_an_approval_racing_an_edit_and_a_submission_ends_consistent_every_time(cast):
    """Repeated rounds from 退回修改: the reviewer approves while the department saves a fix and
    submits. Whatever order the row lock gives them, the end state is one the workflow allows, each
    success is exactly one applied change with exactly one audit row, refusals change nothing, and
    no value ever changes after the submission the approval rests on."""
    from reviews.services.review import review_approve

    for number in range(ROUNDS):
        annual_return, staff = _returned_for_revision(cast, number)
        a11 = value_row(annual_return, "A1.1")
        before = _audit_counts(annual_return)
        edit = ValueInput(indicator_id=a11.indicator_id, raw={"value": "4"}, expected_version=a11.version)
        approved, saved, submitted = run_together(
            lambda ar=annual_return: review_approve(annual_return=ar, user=cast.reviewer),
            lambda ar=annual_return, s=staff, e=edit: indicator_values_save(annual_return=ar, inputs=[e], user=s),
            lambda ar=annual_return, s=staff: annual_return_submit(annual_return=ar, user=s),
        )
        for result in (approved, saved, submitted):
            assert not isinstance(result, Exception) or _is_refusal(result), repr(result)  # no deadlock, no 500
        approve_ok = isinstance(approved, AnnualReturn)
        save_ok = isinstance(saved, list) and saved[0].is_changed
        submit_ok = isinstance(submitted, AnnualReturn)
        after = _audit_counts(annual_return)
        new_transitions = list(
            ReturnTransition.objects.filter(pk__in=set(after["transitions"]) - set(before["transitions"]))
            .order_by("pk")
            .values_list("action", "created_at")
        )
        actions = [action for action, _ in new_transitions]
        # A fix on a returned return resumes it first (one transition), then changes the value.
        expected_actions = ["resume"] * save_ok + ["submit"] * submit_ok + ["approve"] * approve_ok
        assert sorted(actions) == sorted(expected_actions), (number, actions, approve_ok, save_ok, submit_ok)
        assert after["value_changes"] - before["value_changes"] == save_ok
        assert after["approve_entries"] - before["approve_entries"] == approve_ok
        assert after["audit_events"] == before["audit_events"]  # the domain trails, never both
        successes = approve_ok + save_ok + submit_ok
        applied = len(actions) - save_ok + (after["value_changes"] - before["value_changes"])
        assert successes == applied  # each success applied exactly one change (the resume rides on the save)
        annual_return.refresh_from_db()
        if approve_ok:
            assert submit_ok and actions.index("submit") < actions.index("approve")
            assert annual_return.status == AnnualReturn.Status.APPROVED
        elif submit_ok:
            assert annual_return.status == AnnualReturn.Status.SUBMITTED
        else:
            assert annual_return.status in (AnnualReturn.Status.RETURNED, AnnualReturn.Status.IN_PROGRESS)
        if submit_ok:
            submitted_at = dict(new_transitions)["submit"]
            assert not ValueChange.objects.filter(annual_return=annual_return, changed_at__gt=submitted_at).exists()
        assert value_row(annual_return, "A1.1").value_integer == (4 if save_ok else 3)


# --- Database constraints are the last line (research/reliability.md E5; ASVS 5.0 2.2.3) ----------


def test_two_concurrent_creations_of_a_units_return_for_a_year_leave_one(cast, framework):
    """The unique (department, year) constraint, not a check in Python, decides: one insert wins, the
    other gets an IntegrityError, and one return exists."""
    import datetime

    from django.db import IntegrityError, transaction

    def create():
        with transaction.atomic():
            return AnnualReturn.objects.create(
                department=cast.dept_b, framework=framework, year=framework.year, deadline=datetime.date(2026, 3, 31)
            )

    results = run_together(create, create)
    assert sorted(type(result).__name__ for result in results) == ["AnnualReturn", "IntegrityError"]
    assert all(isinstance(result, AnnualReturn | IntegrityError) for result in results)
    assert AnnualReturn.objects.filter(department=cast.dept_b, year=framework.year).count() == 1


@pytest.mark.parametrize(
    "changes",
    [
        {"points": "5"},  # above the indicator's 4 points
        {"points": "-1"},
        {"final_points": "4.5"},
        {"automatic_points": "-0.5"},
    ],
    ids=lambda changes: ",".join(f"{k}={v}" for k, v in changes.items()),
)
def test_the_database_refuses_a_review_score_out_of_range_written_past_the_services(cast, changes):
    from decimal import Decimal

    from django.db import IntegrityError, transaction

    from reviews.models import ReviewScore
    from tests.reviews import factories as rf

    annual_return = rf.submitted_return(cast.dept_a, cast.staff_a, rf.framework_for())
    score = rf.judge(annual_return, cast.reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewScore.objects.filter(pk=score.pk).update(
            **{field: Decimal(value) for field, value in changes.items()}, reason="绕过表单直接写入"
        )
    score.refresh_from_db()
    assert score.points == Decimal("3")


def test_two_bureau_users_opening_the_same_year_at_once_open_each_department_once(cast):
    """The framework row serialises openings: the second finds the first's returns and adds none
    (no duplicate-key error, no second set of value rows)."""
    year = timezone.localdate().year
    framework = framework_with({"code": "Y1"}, {"code": "Y2"}, year=year)
    deadline = datetime.date(year + 1, 3, 1)
    results = run_together(
        lambda: year_open(framework=framework, deadline=deadline, user=cast.reviewer),
        lambda: year_open(framework=framework, deadline=deadline, user=cast.admin),
    )
    assert sorted(result.opened for result in results) == [0, 5], results
    assert AnnualReturn.objects.filter(year=year).count() == 5
    assert IndicatorValue.objects.filter(annual_return__year=year).count() == 10
    assert ReturnTransition.objects.filter(action="open").count() == 5
