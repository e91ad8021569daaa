import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import Recommendation, SurveyActivity
from congress.services.activities import (
    activity_delete,
    activity_save,
    recommendation_create,
    recommendation_delete,
    recommendation_move,
    recommendation_update,
)
from congress.services.years import congress_year_finalise, congress_year_reopen

from .factories import ActivityFactory, CongressYearFactory, RecommendationFactory


def test_an_activity_records_date_place_and_participating_units(cast):
    activity = activity_save(
        congress_year=CongressYearFactory(),
        kind=SurveyActivity.Kind.FORUM,
        subject="片区调研座谈会",
        held_on=datetime.date(2025, 10, 21),
        place="县人大常委会",
        departments=[cast.dept_a, cast.county],
        other_participants="立法咨询专家",
        user=cast.congress,
    )

    assert sorted(d.code for d in activity.departments.all()) == ["C002", "C100"]


def test_an_activity_cannot_end_before_it_starts(cast):
    with pytest.raises(ValidationError):
        activity_save(
            congress_year=CongressYearFactory(),
            kind=SurveyActivity.Kind.SITE_VISIT,
            subject="走访",
            held_on=datetime.date(2025, 10, 21),
            ended_on=datetime.date(2025, 10, 20),
            user=cast.congress,
        )


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_log_or_delete_activities(cast, role):
    with pytest.raises(PermissionDenied):
        activity_save(
            congress_year=CongressYearFactory(),
            kind=SurveyActivity.Kind.LETTER,
            subject="去函",
            held_on=datetime.date(2025, 11, 1),
            user=getattr(cast, role),
        )
    with pytest.raises(PermissionDenied):
        activity_delete(activity=ActivityFactory(), user=getattr(cast, role))


def test_recommendations_are_numbered_in_the_order_they_are_added(cast):
    year = CongressYearFactory()
    for title in ("第一条", "第二条"):
        recommendation_create(congress_year=year, title=title, content="内容", user=cast.congress)

    assert list(year.recommendations.values_list("position", "title")) == [(1, "第一条"), (2, "第二条")]


def test_moving_a_recommendation_up_swaps_it_with_the_one_above(cast):
    year = CongressYearFactory()
    first, second, third = (RecommendationFactory(congress_year=year, position=i) for i in (1, 2, 3))

    recommendation_move(recommendation=third, up=True, user=cast.congress)

    assert list(year.recommendations.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        third.pk,
        second.pk,
    ]


def test_moving_the_first_recommendation_up_changes_nothing(cast):
    year = CongressYearFactory()
    first = RecommendationFactory(congress_year=year, position=1)
    RecommendationFactory(congress_year=year, position=2)

    recommendation_move(recommendation=first, up=True, user=cast.congress)

    assert Recommendation.objects.get(pk=first.pk).position == 1


def test_deleting_a_recommendation_closes_the_gap_in_the_numbering(cast):
    year = CongressYearFactory()
    items = [RecommendationFactory(congress_year=year, position=i) for i in (1, 2, 3)]

    recommendation_delete(recommendation=items[0], user=cast.congress)

    assert list(year.recommendations.values_list("position", flat=True)) == [1, 2]


def test_an_edit_based_on_a_stale_version_is_refused(cast):
    recommendation = RecommendationFactory()
    recommendation_update(
        recommendation=recommendation, title="新标题", content="新内容", version=0, user=cast.congress
    )

    with pytest.raises(ValidationError, match="已被他人修改"):
        recommendation_update(recommendation=recommendation, title="旧", content="旧", version=0, user=cast.congress)
    assert Recommendation.objects.get(pk=recommendation.pk).title == "新标题"


def test_recommendations_are_frozen_once_the_report_is_finalised(cast):
    recommendation = RecommendationFactory()
    year = recommendation.congress_year
    congress_year_finalise(congress_year=year, user=cast.congress)

    with pytest.raises(ValidationError, match="已定稿"):
        recommendation_update(recommendation=recommendation, title="x", content="x", version=0, user=cast.congress)
    with pytest.raises(ValidationError, match="已定稿"):
        recommendation_create(congress_year=year, title="x", content="x", user=cast.congress)
    with pytest.raises(ValidationError, match="已定稿"):
        recommendation_move(recommendation=recommendation, up=False, user=cast.congress)
    with pytest.raises(ValidationError, match="已定稿"):
        recommendation_delete(recommendation=recommendation, user=cast.congress)


def test_reopening_a_finalised_year_lets_recommendations_change_again(cast):
    recommendation = RecommendationFactory()
    congress_year_finalise(congress_year=recommendation.congress_year, user=cast.congress)
    congress_year_reopen(congress_year=recommendation.congress_year, user=cast.congress)

    recommendation_update(recommendation=recommendation, title="改", content="改", version=0, user=cast.congress)

    assert Recommendation.objects.get(pk=recommendation.pk).title == "改"


def test_finalising_records_who_and_when_and_cannot_happen_twice(cast):
    year = CongressYearFactory()

    congress_year_finalise(congress_year=year, user=cast.congress)

    assert year.is_finalised
    assert year.report_finalised_by == cast.congress
    with pytest.raises(ValidationError, match="已经定稿"):
        congress_year_finalise(congress_year=year, user=cast.admin)


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_finalise_or_write_recommendations(cast, role):
    year = CongressYearFactory()
    with pytest.raises(PermissionDenied):
        congress_year_finalise(congress_year=year, user=getattr(cast, role))
    with pytest.raises(PermissionDenied):
        recommendation_create(congress_year=year, title="x", content="x", user=getattr(cast, role))
