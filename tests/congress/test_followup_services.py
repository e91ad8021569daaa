import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Assignment, DeliberationOpinion, HandlingStatus
from congress.services.followup import (
    StaleAnswerError,
    assignment_answer,
    assignment_delete,
    assignments_create,
    opinion_create,
    opinion_delete,
    opinion_mark_reviewed,
    opinion_unmark_reviewed,
)

from .factories import AssignmentFactory, CongressYearFactory, OpinionFactory

DEADLINE = datetime.date(2025, 6, 30)


def _answer(assignment, user, status=HandlingStatus.RESOLVED, version=None):
    return assignment_answer(
        assignment=assignment,
        status=status,
        answer="已制定整改方案并落实。",
        version=assignment.version if version is None else version,
        user=user,
    )


def test_congress_staff_record_an_opinion_for_a_year(cast):
    opinion = opinion_create(
        congress_year=CongressYearFactory(),
        kind=DeliberationOpinion.Kind.OPINION,
        number="审议意见1",
        title="规范涉企检查",
        content="减少多头检查。",
        user=cast.congress,
    )

    assert opinion.congress_year.year == 2025


def test_the_same_number_cannot_be_recorded_twice_in_a_year(cast):
    existing = OpinionFactory(number="第1号")

    with pytest.raises(ValidationError):
        opinion_create(
            congress_year=existing.congress_year,
            kind=existing.kind,
            number="第1号",
            title="重复",
            content="重复",
            user=cast.congress,
        )


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_record_opinions(cast, role):
    with pytest.raises(PermissionDenied):
        opinion_create(
            congress_year=CongressYearFactory(),
            kind=DeliberationOpinion.Kind.OPINION,
            number="1",
            title="t",
            content="c",
            user=getattr(cast, role),
        )


def test_an_opinion_is_assigned_to_several_departments_with_one_deadline(cast):
    opinion = OpinionFactory()

    assignments_create(opinion=opinion, departments=[cast.dept_a, cast.dept_b], deadline=DEADLINE, user=cast.congress)

    assert sorted(a.department.code for a in opinion.assignments.all()) == ["C002", "C110"]
    assert {a.deadline for a in opinion.assignments.all()} == {DEADLINE}


def test_assigning_a_department_twice_is_refused_with_its_name(cast):
    assignment = AssignmentFactory(department=cast.dept_a)

    with pytest.raises(ValidationError, match="测试市甲局"):
        assignments_create(opinion=assignment.opinion, departments=[cast.dept_a], deadline=DEADLINE, user=cast.congress)


def test_reviewers_cannot_assign(cast):
    with pytest.raises(PermissionDenied):
        assignments_create(opinion=OpinionFactory(), departments=[cast.dept_a], deadline=DEADLINE, user=cast.reviewer)


def test_a_department_answers_its_assignment_with_status_and_text(cast):
    assignment = AssignmentFactory(department=cast.dept_a)

    _answer(assignment, cast.staff_a, HandlingStatus.PARTIALLY_RESOLVED)

    assignment.refresh_from_db()
    assert assignment.status == HandlingStatus.PARTIALLY_RESOLVED
    assert assignment.answered_by == cast.staff_a
    assert assignment.answered_at is not None
    assert assignment.version == 1


@pytest.mark.parametrize("role", ["staff_b", "congress", "reviewer", "admin"])
def test_nobody_but_the_assigned_department_may_answer(cast, role):
    assignment = AssignmentFactory(department=cast.dept_a)

    with pytest.raises(PermissionDenied):
        _answer(assignment, getattr(cast, role))


def test_an_answer_needs_a_status_and_a_text(cast):
    assignment = AssignmentFactory(department=cast.dept_a)

    with pytest.raises(ValidationError):
        assignment_answer(assignment=assignment, status="", answer="x", version=0, user=cast.staff_a)
    with pytest.raises(ValidationError):
        assignment_answer(
            assignment=assignment, status=HandlingStatus.RESOLVED, answer=" ", version=0, user=cast.staff_a
        )


def test_a_second_answer_based_on_a_stale_version_is_refused_not_overwritten(cast):
    assignment = AssignmentFactory(department=cast.dept_a)
    stale_copy = Assignment.objects.get(pk=assignment.pk)
    _answer(assignment, cast.staff_a, HandlingStatus.RESOLVED)

    with pytest.raises(StaleAnswerError):
        _answer(stale_copy, cast.staff_a, HandlingStatus.UNRESOLVED)

    assert Assignment.objects.get(pk=assignment.pk).status == HandlingStatus.RESOLVED


def test_an_answered_assignment_cannot_be_withdrawn(cast):
    assignment = AssignmentFactory(department=cast.dept_a)
    _answer(assignment, cast.staff_a)
    assignment.refresh_from_db()

    with pytest.raises(ValidationError):
        assignment_delete(assignment=assignment, user=cast.congress)


def test_an_opinion_with_answers_cannot_be_deleted(cast):
    assignment = AssignmentFactory(department=cast.dept_a)
    _answer(assignment, cast.staff_a)

    with pytest.raises(ValidationError):
        opinion_delete(opinion=assignment.opinion, user=cast.congress)


def test_look_back_is_marked_once_every_department_answered(cast):
    assignment = AssignmentFactory(department=cast.dept_a)
    _answer(assignment, cast.staff_a)

    opinion = opinion_mark_reviewed(opinion=assignment.opinion, note="实地回访，整改到位。", user=cast.congress)

    assert opinion.is_reviewed
    assert (opinion.reviewed_by, opinion.review_note) == (cast.congress, "实地回访，整改到位。")
    assert not opinion_unmark_reviewed(opinion=opinion, user=cast.congress).is_reviewed


def test_look_back_waits_for_unanswered_departments(cast):
    assignment = AssignmentFactory(department=cast.dept_a)

    with pytest.raises(ValidationError, match="全部答复"):
        opinion_mark_reviewed(opinion=assignment.opinion, note="", user=cast.congress)


def test_reviewers_cannot_mark_look_back(cast):
    assignment = AssignmentFactory(department=cast.dept_a)
    _answer(assignment, cast.staff_a)

    with pytest.raises(PermissionDenied):
        opinion_mark_reviewed(opinion=assignment.opinion, note="", user=cast.reviewer)
