"""Per-indicator review scores: 核定值 and 审核分 beside 自报值 and 自评分, with the reason rules."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import AnnualReturn
from reviews.models import ReviewAuditEntry, ReviewScore
from reviews.services.errors import ReviewError
from reviews.services.review import review_approve, review_score_save, review_send_back

from .factories import indicator, judge, resubmit, submitted_return

D = Decimal


def save(annual_return, user, code, **kwargs):
    return review_score_save(
        annual_return=annual_return, indicator=indicator(annual_return.framework, code), user=user, **kwargs
    )


def test_accepting_the_automatic_score_needs_no_reason(cast, return_a):
    score = save(return_a, cast.reviewer, "A1.2", points=None)
    assert (score.automatic_points, score.points, score.reason, score.claimed_display) == (D("2"), D("2"), "", "是")


def test_a_score_other_than_the_automatic_one_needs_a_reason(cast, return_a):
    with pytest.raises(ReviewError, match="须填写理由"):
        save(return_a, cast.reviewer, "A1.2", points=D("1"))
    assert not ReviewScore.objects.exists()


def test_a_score_other_than_the_automatic_one_is_kept_with_its_reason(cast, return_a):
    score = save(return_a, cast.reviewer, "A1.2", points=D("1"), reason="职责清单未按要求公开")
    assert (score.automatic_points, score.points, score.reason) == (D("2"), D("1.00"), "职责清单未按要求公开")


def test_a_judgement_item_always_needs_a_reason_even_at_full_score(cast, return_a):
    with pytest.raises(ReviewError):
        save(return_a, cast.reviewer, "A1.4", points=D("4"))


def test_a_judgement_item_needs_a_score(cast, return_a):
    with pytest.raises(ReviewError, match="请填写审核分"):
        save(return_a, cast.reviewer, "A1.4", points=None, reason="好")


def test_a_score_above_the_maximum_is_refused(cast, return_a):
    with pytest.raises(ReviewError, match="0 至 2"):
        save(return_a, cast.reviewer, "A1.2", points=D("2.5"), reason="加分")


def test_a_verified_value_rescores_by_the_rules_and_needs_a_reason(cast, return_a):
    with pytest.raises(ReviewError):
        save(return_a, cast.reviewer, "A1.3", points=None, verified_raw={"numerator": "17", "denominator": "20"})
    score = save(
        return_a,
        cast.reviewer,
        "A1.3",
        points=None,
        verified_raw={"numerator": "17", "denominator": "20"},
        reason="核实应述法人数为20人",
    )
    # claimed 10/10 → 2; verified 17/20 = 85 % → 2 × 0.85
    assert (score.claimed_display, score.verified_display, score.automatic_points, score.points) == (
        "10/10",
        "17/20",
        D("2"),
        D("1.70"),
    )


def test_a_verified_value_that_does_not_parse_is_refused(cast, return_a):
    with pytest.raises(ReviewError, match="核定值有误"):
        save(return_a, cast.reviewer, "A1.1", points=None, verified_raw={"value": "三次"}, reason="核实")


def test_every_score_change_is_audited_with_before_and_after(cast, return_a):
    save(return_a, cast.reviewer, "A1.2", points=None)
    save(return_a, cast.reviewer, "A1.2", points=D("1"), reason="清单未公开")
    entry = ReviewAuditEntry.objects.filter(action="review_score").latest("pk")
    assert (entry.before["points"], entry.after["points"], entry.reason) == ("2.00", "1.00", "清单未公开")


def test_a_stale_page_does_not_overwrite_a_newer_score(cast, return_a):
    score = save(return_a, cast.reviewer, "A1.2", points=None)
    save(return_a, cast.reviewer, "A1.2", points=D("1"), reason="清单未公开", expected_version=score.version)
    with pytest.raises(ReviewError, match="已被他人修改"):
        save(return_a, cast.reviewer, "A1.2", points=D("0"), reason="未制定", expected_version=score.version)


def test_staff_cannot_score(cast, return_a):
    with pytest.raises(ReviewError):
        save(return_a, cast.staff_a, "A1.2", points=None)


def test_a_reviewer_cannot_score_their_own_department(cast, framework):
    own = submitted_return(cast.justice_bureau, _staff_of(cast.justice_bureau), framework)
    with pytest.raises(ReviewError, match="本单位"):
        save(own, cast.reviewer, "A1.2", points=None)


def _staff_of(department):
    from tests.factories import UserFactory

    return UserFactory(username=f"staff_{department.code}", department=department)


def test_a_reviewer_out_of_scope_cannot_score(cast, return_a):
    with pytest.raises(ReviewError):
        save(return_a, cast.reviewer_scoped, "A1.2", points=None)


def test_a_return_not_yet_submitted_cannot_be_scored(cast, framework):
    from tests.assessments.factories import open_return

    annual_return = open_return(cast.dept_a, framework)
    with pytest.raises(ReviewError, match="待单位提交后"):
        save(annual_return, cast.reviewer, "A1.2", points=None)


def test_approval_waits_for_every_judgement_item(cast, return_a):
    with pytest.raises(ReviewError, match=r"A1\.4"):
        review_approve(annual_return=return_a, user=cast.reviewer)
    assert AnnualReturn.objects.get(pk=return_a.pk).status == AnnualReturn.Status.SUBMITTED


def test_approval_waits_for_a_score_whose_figure_changed_since(cast, return_a):

    save(return_a, cast.reviewer, "A1.1", points=None)
    review_send_back(
        annual_return=return_a,
        user=cast.reviewer,
        comment="改",
        indicator_comments={indicator(return_a.framework, "A1.1").pk: "核实次数"},
        resubmit_deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    resubmit(return_a, cast.staff_a, {"A1.1": {"value": "2"}})
    judge(return_a, cast.reviewer)
    with pytest.raises(ReviewError, match=r"重新审核评分：A1\.1"):
        review_approve(annual_return=return_a, user=cast.reviewer)
