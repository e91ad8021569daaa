"""Who may request, see, download and finalise which reports.

A report is about a scope: one department (部门年度报告), one government (本级政府年度报告) or the
whole jurisdiction (调研报告, 考核结果通报). Department-scoped reports follow
`departments_for_user`: staff their own unit, reviewers their branch, congress staff and admins all.
Jurisdiction-wide reports go to those who see every unit and whose role the report is for. Runs a
user may not see answer 404, like every other object in lawgov.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Department, User
from accounts.permissions import departments_for_user

from .models import ReportBatch, ReportKind, ReportRun

DEPARTMENT_SCOPED: dict[str, tuple[str, ...]] = {
    ReportKind.DEPARTMENT_ANNUAL: (Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP),
    ReportKind.GOVERNMENT_ANNUAL: (Department.Kind.GOVERNMENT,),
}
# Jurisdiction-wide kinds and the roles they are for (each also needs an unscoped view of all units).
CITYWIDE_AUDIENCE: dict[str, set[str]] = {
    ReportKind.CONGRESS_SURVEY: {User.Role.CONGRESS, User.Role.ADMIN},
    ReportKind.RESULTS_NOTICE: {User.Role.REVIEWER, User.Role.CONGRESS, User.Role.ADMIN},
}
# Who marks a kind's edition final (定稿): the office that issues it. A department's annual report is
# the unit's own (its staff, who see only their unit; can_request_report keeps it to that unit), not
# the reviewers', who see it but do not sign it.
FINALIZERS: dict[str, set[str]] = {
    ReportKind.DEPARTMENT_ANNUAL: {User.Role.DEPARTMENT_STAFF, User.Role.ADMIN},
    ReportKind.CONGRESS_SURVEY: {User.Role.CONGRESS, User.Role.ADMIN},
    ReportKind.GOVERNMENT_ANNUAL: {User.Role.REVIEWER, User.Role.ADMIN},
    ReportKind.RESULTS_NOTICE: {User.Role.REVIEWER, User.Role.ADMIN},
}


def sees_all_departments(user: User) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_system_admin or user.is_congress_staff or (user.is_reviewer and user.review_scope_id is None)


def citywide_kinds_for_user(user: User) -> list[str]:
    if not sees_all_departments(user):
        return []
    return [kind for kind, roles in CITYWIDE_AUDIENCE.items() if user.role in roles]


def department_kinds_for(department: Department) -> list[str]:
    return [kind for kind, unit_kinds in DEPARTMENT_SCOPED.items() if department.kind in unit_kinds]


def can_request_report(user: User, *, kind: str, department: Department | None) -> bool:
    """Anyone who may read a report may have it (re)generated: generation only reads their data."""
    if kind in DEPARTMENT_SCOPED:
        if department is None or department.kind not in DEPARTMENT_SCOPED[kind]:
            return False
        return departments_for_user(user).filter(pk=department.pk).exists()
    return department is None and kind in citywide_kinds_for_user(user)


def runs_for_user(user: User) -> QuerySet[ReportRun]:
    visible = Q(kind__in=list(DEPARTMENT_SCOPED), department__in=departments_for_user(user))
    citywide = citywide_kinds_for_user(user)
    if citywide:
        visible |= Q(kind__in=citywide, department__isnull=True)
    return ReportRun.objects.filter(visible, is_automatic=False)  # automatic runs: nobody's until asked for


def run_get_for_user(user: User, pk: int) -> ReportRun:
    return get_object_or_404(runs_for_user(user).select_related("department", "requested_by"), pk=pk)


def can_finalize_run(user: User, run: ReportRun) -> bool:
    return (
        user.is_active
        and user.role in FINALIZERS.get(run.kind, ())
        and can_request_report(user, kind=run.kind, department=run.department)
    )


def can_edit_draft(user: User, *, kind: str, department: Department | None) -> bool:
    """Whoever may have a report generated may set its 成文日期 and wording before 定稿."""
    return can_request_report(user, kind=kind, department=department)


def can_request_batch(user: User) -> bool:
    """Batches are for those who work across units: reviewers, congress staff, admins."""
    return user.is_active and user.role in {User.Role.REVIEWER, User.Role.CONGRESS, User.Role.ADMIN}


def batches_for_user(user: User) -> QuerySet[ReportBatch]:
    """A batch is visible to whoever sees its whole scope (its root unit, or everything)."""
    if not can_request_batch(user):
        return ReportBatch.objects.none()
    if sees_all_departments(user):
        return ReportBatch.objects.all()
    return ReportBatch.objects.filter(scope__in=departments_for_user(user))


def batch_get_for_user(user: User, pk: int) -> ReportBatch:
    return get_object_or_404(batches_for_user(user).select_related("scope"), pk=pk)
