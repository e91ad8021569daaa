"""A score sheet never outlives the figures it was computed from: sending a return back withdraws
it, resubmitting recomputes it, and a year cannot be published (or finalised) while a return that
was submitted is anywhere short of confirmed — including one sent back and taken up again."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import AnnualReturn, ReturnTransition
from assessments.services import workflow
from assessments.services.errors import SubmissionBlocked
from reviews.models import Publication, ReviewAuditEntry, ScoreSheet
from reviews.services.errors import ReviewError, ScoresLocked
from reviews.services.publication import results_finalise, results_publish
from reviews.services.review import (
    review_approve,
    review_confirm,
    review_reopen,
    review_score_save,
    review_send_back,
)
from reviews.services.scoring import score_sheet_compute, score_sheets_recompute

from .factories import confirmed_return, indicator, judge, published_sheet, resubmit, submitted_return
from .test_targeted_return_and_lock import save

Status = AnnualReturn.Status
D = Decimal
TODAY = timezone.localdate()
DEADLINE = TODAY + datetime.timedelta(days=7)


def sheet_of(department, year=2025):
    return ScoreSheet.objects.filter(department=department, year=year).first()


def send_back_a11(annual_return, reviewer):
    return review_send_back(
        annual_return=annual_return,
        user=reviewer,
        comment="请核实A1.1。",
        indicator_comments={indicator(annual_return.framework, "A1.1").pk: "次数不符"},
        resubmit_deadline=DEADLINE,
    )


@pytest.fixture
def scored_a(cast, return_a):
    """dept_a submitted with full marks and its judgement item scored 3 of 4: a sheet of 95.00."""
    judge(return_a, cast.reviewer)
    assert sheet_of(cast.dept_a).total == D("95.00")
    return_a.refresh_from_db()
    return return_a


# --- send-back ----------------------------------------------------------------------------------


def test_sending_back_withdraws_the_score_sheet(cast, scored_a):
    send_back_a11(scored_a, cast.reviewer)
    assert sheet_of(cast.dept_a) is None


def test_the_withdrawal_is_audited_with_the_last_values_of_the_sheet(cast, scored_a):
    send_back_a11(scored_a, cast.reviewer)
    entry = ReviewAuditEntry.objects.get(action="score_sheet_withdraw")
    assert (entry.department, entry.user, entry.reason) == (cast.dept_a, cast.reviewer, "请核实A1.1。")
    assert (entry.before["total"], entry.before["grade"], entry.after) == ("95.00", "excellent", {})


def test_the_withdrawn_sheet_leaves_the_ranking_and_the_others_close_up(cast, scored_a, return_b):
    judge(return_b, cast.reviewer, points="4")  # dept_b: 100.00, ahead of dept_a's 95.00
    assert sheet_of(cast.dept_a).rank == 2
    send_back_a11(return_b, cast.reviewer)
    assert list(ScoreSheet.objects.filter(year=2025).values_list("department", "rank")) == [(cast.dept_a.pk, 1)]


def test_sending_back_an_approved_return_withdraws_its_sheet(cast, scored_a):
    review_approve(annual_return=scored_a, user=cast.reviewer)
    send_back_a11(scored_a, cast.reviewer)
    assert sheet_of(cast.dept_a) is None


def test_reopening_a_confirmed_return_withdraws_its_sheet(cast, framework):
    annual_return = confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    review_reopen(annual_return=annual_return, user=cast.reviewer, reason="发现数据有误")
    assert sheet_of(cast.dept_a) is None
    assert ReviewAuditEntry.objects.get(action="score_sheet_withdraw").reason == "发现数据有误"


def test_sending_back_a_return_that_has_no_sheet_writes_nothing_about_sheets(cast, return_a):
    send_back_a11(return_a, cast.reviewer)
    assert not ReviewAuditEntry.objects.filter(action__startswith="score_sheet").exists()


def test_a_send_back_that_cannot_withdraw_the_sheet_moves_nothing(cast, framework):
    """The withdrawal shares the move's transaction: when it is refused (published results), the
    return stays confirmed and its sheet stays as published."""
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    annual_return = sheet.annual_return
    transitions = ReturnTransition.objects.count()
    with pytest.raises(ScoresLocked, match="已公示"):
        workflow.annual_return_reopen(annual_return=annual_return, user=cast.admin, reason="想改")
    assert AnnualReturn.objects.get(pk=annual_return.pk).status == Status.CONFIRMED
    assert ScoreSheet.objects.get(pk=sheet.pk).total == sheet.total
    assert ReturnTransition.objects.count() == transitions


# --- resubmission ---------------------------------------------------------------------------------


def test_resubmission_recomputes_the_sheet_from_the_new_figures(cast, scored_a):
    send_back_a11(scored_a, cast.reviewer)
    resubmit(scored_a, cast.staff_a, {"A1.1": {"value": "1"}})
    # A1.1: 1 of the 3 meetings required, 0.5 off per missing one → 1.00 of 2; earned 18 of 20 → 90.00.
    sheet = sheet_of(cast.dept_a)
    assert (sheet.total, sheet.annual_return_id, sheet.rank) == (D("90.00"), scored_a.pk, 1)
    assert ReviewAuditEntry.objects.filter(action="score_sheet_compute", user=cast.staff_a).count() == 1


def test_the_recomputed_sheet_is_stable_when_computed_again(cast, scored_a):
    send_back_a11(scored_a, cast.reviewer)
    resubmit(scored_a, cast.staff_a, {"A1.1": {"value": "1"}})
    scored_a.refresh_from_db()
    entries = ReviewAuditEntry.objects.count()
    _, changed = score_sheet_compute(annual_return=scored_a, user=cast.reviewer)
    assert not changed
    assert ReviewAuditEntry.objects.count() == entries


def test_a_first_submission_makes_no_sheet(cast, return_a):
    assert sheet_of(cast.dept_a) is None


def test_a_resubmission_refused_by_its_checks_leaves_no_sheet(cast, scored_a):
    send_back_a11(scored_a, cast.reviewer)
    save(scored_a, cast.staff_a, "A1.1", {"value": ""})  # a required value emptied: submission blocked
    scored_a.refresh_from_db()
    with pytest.raises(SubmissionBlocked):
        resubmit(scored_a, cast.staff_a)
    assert sheet_of(cast.dept_a) is None


# --- publication ----------------------------------------------------------------------------------


def publish(cast):
    return results_publish(year=2025, appeal_deadline=DEADLINE, user=cast.reviewer)


@pytest.fixture
def two_confirmed(cast, framework):
    return (
        confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework),
        confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer, framework),
    )


def test_publishing_is_refused_while_a_return_is_sent_back_and_names_it(cast, two_confirmed):
    review_reopen(annual_return=two_confirmed[1], user=cast.reviewer, reason="数据有误")
    with pytest.raises(ReviewError, match=f"{cast.dept_b.display_name}（退回修改）"):
        publish(cast)
    assert not Publication.objects.exists()


def test_publishing_is_refused_while_a_returned_return_is_being_corrected(cast, two_confirmed):
    """A department that takes a returned return up again puts it back to 填报中."""
    returned = review_reopen(annual_return=two_confirmed[1], user=cast.reviewer, reason="数据有误")
    save(returned, cast.staff_b, "A1.1", {"value": "2"})
    assert AnnualReturn.objects.get(pk=returned.pk).status == Status.IN_PROGRESS
    with pytest.raises(ReviewError, match=f"{cast.dept_b.display_name}（退回后修改中）"):
        publish(cast)
    assert not Publication.objects.exists()


def test_publishing_is_refused_while_a_return_is_approved_but_not_confirmed(cast, framework):
    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    approved = submitted_return(cast.dept_b, cast.staff_b, framework)
    judge(approved, cast.reviewer)
    review_approve(annual_return=approved, user=cast.reviewer)
    with pytest.raises(ReviewError, match=f"{cast.dept_b.display_name}（已审核）"):
        publish(cast)


def test_a_return_never_submitted_does_not_hold_up_publication(cast, framework):
    from tests.assessments.factories import open_return

    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    draft = open_return(cast.dept_b, framework, deadline=DEADLINE)
    workflow.annual_return_transition(annual_return=draft, action="start", user=cast.staff_b)
    publication = publish(cast)
    assert list(ScoreSheet.objects.filter(year=2025).values_list("department", flat=True)) == [cast.dept_a.pk]
    assert publication.year == 2025


def test_only_the_corrected_figures_are_ever_published(cast, two_confirmed):
    """The whole path: confirmed, reopened, corrected, resubmitted, approved, confirmed, published."""
    returned = review_reopen(
        annual_return=two_confirmed[1],
        user=cast.reviewer,
        reason="B1.3 与第三方报告不一致",
        indicator_comments={indicator(two_confirmed[1].framework, "B1.3").pk: "请按第三方报告填写"},
    )
    resubmit(returned, cast.staff_b, {"B1.3": {"value": "70"}})
    returned.refresh_from_db()
    # The score given to the old B1.3 no longer stands; the reviewer accepts the rules' score anew.
    review_score_save(
        annual_return=returned, indicator=indicator(returned.framework, "B1.3"), user=cast.reviewer, points=None
    )
    review_approve(annual_return=returned, user=cast.reviewer)
    review_confirm(annual_return=returned, user=cast.reviewer)
    publish(cast)
    # B1.3 70 分 → tier ≥60 → 2 of 4: earned 19 − 2 = 17 of 20 → 85.00 (good).
    sheet = sheet_of(cast.dept_b)
    assert (sheet.total, sheet.grade, sheet.rank) == (D("85.00"), "good", 2)


def test_finalising_is_refused_for_a_sheet_whose_return_is_not_confirmed(cast, framework):
    """A late return recomputed with the year after publication has a provisional sheet."""
    published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    submitted_return(cast.dept_b, cast.staff_b, framework)
    score_sheets_recompute(year=2025)
    assert sheet_of(cast.dept_b) is not None
    with pytest.raises(ReviewError, match=f"{cast.dept_b.display_name}（已提交）"):
        results_finalise(year=2025, user=cast.reviewer, today=DEADLINE + datetime.timedelta(days=1))
    assert not ScoreSheet.objects.filter(is_final=True).exists()
