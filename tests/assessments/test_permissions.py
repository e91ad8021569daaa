from django.utils import timezone

from assessments.models import AnnualReturn
from assessments.permissions import (
    can_edit_return,
    can_grant_extension,
    can_submit_return,
    readable_returns_for_user,
    returns_for_user,
)


def test_staff_see_only_their_own_departments_returns(cast, return_a, return_b):
    assert list(returns_for_user(cast.staff_a)) == [return_a]


def test_a_scoped_reviewer_sees_only_returns_in_the_branch(cast, return_a, return_b):
    seen = set(returns_for_user(cast.reviewer_scoped).values_list("department", flat=True))
    assert seen == {cast.county.pk, cast.dept_b.pk}


def can_view_return(user, annual_return) -> bool:
    return readable_returns_for_user(user).filter(pk=annual_return.pk).exists()


def test_congress_staff_see_returns_from_submission_on_but_cannot_edit_them(cast, return_a):
    assert not can_view_return(cast.congress, return_a)  # 未开始: the department's draft
    for status in (AnnualReturn.Status.IN_PROGRESS, AnnualReturn.Status.RETURNED):
        AnnualReturn.objects.filter(pk=return_a.pk).update(status=status, first_submitted_at=timezone.now())
        assert not can_view_return(cast.congress, return_a)
    for status in (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.APPROVED, AnnualReturn.Status.CONFIRMED):
        AnnualReturn.objects.filter(pk=return_a.pk).update(status=status, first_submitted_at=timezone.now())
        assert can_view_return(cast.congress, return_a)
    assert not can_edit_return(cast.congress, return_a)


def test_only_own_staff_may_edit_and_only_while_open(cast, return_a):
    assert can_edit_return(cast.staff_a, return_a)
    assert not can_edit_return(cast.staff_b, return_a)
    assert not can_edit_return(cast.reviewer, return_a)
    return_a.status = AnnualReturn.Status.SUBMITTED
    assert not can_edit_return(cast.staff_a, return_a)


def test_an_inactive_user_can_do_nothing(cast, return_a):
    cast.staff_a.is_active = False
    assert not can_edit_return(cast.staff_a, return_a)
    assert not returns_for_user(cast.staff_a).exists()


def test_a_not_started_return_cannot_be_submitted(cast, return_a):
    assert not can_submit_return(cast.staff_a, return_a)


def test_extensions_are_for_reviewers_in_scope_and_admins(cast, return_a):
    assert can_grant_extension(cast.reviewer, return_a) and can_grant_extension(cast.admin, return_a)
    assert not can_grant_extension(cast.reviewer_scoped, return_a)
    assert not can_grant_extension(cast.staff_a, return_a)
