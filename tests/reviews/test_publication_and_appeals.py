"""Publication, appeals and 复核: a published score changes only through the 复核 decision, and the
audit shows every before/after value."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reviews.models import Appeal, Notification, Publication, ReviewAuditEntry, ScoreSheet
from reviews.services.adjustments import adjustment_decide, adjustment_register
from reviews.services.appeals import appeal_decide, appeal_submit
from reviews.services.errors import ReviewError, ScoresLocked
from reviews.services.publication import results_finalise, results_publish
from reviews.services.review import review_reopen, review_score_save
from reviews.services.scoring import score_sheet_compute

from .factories import appeal_on_judgement, confirmed_return, indicator, published_sheet, submitted_return

D = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def sheet_a(cast):
    """dept_a: full marks, judgement 3 of 4 (by `reviewer`) → 95.00; results published."""
    return published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)


def test_publishing_is_refused_while_a_return_is_under_review(cast, framework):
    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    submitted_return(cast.dept_b, cast.staff_b, framework)
    with pytest.raises(ReviewError, match="尚未审核确认"):
        results_publish(year=2025, appeal_deadline=TODAY, user=cast.reviewer)
    assert not Publication.objects.exists()


def test_only_the_bureau_publishes(cast, framework):
    confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer, framework)
    with pytest.raises(ReviewError):
        results_publish(year=2025, appeal_deadline=TODAY, user=cast.reviewer_scoped)


def test_publication_notifies_the_departments_with_a_sheet(cast, sheet_a):
    notice = Notification.objects.get(recipient=cast.staff_a, kind=Notification.Kind.PUBLISHED)
    assert "初步结果已公示" in notice.title
    assert not Notification.objects.filter(recipient=cast.staff_b, kind=Notification.Kind.PUBLISHED).exists()


def test_after_publication_review_scores_are_refused(cast, sheet_a):
    with pytest.raises(ScoresLocked):
        review_score_save(
            annual_return=sheet_a.annual_return,
            indicator=indicator(sheet_a.framework, "A1.2"),
            user=cast.reviewer,
            points=D("0"),
            reason="改分",
        )


def test_after_publication_adjustments_are_refused(cast, sheet_a):
    with pytest.raises(ScoresLocked):
        adjustment_register(
            department=cast.dept_a,
            year=2025,
            item=sheet_a.framework.adjustment_items.get(code="X5"),
            reason="补登",
            user=cast.reviewer,
        )


def test_after_publication_a_locked_return_cannot_be_reopened(cast, sheet_a):
    with pytest.raises(ScoresLocked):
        review_reopen(annual_return=sheet_a.annual_return, user=cast.reviewer, reason="想改")


def test_a_department_appeals_a_deduction_with_a_statement(cast, sheet_a):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    assert (appeal.status, appeal.points_before) == (Appeal.Status.PENDING, D("3.00"))
    assert Notification.objects.filter(recipient=cast.reviewer, kind=Notification.Kind.APPEAL).exists()


def test_another_departments_staff_cannot_appeal(cast, sheet_a):
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.4")
    with pytest.raises(ReviewError):
        appeal_submit(score_sheet=sheet_a, user=cast.staff_b, statement="不服", review_score=score)


def test_an_appeal_needs_a_statement(cast, sheet_a):
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.4")
    with pytest.raises(ReviewError):
        appeal_submit(score_sheet=sheet_a, user=cast.staff_a, statement="  ", review_score=score)


def test_a_score_at_its_maximum_cannot_be_appealed(cast, sheet_a):
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.2")
    with pytest.raises(ReviewError, match="没有扣分"):
        appeal_submit(score_sheet=sheet_a, user=cast.staff_a, statement="不服", review_score=score)


def test_an_appeal_after_the_window_is_refused(cast, sheet_a):
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.4")
    with pytest.raises(ReviewError, match="异议期已"):
        appeal_submit(
            score_sheet=sheet_a,
            user=cast.staff_a,
            statement="不服",
            review_score=score,
            today=TODAY + datetime.timedelta(days=30),
        )


def test_the_first_reviewer_cannot_decide_the_appeal(cast, sheet_a):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    with pytest.raises(ReviewError, match="未参与原评分"):
        appeal_decide(appeal=appeal, user=cast.reviewer, decision="upheld", reason="成立")


def test_a_reviewer_out_of_scope_cannot_decide_the_appeal(cast, sheet_a):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    with pytest.raises(ReviewError):
        appeal_decide(appeal=appeal, user=cast.reviewer_scoped, decision="upheld", reason="成立")


def test_a_partly_upheld_appeal_changes_the_score_through_the_decision(cast, sheet_a, second_reviewer):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    appeal_decide(appeal=appeal, user=second_reviewer, decision="partly", reason="部分材料已补充", points=D("3.5"))
    sheet_a.refresh_from_db()
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.4")
    # earned 19.5 of 20 → 97.50
    assert (score.points, score.final_points, sheet_a.total) == (D("3.00"), D("3.50"), D("97.50"))


def test_the_audit_of_a_decision_shows_every_before_and_after_value(cast, sheet_a, second_reviewer):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    appeal_decide(appeal=appeal, user=second_reviewer, decision="upheld", reason="材料齐全")
    entry = ReviewAuditEntry.objects.get(action="appeal_decide")
    assert entry.user == second_reviewer
    assert entry.before == {
        "appeal": "pending", "points": "3.00", "final_points": None, "sheet_total": "95.00",
        "sheet_base_score": "95.00", "sheet_bonus": "0.00", "sheet_deductions": "0.00", "sheet_is_vetoed": False,
        "sheet_grade": "excellent", "sheet_area_points": {"A": "9.00", "B": "10.00"},
    }  # fmt: skip
    assert entry.after == {
        "appeal": "upheld", "points": "3.00", "final_points": "4.00", "sheet_total": "100.00",
        "sheet_base_score": "100.00", "sheet_bonus": "0.00", "sheet_deductions": "0.00", "sheet_is_vetoed": False,
        "sheet_grade": "excellent", "sheet_area_points": {"A": "10.00", "B": "10.00"},
    }  # fmt: skip


def test_a_rejected_appeal_leaves_the_score(cast, sheet_a, second_reviewer):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    decided = appeal_decide(appeal=appeal, user=second_reviewer, decision="rejected", reason="依据充分")
    sheet_a.refresh_from_db()
    assert (decided.points_after, sheet_a.total) == (D("3.00"), D("95.00"))
    assert Notification.objects.filter(recipient=cast.staff_a, kind=Notification.Kind.APPEAL_DECIDED).exists()


def test_an_upheld_appeal_against_a_veto_lifts_the_fail(cast, framework, second_reviewer):
    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    entry = adjustment_register(
        department=cast.dept_a, year=2025, item=framework.adjustment_items.get(code="X1"), reason="群体性事件",
        user=cast.reviewer,
    )  # fmt: skip
    adjustment_decide(adjustment=entry, approve=True, user=second_reviewer)
    results_publish(year=2025, appeal_deadline=TODAY, user=cast.reviewer)
    sheet = ScoreSheet.objects.get(department=cast.dept_a)
    assert sheet.grade == "fail"
    appeal = appeal_submit(score_sheet=sheet, user=cast.staff_a, statement="事件与本单位无关", adjustment=entry)
    third = type(second_reviewer).objects.create_user(
        "reviewer_three", role="reviewer", department=cast.justice_bureau, password="x"
    )
    appeal_decide(appeal=appeal, user=third, decision="upheld", reason="经查事件非本单位引发")
    sheet.refresh_from_db()
    assert (sheet.is_vetoed, sheet.grade, sheet.total) == (False, "excellent", D("95.00"))


def test_finalising_waits_for_the_window_and_for_every_decision(cast, sheet_a, second_reviewer):
    appeal = appeal_on_judgement(sheet_a, cast.staff_a)
    later = TODAY + datetime.timedelta(days=30)
    with pytest.raises(ReviewError, match="期满"):
        results_finalise(year=2025, user=cast.reviewer)
    with pytest.raises(ReviewError, match="尚未复核"):
        results_finalise(year=2025, user=cast.reviewer, today=later)
    appeal_decide(appeal=appeal, user=second_reviewer, decision="rejected", reason="依据充分")
    publication = results_finalise(year=2025, user=cast.reviewer, today=later)
    assert publication.is_final
    assert ScoreSheet.objects.get(pk=sheet_a.pk).is_final


def test_a_final_score_changes_neither_by_recomputation_nor_by_a_late_appeal(cast, sheet_a):
    results_finalise(year=2025, user=cast.reviewer, today=TODAY + datetime.timedelta(days=30))
    score_sheet_compute(annual_return=sheet_a.annual_return)  # same inputs: nothing to do
    score = sheet_a.annual_return.review_scores.get(indicator__code="A1.4")
    with pytest.raises(ReviewError, match="不是异议期"):
        appeal_submit(score_sheet=sheet_a, user=cast.staff_a, statement="再议", review_score=score)
    assert ScoreSheet.objects.get(pk=sheet_a.pk).total == D("95.00")
