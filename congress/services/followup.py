"""Writes of the 审议意见 / 代表建议 follow-up: recording, assigning, answering, looking back."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Department, User
from audit.services import DELETED, audit_record

from ..models import Assignment, CongressYear, DeliberationOpinion, HandlingStatus
from ..permissions import can_answer_assignment
from .common import require_manager

OPINION_FIELDS = ("kind", "number", "title", "content", "proposer", "received_on")


@transaction.atomic
def opinion_create(
    *,
    congress_year: CongressYear,
    kind: str,
    number: str,
    title: str,
    content: str,
    proposer: str = "",
    received_on: date | None = None,
    user: User,
) -> DeliberationOpinion:
    require_manager(user)
    opinion = DeliberationOpinion(
        congress_year=congress_year,
        kind=kind,
        number=number,
        title=title,
        content=content,
        proposer=proposer,
        received_on=received_on,
    )
    opinion.full_clean()
    opinion.save()
    audit_record(action="change", user=user, obj=opinion, after=_opinion_state(opinion))
    return opinion


def _opinion_state(opinion: DeliberationOpinion) -> dict:
    return {"year": opinion.congress_year_id, **{name: getattr(opinion, name) for name in OPINION_FIELDS}}


@transaction.atomic
def opinion_update(*, opinion: DeliberationOpinion, user: User, **values) -> DeliberationOpinion:
    require_manager(user)
    unknown = set(values) - set(OPINION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = _opinion_state(opinion)
    for name, value in values.items():
        setattr(opinion, name, value)
    opinion.full_clean()
    opinion.save(update_fields=list(values))
    audit_record(action="change", user=user, obj=opinion, before=before, after=_opinion_state(opinion))
    return opinion


@transaction.atomic
def opinion_delete(*, opinion: DeliberationOpinion, user: User) -> None:
    require_manager(user)
    if opinion.assignments.exclude(status="").exists():
        raise ValidationError("已有单位答复，不能删除。")
    audit_record(action="change", user=user, obj=opinion, before=_opinion_state(opinion), after=DELETED)
    opinion.delete()


@transaction.atomic
def assignments_create(
    *, opinion: DeliberationOpinion, departments: Iterable[Department], deadline: date, user: User
) -> list[Assignment]:
    """Hands an opinion to one or more departments with one deadline."""
    require_manager(user)
    departments = list(departments)
    if not departments:
        raise ValidationError({"departments": "请至少选择一个承办单位。"})
    already = set(opinion.assignments.filter(department__in=departments).values_list("department__name", flat=True))
    if already:
        raise ValidationError({"departments": f"已交办给：{'、'.join(sorted(already))}"})
    assignments = Assignment.objects.bulk_create(
        Assignment(opinion=opinion, department=department, deadline=deadline) for department in departments
    )
    # One event for the one act of assigning, naming every unit it went to.
    audit_record(
        action="change",
        user=user,
        obj=opinion,
        after={"assigned_to": [department.pk for department in departments], "deadline": deadline},
    )
    return assignments


@transaction.atomic
def assignment_update_deadline(*, assignment: Assignment, deadline: date, user: User) -> Assignment:
    require_manager(user)
    before = {"deadline": assignment.deadline}
    assignment.deadline = deadline
    assignment.save(update_fields=["deadline"])
    audit_record(
        action="change",
        user=user,
        obj=assignment,
        department=assignment.department_id,
        before=before,
        after={"deadline": deadline},
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user: User) -> None:
    require_manager(user)
    if assignment.is_answered:
        raise ValidationError("该单位已答复，不能撤销交办。")
    audit_record(
        action="change",
        user=user,
        obj=assignment,
        department=assignment.department_id,
        before={"opinion": assignment.opinion_id, "deadline": assignment.deadline},
        after=DELETED,
    )
    assignment.delete()


class StaleAnswerError(ValidationError):
    pass


@transaction.atomic
def assignment_answer(*, assignment: Assignment, status: str, answer: str, version: int, user: User) -> Assignment:
    """A department records or revises its handling result.

    Two colleagues of the same department may answer at once: the version number makes the second
    save fail with a message instead of silently overwriting the first.
    """
    if not can_answer_assignment(user, assignment):
        raise PermissionDenied("只有承办单位的填报员可以答复。")
    if status not in HandlingStatus.values:
        raise ValidationError({"status": "请选择办理结果。"})
    if not answer.strip():
        raise ValidationError({"answer": "请填写办理情况。"})
    updated = Assignment.objects.filter(pk=assignment.pk, version=version).update(
        status=status,
        answer=answer.strip(),
        answered_at=timezone.now(),
        answered_by=user,
        version=F("version") + 1,
    )
    if not updated:
        raise StaleAnswerError("办理情况已被他人修改，请刷新页面查看最新内容后再提交。")
    audit_record(
        action="change",
        user=user,
        obj=assignment,
        department=assignment.department_id,
        before={"status": assignment.status},
        after={"status": status},
    )
    assignment.refresh_from_db()
    return assignment


@transaction.atomic
def opinion_mark_reviewed(*, opinion: DeliberationOpinion, note: str, user: User) -> DeliberationOpinion:
    """Records the congress's "回头看": staff checked that the answered handling actually holds."""
    require_manager(user)
    if not opinion.assignments.exists() or opinion.assignments.filter(status="").exists():
        raise ValidationError("承办单位全部答复后才能进行回头看。")
    before = {"reviewed": opinion.reviewed_at is not None, "note": opinion.review_note}
    opinion.reviewed_at = timezone.now()
    opinion.reviewed_by = user
    opinion.review_note = note.strip()
    opinion.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        action="change", user=user, obj=opinion, before=before, after={"reviewed": True, "note": opinion.review_note}
    )
    return opinion


@transaction.atomic
def opinion_unmark_reviewed(*, opinion: DeliberationOpinion, user: User) -> DeliberationOpinion:
    require_manager(user)
    if opinion.reviewed_at is None:  # not marked: nothing changes, nothing is recorded
        return opinion
    opinion.reviewed_at = None
    opinion.reviewed_by = None
    opinion.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(action="change", user=user, obj=opinion, before={"reviewed": True}, after={"reviewed": False})
    return opinion
