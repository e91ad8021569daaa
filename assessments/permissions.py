"""Who may see and change annual returns. Built on accounts.permissions.departments_for_user.

Seeing: staff see their own department's returns, reviewers those in their scope, congress staff
and administrators all (read only) — congress staff from submission on: a department's draft (未开始,
填报中, 退回修改) is its own business until it is submitted. Others' returns answer 404
(`annual_return_get_for_user`).
Changing values: only staff of the return's own department, only while the return is open to the
department, and after a targeted return (退回修改) only the reopened indicators and sections.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import can_review_department, departments_for_user

from .models import AnnualReturn, Evidence, ProvidedValueDispute


def returns_for_user(user: User) -> QuerySet[AnnualReturn]:
    """Returns of the departments the user may see, whatever their state (progress counts)."""
    return AnnualReturn.objects.filter(department__in=departments_for_user(user))


# The states in which a return is the department's draft (AnnualReturn.is_open_for_department).
DRAFT_STATUSES = (AnnualReturn.Status.NOT_STARTED, AnnualReturn.Status.IN_PROGRESS, AnnualReturn.Status.RETURNED)


def readable_returns_for_user(user: User) -> QuerySet[AnnualReturn]:
    """Returns whose content (values, narratives, evidence, history) the user may read. Congress staff
    oversee what departments submit, not their drafts (issue 18 §3)."""
    returns = returns_for_user(user)
    if user.is_authenticated and user.is_congress_staff:
        returns = returns.exclude(status__in=DRAFT_STATUSES)
    return returns


def annual_return_get_for_user(user: User, pk: int) -> AnnualReturn:
    """The return, if the user may see it; 404 otherwise."""
    return get_object_or_404(readable_returns_for_user(user).select_related("department", "framework"), pk=pk)


def readable_evidence_for_user(user: User, evidence: QuerySet[Evidence]) -> QuerySet[Evidence]:
    """Of a readable return's files, those the user may see: a file attached to a dispute of a
    provided figure belongs to the dispute — the unit, the provider (on its answer page), reviewers
    and administrators — so congress staff, who read submitted returns' evidence, never see it."""
    if user.is_authenticated and user.is_congress_staff:
        disputed = ProvidedValueDispute.objects.filter(evidence__isnull=False).values("evidence_id")
        return evidence.exclude(pk__in=disputed)
    return evidence


def is_own_department_staff(user: User, annual_return: AnnualReturn) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_department_staff
        and user.department_id == annual_return.department_id
    )


def can_edit_return(user: User, annual_return: AnnualReturn) -> bool:
    """May open the entry page and save something (which fields: the reopened ones of a return sent
    back for named indicators, see `selectors.entry_page.build_field`)."""
    return is_own_department_staff(user, annual_return) and annual_return.is_open_for_department


def can_submit_return(user: User, annual_return: AnnualReturn) -> bool:
    return is_own_department_staff(user, annual_return) and annual_return.status in (
        AnnualReturn.Status.IN_PROGRESS,
        AnnualReturn.Status.RETURNED,
    )


def can_act_as_reviewer(user: User, annual_return: AnnualReturn) -> bool:
    """Return, approve, confirm: a reviewer in scope, never of their own department."""
    return can_review_department(user, annual_return.department)


def can_reopen_return(user: User, annual_return: AnnualReturn) -> bool:
    """Reopening a confirmed (locked) return: a reviewer in scope or a system administrator."""
    return can_act_as_reviewer(user, annual_return) or (user.is_active and user.is_system_admin)


def can_grant_extension(user: User, annual_return: AnnualReturn) -> bool:
    """Extensions are granted by the justice bureau: reviewers in scope (or administrators)."""
    return can_reopen_return(user, annual_return)


def can_open_returns(user: User) -> bool:
    """Opening a year's returns and setting its deadline: the justice bureau, i.e. reviewers of all
    units (no review scope), and system administrators."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_system_admin or (user.is_reviewer and user.review_scope_id is None))
    )


def can_view_progress(user: User) -> bool:
    """The justice bureau (reviewers), administrators, and congress staff (read only)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_reviewer or user.is_system_admin or user.is_congress_staff)
    )
