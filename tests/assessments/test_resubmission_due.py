"""A return sent back (退回修改) is due by its resubmission date — also after the department's first
save moves it on to 填报中. One rule (assessments.selectors.deadlines) behind the countdown, the progress
dashboard, the review queue and the reminders; each place is checked here with a resumed return."""

import datetime

from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn
from assessments.selectors.deadlines import deadline_state, due_date, is_overdue, overdue_q
from assessments.selectors.progress import ProgressFilter, progress_board
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.workflow import annual_return_reopen, annual_return_send_back
from indicators.presenting import date_text
from reviews.models import Notification
from reviews.selectors import QueueFilters, queue_counts, review_queue
from reviews.services.notifications import deadline_reminders_send

from .factories import value_row

Status = AnnualReturn.Status
TODAY = timezone.localdate()
PASSED = TODAY - datetime.timedelta(days=30)  # the year's deadline, long gone


def sent_back(cast, annual_return, *, resubmit_in_days: int) -> AnnualReturn:
    """Submitted on time, then sent back by the reviewer with a resubmission date."""
    AnnualReturn.objects.filter(pk=annual_return.pk).update(
        status=Status.SUBMITTED, deadline=PASSED, first_submitted_at=timezone.now() - datetime.timedelta(days=40)
    )
    return annual_return_send_back(
        annual_return=annual_return,
        user=cast.reviewer,
        comment="请核实案件数。",
        resubmit_deadline=TODAY + datetime.timedelta(days=resubmit_in_days),
    )


def resumed(cast, annual_return, *, resubmit_in_days: int) -> AnnualReturn:
    """Sent back, then the department's first fix: the return is 填报中 again."""
    sent_back(cast, annual_return, resubmit_in_days=resubmit_in_days)
    row = value_row(annual_return, "K1")
    item = ValueInput(indicator_id=row.indicator_id, raw={"value": "13"}, expected_version=row.version)
    indicator_values_save(annual_return=annual_return, inputs=[item], user=cast.staff_a)
    annual_return.refresh_from_db()
    assert annual_return.status == Status.IN_PROGRESS
    return annual_return


def board_row(cast, annual_return, **filters):
    board = progress_board(cast.reviewer, ProgressFilter(year=annual_return.year, **filters), today=TODAY)
    return next((row for row in board.rows if row.annual_return.pk == annual_return.pk), None)


# --- the rule


def test_a_resumed_return_is_due_by_its_resubmission_date_not_the_passed_deadline(cast, return_a):
    annual_return = resumed(cast, return_a, resubmit_in_days=5)
    assert due_date(annual_return) == TODAY + datetime.timedelta(days=5)
    assert not is_overdue(annual_return, TODAY)
    assert not AnnualReturn.objects.filter(overdue_q(TODAY), pk=annual_return.pk).exists()


def test_a_resumed_return_past_its_resubmission_date_is_overdue_in_python_and_in_sql(cast, return_a):
    annual_return = resumed(cast, return_a, resubmit_in_days=1)
    later = TODAY + datetime.timedelta(days=3)
    assert is_overdue(annual_return, later)
    assert AnnualReturn.objects.filter(overdue_q(later), pk=annual_return.pk).exists()


def test_a_first_submission_still_owed_is_due_by_the_deadline_or_its_extension(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(deadline=PASSED)
    return_a.refresh_from_db()
    assert is_overdue(return_a, TODAY) and due_date(return_a) == PASSED
    AnnualReturn.objects.filter(pk=return_a.pk).update(extended_until=TODAY, extension_reason="机构改革")
    return_a.refresh_from_db()
    assert not is_overdue(return_a, TODAY) and due_date(return_a) == TODAY


def test_reopening_a_confirmed_return_drops_the_old_resubmission_date(cast, return_a):
    sent_back(cast, return_a, resubmit_in_days=1)
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        status=Status.CONFIRMED, resubmit_deadline=TODAY - datetime.timedelta(days=60)
    )
    reopened = annual_return_reopen(annual_return=return_a, user=cast.reviewer, reason="数据有误")
    assert reopened.resubmit_deadline is None
    assert not is_overdue(reopened, TODAY)


