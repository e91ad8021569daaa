from accounts.models import Department
from accounts.selectors import department_subtree, department_subtree_ids
from tests.factories import DepartmentFactory


def test_a_branch_lists_its_units_in_directory_order_with_their_flags(db, django_assert_num_queries):
    root = DepartmentFactory(kind=Department.Kind.GOVERNMENT, code="R000", sort_order=0)
    later = DepartmentFactory(parent=root, code="R001", sort_order=2)
    court = DepartmentFactory(parent=root, code="R003", sort_order=1, is_assessed=False)
    closed = DepartmentFactory(parent=later, code="R002", sort_order=1, is_active=False)
    DepartmentFactory(code="X000", sort_order=0)  # outside the branch

    with django_assert_num_queries(1):
        units = department_subtree(root_id=root.pk)

    assert [(u.pk, u.name, u.is_active, u.is_assessed) for u in units] == [
        (root.pk, root.name, True, True),
        (closed.pk, closed.name, False, True),  # sort order 1, code R002
        (court.pk, court.name, True, False),  # sort order 1, code R003
        (later.pk, later.name, True, True),
    ]
    assert {u.pk for u in units} == department_subtree_ids(root_id=root.pk)
