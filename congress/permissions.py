"""Who may see and do what in the congress module.

Congress staff (and system administrators) manage surveys, opinions, activities and
recommendations; reviewers read them; department staff see only the assignments (交办) of their
own department and answer them. Assignments of other departments answer 404.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import departments_for_user

from .models import Assignment


def can_manage_congress(user: User) -> bool:
    return user.is_authenticated and user.is_active and (user.is_congress_staff or user.is_system_admin)


def can_read_congress(user: User) -> bool:
    return can_manage_congress(user) or (user.is_authenticated and user.is_active and user.is_reviewer)


def can_answer_assignments(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_department_staff and user.department_id is not None


def assignments_for_user(user: User) -> QuerySet[Assignment]:
    """Assignments whose department the user may see: own department for staff, scope for reviewers."""
    return Assignment.objects.filter(department__in=departments_for_user(user))


def assignment_get_for_user(user: User, pk: int) -> Assignment:
    return get_object_or_404(
        assignments_for_user(user).select_related("opinion__congress_year", "department", "answered_by"), pk=pk
    )


def can_answer_assignment(user: User, assignment: Assignment) -> bool:
    return can_answer_assignments(user) and assignment.department_id == user.department_id
