from accounts.models import Department
from accounts.permissions import can_review_department, departments_for_user
from accounts.selectors import department_subtree_ids
from tests.factories import DepartmentFactory, UserFactory


def _codes(user) -> set[str]:
    return set(departments_for_user(user).values_list("code", flat=True))


def test_department_staff_see_only_their_own_department(cast):
    assert _codes(cast.staff_a) == {"C002"}


def test_reviewer_without_scope_sees_every_department(cast):
    assert _codes(cast.reviewer) == set(Department.objects.values_list("code", flat=True))


def test_scoped_reviewer_sees_only_the_subtree_of_the_scope(cast):
    assert _codes(cast.reviewer_scoped) == {"C100", "C110"}


def test_congress_staff_see_every_department(cast):
    assert _codes(cast.congress) == set(Department.objects.values_list("code", flat=True))


def test_deactivated_user_sees_nothing(cast):
    cast.reviewer.is_active = False
    assert _codes(cast.reviewer) == set()


def test_reviewer_cannot_review_their_own_department(cast):
    assert can_review_department(cast.reviewer, cast.dept_a)
    assert not can_review_department(cast.reviewer, cast.justice_bureau)


def test_scoped_reviewer_cannot_review_outside_the_scope(cast):
    assert can_review_department(cast.reviewer_scoped, cast.dept_b)
    assert not can_review_department(cast.reviewer_scoped, cast.dept_a)


def test_department_staff_and_congress_cannot_review(cast):
    assert not can_review_department(cast.staff_a, cast.dept_a)
    assert not can_review_department(cast.congress, cast.dept_a)


def test_subtree_includes_grandchildren_and_excludes_siblings(db):
    root = DepartmentFactory(kind=Department.Kind.GOVERNMENT)
    child = DepartmentFactory(kind=Department.Kind.GOVERNMENT, parent=root)
    grandchild = DepartmentFactory(parent=child)
    sibling = DepartmentFactory(parent=root)

    assert department_subtree_ids(root_id=child.pk) == {child.pk, grandchild.pk}
    assert sibling.pk not in department_subtree_ids(root_id=child.pk)


def test_staff_user_of_other_department_is_not_in_scope(cast):
    outsider = UserFactory(department=DepartmentFactory(parent=cast.city))
    assert cast.dept_a not in departments_for_user(outsider)
