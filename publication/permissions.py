"""Who may take a final report through 保密审查, 发布 and 撤回.

The unit that issues the report (its signing office, reports.permissions.FINALIZERS) or the bureau
(reviewers whose branch holds the unit) and admins. Publications a user may not see answer 404,
like every object in lawgov; what anyone may read once published is the public site's business
(publication.public_views), which reads only publication.selectors.published_reports.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.permissions import departments_for_user
from reports.models import ReportRun
from reports.permissions import DEPARTMENT_SCOPED, FINALIZERS, can_request_report

from .models import PUBLISHABLE_KINDS, ReportPublication


def kinds_user_may_publish(user: User) -> list[str]:
    """The publishable kinds the user's role may take to the public (for the units the user sees)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [kind for kind in PUBLISHABLE_KINDS if user.role in FINALIZERS.get(kind, set()) or user.is_reviewer]


def can_publish(user: User, run: ReportRun) -> bool:
    """Start, redact, confirm, publish and withdraw the public edition of the run's report."""
    return run.kind in kinds_user_may_publish(user) and can_request_report(
        user, kind=run.kind, department=run.department
    )


def publications_for_user(user: User) -> QuerySet[ReportPublication]:
    return ReportPublication.objects.filter(department__in=departments_for_user(user))


def publication_get_for_user(user: User, pk: int) -> ReportPublication:
    return get_object_or_404(
        publications_for_user(user).select_related("department", "run", "reviewed_by", "published_by"), pk=pk
    )


def final_runs_for_user(user: User) -> QuerySet[ReportRun]:
    """The final editions of publishable reports of the units the user sees."""
    return ReportRun.objects.filter(
        kind__in=PUBLISHABLE_KINDS, is_final=True, department__in=departments_for_user(user)
    )


def final_runs_to_publish(user: User) -> QuerySet[ReportRun]:
    """The final editions the user may publish: can_publish for every run, in one query."""
    allowed = Q(pk__in=[])
    for kind in kinds_user_may_publish(user):
        allowed |= Q(kind=kind, department__kind__in=DEPARTMENT_SCOPED[kind])
    return final_runs_for_user(user).filter(allowed)
