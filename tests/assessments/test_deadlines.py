import datetime

import pytest

from assessments.selectors.deadlines import deadline_state
from assessments.services.deadlines import annual_return_grant_extension
from assessments.services.errors import ReturnActionError, TransitionNotAllowed


def test_the_countdown_counts_days_to_the_deadline(return_a):
    state = deadline_state(return_a, today=datetime.date(2026, 2, 20))
    assert (state.days_left, state.label, state.tone) == (9, "距截止还有 9 天", "secondary")


def test_the_last_week_is_a_warning_and_after_it_is_overdue(return_a):
    assert deadline_state(return_a, today=datetime.date(2026, 3, 1)).label == "今天截止"
    overdue = deadline_state(return_a, today=datetime.date(2026, 3, 4))
    assert (overdue.label, overdue.tone) == ("已逾期 3 天", "danger")


def test_an_extension_moves_the_countdown(cast, return_a):
    extended = annual_return_grant_extension(
        annual_return=return_a, until=datetime.date(2026, 3, 20), reason="机构改革", user=cast.reviewer
    )
    assert deadline_state(extended, today=datetime.date(2026, 3, 10)).days_left == 10


def test_an_extension_needs_a_reason(cast, return_a):
    with pytest.raises(ReturnActionError):
        annual_return_grant_extension(
            annual_return=return_a, until=datetime.date(2026, 3, 20), reason="", user=cast.reviewer
        )


def test_department_staff_cannot_extend_their_own_deadline(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_grant_extension(
            annual_return=return_a, until=datetime.date(2026, 3, 20), reason="来不及", user=cast.staff_a
        )
