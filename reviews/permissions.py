"""Who may do what in review and scoring. Built on accounts.permissions and assessments.permissions.

Reviewers work on returns of departments in their scope, never their own department's. The bureau
(reviewers without a scope restriction, and administrators) publishes results and declares them
final. Department staff see their own score sheet only once results are published, and other
departments' totals only when the bureau makes the ranking public; their breakdowns (加分, 扣分,
area points) only when the bureau opens those too (公开明细). A reviewer scoped to a branch sees the
results of its branch only until the year is published (issue 18 §3).
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Department, User
from accounts.permissions import can_review_department, departments_for_user
from assessments.models import AnnualReturn
from assessments.permissions import returns_for_user

from .models import Adjustment, Appeal, Publication, ScoreSheet


def is_active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_use_workbench(user: User) -> bool:
    """The queue and review pages: reviewers (within scope) and administrators (read only)."""
    return is_active(user) and (user.is_reviewer or user.is_system_admin)


def can_review_return(user: User, annual_return: AnnualReturn) -> bool:
    return can_review_department(user, annual_return.department)


def can_manage_results(user: User) -> bool:
    """Publishing and finalising a year's results: the bureau, i.e. reviewers of all units, and admins."""
    return is_active(user) and (user.is_system_admin or (user.is_reviewer and user.review_scope_id is None))


def can_see_all_results(user: User) -> bool:
    return is_active(user) and (user.is_reviewer or user.is_system_admin or user.is_congress_staff)


def result_departments_for_user(user: User, year: int) -> QuerySet[Department] | None:
    """The units whose results (totals, grades, area points) the user may see for `year`: None for
    all. A scoped reviewer sees its branch only until the results are published."""
    if is_active(user) and user.is_reviewer and user.review_scope_id is not None and publication_for(year) is None:
        return departments_for_user(user)
    return None


def can_see_breakdowns(user: User, year: int) -> bool:
    """Other units' 加分, 扣分 and per-area points, on the results page and in its export."""
    if can_see_all_results(user):
        return True
    publication = publication_for(year)
    return bool(publication and publication.is_ranking_public and publication.is_breakdown_public and is_active(user))


def return_for_reviewer(
    user: User, pk: int, *, reading: Callable[[QuerySet[AnnualReturn]], QuerySet[AnnualReturn]] | None = None
) -> AnnualReturn:
    """A return in the reviewer's scope (their own department's included, read only); 404 otherwise.
    `reading` adds what a page reads with the return (joins, annotations), never a filter."""
    queryset = returns_for_user(user).select_related("department", "framework")
    if reading is not None:
        queryset = reading(queryset)
    return get_object_or_404(queryset, pk=pk)


def publication_for(year: int) -> Publication | None:
    return Publication.objects.filter(year=year).first()


def score_sheets_for_user(user: User, year: int) -> QuerySet[ScoreSheet]:
    """Sheets whose breakdown the user may open."""
    sheets = ScoreSheet.objects.filter(year=year)
    if not is_active(user):
        return sheets.none()
    if user.is_department_staff:
        if user.department_id is None or not Publication.objects.filter(year=year).exists():
            return sheets.none()
        return sheets.filter(department_id=user.department_id)
    return sheets.filter(department__in=departments_for_user(user))


def score_sheet_get_for_user(user: User, pk: int) -> ScoreSheet:
    sheet = get_object_or_404(ScoreSheet.objects.only("year"), pk=pk)
    queryset = score_sheets_for_user(user, sheet.year).select_related("department", "framework", "annual_return")
    return get_object_or_404(queryset, pk=pk)


def can_see_ranking(user: User, year: int) -> bool:
    if can_see_all_results(user):
        return True
    publication = publication_for(year)
    return bool(publication and publication.is_ranking_public and is_active(user))


def can_register_adjustment(user: User, department: Department) -> bool:
    return can_review_department(user, department)


def can_decide_adjustment(user: User, adjustment: Adjustment) -> bool:
    """Four eyes: someone other than who entered it, a reviewer of the department."""
    return adjustment.entered_by_id != user.pk and can_review_department(user, adjustment.department)


def can_appeal(user: User, sheet: ScoreSheet) -> bool:
    return is_active(user) and user.is_department_staff and user.department_id == sheet.department_id


def first_reviewer_ids(appeal: Appeal) -> set[int]:
    """Who decided what is contested: they may not 复核 it."""
    deciders: set[int | None]
    if appeal.review_score is not None:
        deciders = {appeal.review_score.reviewer_id}
    elif appeal.adjustment is not None:
        deciders = {appeal.adjustment.entered_by_id, appeal.adjustment.approved_by_id}
    else:
        deciders = set()
    return {user_id for user_id in deciders if user_id is not None}


def can_decide_appeal(user: User, appeal: Appeal) -> bool:
    department = appeal.score_sheet.department
    return can_review_department(user, department) and user.pk not in first_reviewer_ids(appeal)


def appeals_for_user(user: User) -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related("score_sheet__department")
    if not is_active(user):
        return appeals.none()
    if user.is_department_staff:
        if user.department_id is None:
            return appeals.none()
        return appeals.filter(score_sheet__department_id=user.department_id)
    return appeals.filter(score_sheet__department__in=departments_for_user(user))


def appeal_get_for_user(user: User, pk: int) -> Appeal:
    try:
        return (
            appeals_for_user(user)
            .select_related("review_score__indicator", "adjustment__item", "submitted_by", "decided_by")
            .get(pk=pk)
        )
    except Appeal.DoesNotExist:
        raise Http404 from None
