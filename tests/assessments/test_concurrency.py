"""Lost updates, tested with real concurrent connections (PostgreSQL only: SQLite serialises writers
for the whole database, so it cannot show the race these tests guard against)."""

import threading

import pytest
from django.db import close_old_connections, connection

from assessments.models import AnnualReturn, IndicatorValue, ReturnTransition, ValueChange
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import ReturnActionError
from assessments.services.submission import annual_return_submit

from .conftest import COMPLETE, fill_narratives
from .factories import value_row
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
    results = run_together(
        lambda: annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME),
        lambda: annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME),
    )
    assert sum(isinstance(result, AnnualReturn) for result in results) == 1
    assert sum(isinstance(result, ReturnActionError) for result in results) == 1
    assert ReturnTransition.objects.filter(annual_return=return_a, action="submit").count() == 1


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
