"""The department's part of the workbench (工作台): this year's return, its deadline, what is still
missing (linking to each field), reviewer comments when returned, and last year's return and report."""

from dataclasses import dataclass

from accounts.models import Department, User
from assessments.models import AnnualReturn, NarrativeSection
from assessments.selectors.checking import Problem, return_check
from assessments.selectors.deadlines import DeadlineState, deadline_state
from assessments.selectors.returns import ReturnData, return_data_load
from assessments.values import is_filled
from reports.models import ReportRun
from reports.permissions import department_kinds_for, runs_for_user

CHECKLIST_LIMIT = 12


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    message: str
    anchor: str


@dataclass(frozen=True)
class DepartmentHome:
    current: AnnualReturn
    deadline: DeadlineState | None
    filled: int
    total: int
    checklist: tuple[ChecklistItem, ...]
    checklist_more: int
    reviewer_comments: tuple[tuple[str, str, str], ...]  # (label, comment, anchor)
    return_comment: str
    previous: AnnualReturn | None
    previous_report: ReportRun | None  # last year's report of this department, latest finished edition

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 100

    @property
    def previous_year(self) -> int:
        return self.current.year - 1

    @property
    def is_previous_approved(self) -> bool:
        return self.previous is not None and self.previous.status in (
            AnnualReturn.Status.APPROVED,
            AnnualReturn.Status.CONFIRMED,
        )


def latest_department_report(user: User, department: Department, year: int) -> ReportRun | None:
    """The newest finished edition of the department's own annual report (部门年度报告, or 本级政府
    年度报告 for a government) of the year that the user may download; a final edition is the last."""
    return (
        runs_for_user(user)
        .filter(
            kind__in=department_kinds_for(department),
            year=year,
            department=department,
            status=ReportRun.Status.DONE,
        )
        .order_by("-edition", "-pk")
        .first()
    )


def _checklist(data: ReturnData, problems: list[Problem]) -> list[ChecklistItem]:
    names = {indicator.pk: f"{indicator.code} {indicator.name}" for indicator in data.applicable}
    items = []
    for problem in problems:
        if problem.indicator_id is not None:
            label = names.get(problem.indicator_id, "")
            items.append(ChecklistItem(label, problem.message, f"ind-{problem.indicator_id}"))
        elif problem.narrative_kind:
            label = NarrativeSection.Kind(problem.narrative_kind).label
            items.append(ChecklistItem(label, "尚未填写", f"narrative-{problem.narrative_kind}"))
    return items


def department_home(user: User) -> DepartmentHome | None:
    if not (user.is_authenticated and user.is_department_staff and user.department_id):
        return None
    returns = list(
        AnnualReturn.objects.filter(department_id=user.department_id).select_related("department", "framework")[:2]
    )
    if not returns:
        return None
    current = returns[0]
    previous = returns[1] if len(returns) > 1 and returns[1].year == current.year - 1 else None
    data = return_data_load(current)
    blocking = return_check(data).blocking if current.is_open_for_department else []
    items = _checklist(data, blocking)
    rows = [row for row in data.rows.values() if row.is_reopened and row.reviewer_comment]
    comments = [
        (f"{row.indicator.code} {row.indicator.name}", row.reviewer_comment, f"ind-{row.indicator_id}") for row in rows
    ]
    comments += [
        (section.get_kind_display(), section.reviewer_comment, f"narrative-{section.kind}")
        for section in data.narratives.values()
        if section.is_reopened and section.reviewer_comment
    ]
    last_return = current.transitions.filter(action__in=["return", "reopen"]).order_by("-created_at", "-pk").first()
    fillable = list(data.rows.values())
    is_back_with_department = current.first_submitted_at is not None and current.is_open_for_department
    return DepartmentHome(
        current=current,
        deadline=deadline_state(current),
        filled=sum(1 for row in fillable if is_filled(row.indicator, row)),
        total=len(fillable),
        checklist=tuple(items[:CHECKLIST_LIMIT]),
        checklist_more=max(len(items) - CHECKLIST_LIMIT, 0),
        reviewer_comments=tuple(comments),
        return_comment=last_return.comment if last_return and is_back_with_department else "",
        previous=previous,
        previous_report=latest_department_report(user, current.department, current.year - 1),
    )
