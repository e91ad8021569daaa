"""Who may see and do what. The one place that decides access for departments and roles.

Lookups return 404 (never 403) for objects a user may not see, so a department cannot even
learn that another department's object exists. Other apps build their scoped lookups on
`departments_for_user`.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Department, User
from .selectors import department_subtree_ids


def _sees_every_department(user: User) -> bool:
    return user.is_system_admin or user.is_congress_staff or (user.is_reviewer and user.review_scope_id is None)


def departments_for_user(user: User) -> QuerySet[Department]:
    """The departments whose data the user may see."""
    if not user.is_authenticated or not user.is_active:
        return Department.objects.none()
    if _sees_every_department(user):
        return Department.objects.all()
    if user.is_reviewer and user.review_scope_id is not None:  # without a scope: every department, above
        return Department.objects.filter(id__in=department_subtree_ids(root_id=user.review_scope_id))
    if user.is_department_staff and user.department_id is not None:
        return Department.objects.filter(id=user.department_id)
    return Department.objects.none()


def department_get_for_user(user: User, pk: int) -> Department:
    return get_object_or_404(departments_for_user(user), pk=pk)


def can_see_department(user: User, department: Department) -> bool:
    # Answered without a query where the role decides it (asked several times per review page).
    if not user.is_authenticated or not user.is_active:
        return False
    if _sees_every_department(user):
        return True
    if user.is_department_staff:
        return department.pk == user.department_id
    return departments_for_user(user).filter(pk=department.pk).exists()


def can_list_departments(user: User) -> bool:
    """The unit directory is for those who work across units; staff see only their own unit."""
    return user.is_active and user.role in {User.Role.REVIEWER, User.Role.CONGRESS, User.Role.ADMIN}


def can_review_department(user: User, department: Department) -> bool:
    """Reviewers review units in their scope, but never their own unit's return."""
    if not (user.is_active and user.is_reviewer):
        return False
    if user.department_id == department.pk:
        return False
    return can_see_department(user, department)
