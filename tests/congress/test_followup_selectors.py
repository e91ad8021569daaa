import datetime
from decimal import Decimal

from django.utils import timezone

from congress.models import Assignment, DeliberationOpinion, HandlingStatus
from congress.selectors.followup import followup_totals, opinion_status, opinions_with_assignments, overdue_assignments

from .factories import AssignmentFactory, CongressYearFactory, OpinionFactory

H = HandlingStatus
TODAY = datetime.date(2025, 12, 1)


def _answered(department, status, opinion=None, deadline=datetime.date(2025, 6, 30)):
    return AssignmentFactory(
        department=department,
        opinion=opinion or OpinionFactory(),
        status=status,
        answer="已办理",
        answered_at=timezone.now(),
        deadline=deadline,
    )


def _totals(year=None):
    congress_year = year or CongressYearFactory()
    return followup_totals(opinions=list(opinions_with_assignments(congress_year=congress_year)), today=TODAY)


def test_an_item_with_several_departments_takes_the_least_advanced_result(cast):
    opinion = OpinionFactory()
    a = _answered(cast.dept_a, H.RESOLVED, opinion)
    b = _answered(cast.dept_b, H.PLANNED, opinion)

    assert opinion_status([a, b]) == H.PLANNED


def test_an_item_stays_unanswered_while_any_department_has_not_answered(cast):
    opinion = OpinionFactory()
    a = _answered(cast.dept_a, H.RESOLVED, opinion)
    b = AssignmentFactory(opinion=opinion, department=cast.dept_b)

    assert opinion_status([a, b]) == ""
    assert opinion_status([]) == ""


def test_totals_group_results_as_the_report_prints_them(cast):
    for status in (H.RESOLVED, H.RESOLVED, H.BASICALLY_RESOLVED, H.PARTIALLY_RESOLVED, H.PLANNED, H.UNRESOLVED):
        _answered(cast.dept_a, status)
    AssignmentFactory(department=cast.dept_a)  # not answered

    _, suggestions, both = _totals()

    assert (suggestions.total, suggestions.resolved, suggestions.partially_resolved) == (7, 3, 2)
    assert (suggestions.unresolved, suggestions.pending) == (1, 1)
    # (3 + 2) / 7 = 71.428…% → 71.43%
    assert suggestions.handled_share == Decimal("71.43")
    assert suggestions.resolved_share == Decimal("42.86")
    assert [(c.label, c.count) for c in suggestions.by_status] == [
        ("已解决", 2),
        ("基本解决", 1),
        ("部分解决", 1),
        ("列入计划", 1),
        ("未解决", 1),
        ("未答复", 1),
    ]
    assert both.total == 7


def test_totals_reproduce_the_figures_of_a_real_congress_report(cast):
    # 代表建议358件，已经解决或基本解决的197件，部分解决或已列入计划解决的129件，合计占比91.06%
    year = CongressYearFactory()
    opinions = DeliberationOpinion.objects.bulk_create(
        DeliberationOpinion(congress_year=year, kind="suggestion", number=str(n), title="t", content="c")
        for n in range(358)
    )
    statuses = [H.RESOLVED] * 197 + [H.PARTIALLY_RESOLVED] * 129 + [H.UNRESOLVED] * 32
    Assignment.objects.bulk_create(
        Assignment(opinion=o, department=cast.dept_a, deadline=TODAY, status=s, answer="x", answered_at=timezone.now())
        for o, s in zip(opinions, statuses, strict=True)
    )

    _, suggestions, _ = _totals(year)

    assert (suggestions.total, suggestions.resolved, suggestions.partially_resolved) == (358, 197, 129)
    assert suggestions.handled_share == Decimal("91.06")


def test_totals_of_a_year_without_items_have_no_share(cast):
    opinions, _, _ = _totals()

    assert (opinions.total, opinions.handled_share) == (0, None)


def test_opinions_and_suggestions_are_counted_separately(cast):
    _answered(cast.dept_a, H.RESOLVED, OpinionFactory(kind=DeliberationOpinion.Kind.OPINION))
    _answered(cast.dept_a, H.UNRESOLVED)

    opinions, suggestions, both = _totals()

    assert (opinions.total, opinions.resolved, suggestions.total, suggestions.unresolved) == (1, 1, 1, 1)
    assert both.handled_share == Decimal("50.00")


def test_overdue_lists_unanswered_assignments_past_their_deadline_only(cast):
    late = AssignmentFactory(department=cast.dept_a, deadline=datetime.date(2025, 11, 30))
    AssignmentFactory(department=cast.dept_a, deadline=TODAY)  # due today: not yet overdue
    _answered(cast.dept_a, H.RESOLVED, deadline=datetime.date(2025, 1, 1))  # answered: not overdue

    overdue = list(overdue_assignments(assignments=Assignment.objects.all(), today=TODAY))

    assert overdue == [late]
    assert _totals()[1].overdue_assignments == 1
