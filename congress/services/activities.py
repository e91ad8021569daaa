"""Writes of the survey activities log (调研活动) and the recommendations (意见建议)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from accounts.models import Department, User
from audit.services import DELETED, audit_record

from ..models import CongressYear, Recommendation, SurveyActivity
from .common import require_manager


@transaction.atomic
def activity_save(
    *,
    congress_year: CongressYear,
    activity: SurveyActivity | None = None,
    kind: str,
    subject: str,
    held_on: date,
    ended_on: date | None = None,
    place: str = "",
    departments: Iterable[Department] = (),
    other_participants: str = "",
    notes: str = "",
    user: User,
) -> SurveyActivity:
    """Creates an activity, or updates the given one."""
    require_manager(user)
    before = _activity_state(activity) if activity is not None else None
    activity = activity or SurveyActivity(congress_year=congress_year)
    activity.kind, activity.subject, activity.held_on, activity.ended_on = kind, subject, held_on, ended_on
    activity.place, activity.other_participants, activity.notes = place, other_participants, notes
    activity.full_clean()
    activity.save()
    activity.departments.set(departments)
    audit_record(action="change", user=user, obj=activity, before=before, after=_activity_state(activity))
    return activity


def _activity_state(activity: SurveyActivity) -> dict:
    fields = ("kind", "subject", "held_on", "ended_on", "place", "other_participants", "notes")
    state = {name: getattr(activity, name) for name in fields}
    state["departments"] = sorted(activity.departments.values_list("pk", flat=True))
    return state


@transaction.atomic
def activity_delete(*, activity: SurveyActivity, user: User) -> None:
    require_manager(user)
    audit_record(action="change", user=user, obj=activity, before=_activity_state(activity), after=DELETED)
    activity.delete()


def _require_open(congress_year: CongressYear) -> None:
    # Lock the row so a recommendation cannot slip in while the report is being finalised.
    locked = CongressYear.objects.select_for_update().get(pk=congress_year.pk)
    if locked.is_finalised:
        raise ValidationError("调研报告已定稿，意见建议不能再修改。")


@transaction.atomic
def recommendation_create(*, congress_year: CongressYear, title: str, content: str, user: User) -> Recommendation:
    require_manager(user)
    _require_open(congress_year)
    last = congress_year.recommendations.order_by("-position").values_list("position", flat=True).first() or 0
    recommendation = Recommendation.objects.create(
        congress_year=congress_year, position=last + 1, title=title, content=content
    )
    audit_record(action="change", user=user, obj=recommendation, after=_recommendation_state(recommendation))
    return recommendation


def _recommendation_state(recommendation: Recommendation) -> dict:
    return {
        "year": recommendation.congress_year_id,
        "position": recommendation.position,
        "title": recommendation.title,
        "content": recommendation.content,
    }


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, title: str, content: str, version: int, user: User
) -> Recommendation:
    require_manager(user)
    _require_open(recommendation.congress_year)
    before = _recommendation_state(recommendation)
    updated = Recommendation.objects.filter(pk=recommendation.pk, version=version).update(
        title=title, content=content, version=F("version") + 1
    )
    if not updated:
        raise ValidationError("该意见建议已被他人修改，请刷新页面查看最新内容后再提交。")
    recommendation.refresh_from_db()
    audit_record(
        action="change", user=user, obj=recommendation, before=before, after=_recommendation_state(recommendation)
    )
    return recommendation


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, up: bool, user: User) -> None:
    """Swaps a recommendation with its neighbour, so the numbering stays 1, 2, 3 … without gaps."""
    require_manager(user)
    _require_open(recommendation.congress_year)
    siblings = list(
        Recommendation.objects.select_for_update()
        .filter(congress_year_id=recommendation.congress_year_id)
        .order_by("position", "id")
    )
    index = next(i for i, item in enumerate(siblings) if item.pk == recommendation.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    before = siblings[index].position
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.position = position
    Recommendation.objects.bulk_update(siblings, ["position"])
    moved = siblings[other]
    audit_record(action="change", user=user, obj=moved, before={"position": before}, after={"position": moved.position})


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user: User) -> None:
    require_manager(user)
    _require_open(recommendation.congress_year)
    year_id = recommendation.congress_year_id
    audit_record(
        action="change", user=user, obj=recommendation, before=_recommendation_state(recommendation), after=DELETED
    )
    recommendation.delete()
    remaining = list(Recommendation.objects.filter(congress_year_id=year_id).order_by("position", "id"))
    for position, item in enumerate(remaining, start=1):
        item.position = position
    Recommendation.objects.bulk_update(remaining, ["position"])