# --- the countdown (department home and entry page)


def test_the_countdown_of_a_resumed_return_counts_to_the_resubmission_date(cast, return_a):
    state = deadline_state(resumed(cast, return_a, resubmit_in_days=4), today=TODAY)
    assert (state.label, state.tone, state.effective) == (
        "距重新提交期限还有 4 天",
        "warning",
        TODAY + datetime.timedelta(days=4),
    )


def test_the_department_home_names_the_resubmission_date(client, cast, return_a):
    resumed(cast, return_a, resubmit_in_days=4)
    client.force_login(cast.staff_a)
    html = client.get(reverse("accounts:home")).content.decode()
    day = TODAY + datetime.timedelta(days=4)
    assert f"重新提交期限 {date_text(day)}" in html
    assert "已逾期" not in html


# --- the progress dashboard


def test_the_dashboard_does_not_call_a_resumed_return_overdue(cast, return_a):
    annual_return = resumed(cast, return_a, resubmit_in_days=5)
    row = board_row(cast, annual_return)
    assert not row.is_overdue and row.effective_deadline == TODAY + datetime.timedelta(days=5)
    assert board_row(cast, annual_return, overdue_only=True) is None


def test_the_dashboard_lists_a_resumed_return_once_its_resubmission_date_passed(cast, return_a):
    annual_return = resumed(cast, return_a, resubmit_in_days=1)
    later = TODAY + datetime.timedelta(days=3)
    board = progress_board(cast.reviewer, ProgressFilter(year=2025, overdue_only=True), today=later)
    assert (annual_return.pk, 2) in [(row.annual_return.pk, row.days_overdue) for row in board.overdue]


# --- the review queue


def test_the_review_queue_does_not_count_a_resumed_return_as_overdue(cast, return_a):
    AnnualReturn.objects.exclude(pk=return_a.pk).update(deadline=TODAY)  # the others are not late yet
    resumed(cast, return_a, resubmit_in_days=5)
    assert queue_counts(cast.reviewer, 2025)["overdue"] == 0
    assert not review_queue(cast.reviewer, QueueFilters(year=2025, status="", is_overdue=True)).filter(pk=return_a.pk)


def test_the_review_queue_counts_a_resumed_return_past_its_resubmission_date(cast, return_a):
    resumed(cast, return_a, resubmit_in_days=5)
    AnnualReturn.objects.filter(pk=return_a.pk).update(resubmit_deadline=TODAY - datetime.timedelta(days=1))
    assert review_queue(cast.reviewer, QueueFilters(year=2025, status="", is_overdue=True)).filter(pk=return_a.pk)


# --- the reminders


def test_a_resumed_return_gets_its_resubmission_reminder(cast, return_a):
    resumed(cast, return_a, resubmit_in_days=2)
    assert deadline_reminders_send(today=TODAY) == 1
    day = TODAY + datetime.timedelta(days=2)
    assert Notification.objects.get(recipient=cast.staff_a, kind="deadline").title == (
        f"2025年度填报退回修改后的重新提交截止日期为{date_text(day)}"
    )


def test_a_resubmitted_return_gets_no_reminder(cast, return_a):
    sent_back(cast, return_a, resubmit_in_days=2)
    AnnualReturn.objects.filter(pk=return_a.pk).update(status=Status.SUBMITTED)
    assert deadline_reminders_send(today=TODAY) == 0


def test_the_review_queue_shows_a_resumed_returns_resubmission_date(client, cast, return_a):
    resumed(cast, return_a, resubmit_in_days=5)
    client.force_login(cast.reviewer)
    page = client.get(reverse("reviews:queue"), {"year": 2025, "status": "in_progress"}).content.decode()
    assert f"{date_text(TODAY + datetime.timedelta(days=5))}（退回）" in page
