"""Everything the congress survey report (调研报告) of a year quotes, in one evaluated structure.

The reports app builds its context from `congress_report_data` alone, so every survey and
follow-up figure of the report traces back to this one read of stored values.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Department

from ..models import CongressYear, Survey, SurveyActivity
from .followup import FollowUpTotals, followup_totals, opinion_status, opinions_with_assignments, status_label
from .survey_results import SurveyResults, survey_results


@dataclass(frozen=True)
class AssignmentRow:
    department: str
    deadline: date
    status_label: str
    answer: str
    answered_on: date | None


@dataclass(frozen=True)
class OpinionRow:
    kind_label: str
    number: str
    title: str
    proposer: str
    status_label: str
    is_reviewed: bool
    review_note: str
    assignments: tuple[AssignmentRow, ...]


@dataclass(frozen=True)
class ActivityRow:
    kind: str
    kind_label: str
    subject: str
    held_on: date
    ended_on: date | None
    place: str
    departments: tuple[str, ...]
    other_participants: str


@dataclass(frozen=True)
class ActivityCount:
    kind: str
    kind_label: str
    count: int


@dataclass(frozen=True)
class RecommendationRow:
    position: int
    title: str
    content: str


@dataclass(frozen=True)
class CongressReportData:
    year: int
    title: str
    is_finalised: bool
    finalised_at: datetime | None
    survey: SurveyResults | None
    opinion_totals: FollowUpTotals  # 审议意见
    suggestion_totals: FollowUpTotals  # 代表建议
    followup_totals: FollowUpTotals  # both together
    as_of: date  # the day overdue assignments are counted on
    overdue_departments: tuple[str, ...]  # units with an unanswered assignment past its deadline, directory order
    opinions: tuple[OpinionRow, ...]
    activities: tuple[ActivityRow, ...]
    activity_counts: tuple[ActivityCount, ...]  # per kind, in the order of SurveyActivity.Kind
    activity_departments: tuple[str, ...]  # every unit that took part, in directory order
    recommendations: tuple[RecommendationRow, ...]


def _opinion_rows(opinions) -> tuple[OpinionRow, ...]:
    rows = []
    for opinion in opinions:
        assignments = list(opinion.assignments.all())
        rows.append(
            OpinionRow(
                kind_label=opinion.get_kind_display(),
                number=opinion.number,
                title=opinion.title,
                proposer=opinion.proposer,
                status_label=status_label(opinion_status(assignments)),
                is_reviewed=opinion.is_reviewed,
                review_note=opinion.review_note,
                assignments=tuple(
                    AssignmentRow(
                        department=a.department.name,
                        deadline=a.deadline,
                        status_label=status_label(a.status),
                        answer=a.answer,
                        answered_on=timezone.localdate(a.answered_at) if a.answered_at else None,
                    )
                    for a in assignments
                ),
            )
        )
    return tuple(rows)


def _overdue_departments(opinions, today: date) -> tuple[str, ...]:
    units = {
        a.department.pk: a.department
        for opinion in opinions
        for a in opinion.assignments.all()  # prefetched with their departments
        if not a.status and a.deadline < today
    }
    return tuple(d.name for d in sorted(units.values(), key=lambda d: (d.sort_order, d.code)))


def _activities(congress_year: CongressYear):
    activities = list(
        congress_year.activities.prefetch_related(
            Prefetch("departments", queryset=Department.objects.order_by("sort_order", "code"))
        ).order_by("held_on", "id")
    )
    rows = tuple(
        ActivityRow(
            kind=a.kind,
            kind_label=a.get_kind_display(),
            subject=a.subject,
            held_on=a.held_on,
            ended_on=a.ended_on,
            place=a.place,
            departments=tuple(d.name for d in a.departments.all()),
            other_participants=a.other_participants,
        )
        for a in activities
    )
    counts = tuple(
        ActivityCount(kind, label, sum(1 for a in activities if a.kind == kind))
        for kind, label in SurveyActivity.Kind.choices
    )
    units = {d.pk: d for a in activities for d in a.departments.all()}
    ordered = sorted(units.values(), key=lambda d: (d.sort_order, d.code))
    return rows, counts, tuple(d.name for d in ordered)


def congress_report_data(*, year: int, today: date | None = None) -> CongressReportData:
    """Raises CongressYear.DoesNotExist when the year has no congress record."""
    congress_year = CongressYear.objects.get(year=year)
    today = today or timezone.localdate()
    survey = Survey.objects.filter(congress_year=congress_year).first()
    opinions = list(opinions_with_assignments(congress_year=congress_year))
    opinion_totals, suggestion_totals, both = followup_totals(opinions=opinions, today=today)
    activities, activity_counts, activity_departments = _activities(congress_year)
    return CongressReportData(
        year=congress_year.year,
        title=congress_year.title,
        is_finalised=congress_year.is_finalised,
        finalised_at=congress_year.report_finalised_at,
        # The report prints figures, not the open answers (the survey's results page lists those).
        survey=survey_results(survey=survey, with_open_answers=False) if survey else None,
        opinion_totals=opinion_totals,
        suggestion_totals=suggestion_totals,
        followup_totals=both,
        as_of=today,
        overdue_departments=_overdue_departments(opinions, today),
        opinions=_opinion_rows(opinions),
        activities=activities,
        activity_counts=activity_counts,
        activity_departments=activity_departments,
        recommendations=tuple(
            RecommendationRow(r.position, r.title, r.content)
            for r in congress_year.recommendations.order_by("position", "id")
        ),
    )
