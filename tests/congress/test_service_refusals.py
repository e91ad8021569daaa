"""Every write of the congress module refuses department staff and reviewers, and changes nothing."""

import datetime
import inspect

import pytest
from django.core.exceptions import PermissionDenied

from congress.models import Assignment, DeliberationOpinion, Recommendation, Survey, SurveyActivity
from congress.scales import SCALE_PRESETS
from congress.services import activities, followup, surveys, years

from .factories import (
    ActivityFactory,
    AssignmentFactory,
    CongressYearFactory,
    OpinionFactory,
    RecommendationFactory,
    respond,
)

DAY = datetime.date(2025, 6, 30)


def _calls(survey, cast):
    year = survey.congress_year
    group = survey.groups.first()
    question = survey.questions.first()
    opinion = OpinionFactory(congress_year=year)
    assignment = AssignmentFactory(opinion=opinion, department=cast.dept_a)
    recommendation = RecommendationFactory(congress_year=year)
    activity = ActivityFactory(congress_year=year)
    response = respond(group)
    return {
        "congress_year_create": lambda u: years.congress_year_create(year=2030, user=u),
        "congress_year_update": lambda u: years.congress_year_update(congress_year=year, title="x", user=u),
        "congress_year_finalise": lambda u: years.congress_year_finalise(congress_year=year, user=u),
        "congress_year_reopen": lambda u: years.congress_year_reopen(congress_year=year, user=u),
        "survey_create": lambda u: surveys.survey_create(
            congress_year=CongressYearFactory(year=2031), title="x", user=u
        ),
        "survey_update": lambda u: surveys.survey_update(
            survey=survey, title="x", method="", started_on=None, ended_on=None, user=u
        ),
        "respondent_group_create": lambda u: surveys.respondent_group_create(survey=survey, name="新类别", user=u),
        "respondent_group_delete": lambda u: surveys.respondent_group_delete(group=group, user=u),
        "question_create": lambda u: surveys.question_create(
            survey=survey, number=9, text="x", kind="single", options=SCALE_PRESETS["good4"][1], user=u
        ),
        "question_update": lambda u: surveys.question_update(question=question, text="x", options=[], user=u),
        "question_delete": lambda u: surveys.question_delete(question=question, user=u),
        "responses_create": lambda u: surveys.responses_create(
            survey=survey, inputs=[surveys.ResponseInput(group=group)], user=u
        ),
        "response_set_validity": lambda u: surveys.response_set_validity(response=response, is_valid=False, user=u),
        "response_delete": lambda u: surveys.response_delete(response=response, user=u),
        "group_tally_save": lambda u: surveys.group_tally_save(
            group=group, returned_count=1, valid_count=1, counts={}, user=u
        ),
        "group_tally_delete": lambda u: surveys.group_tally_delete(group=group, user=u),
        "opinion_create": lambda u: followup.opinion_create(
            congress_year=year, kind="opinion", number="x", title="x", content="x", user=u
        ),
        "opinion_update": lambda u: followup.opinion_update(opinion=opinion, title="改", user=u),
        "opinion_delete": lambda u: followup.opinion_delete(opinion=opinion, user=u),
        "assignments_create": lambda u: followup.assignments_create(
            opinion=opinion, departments=[cast.dept_b], deadline=DAY, user=u
        ),
        "assignment_update_deadline": lambda u: followup.assignment_update_deadline(
            assignment=assignment, deadline=DAY, user=u
        ),
        "assignment_delete": lambda u: followup.assignment_delete(assignment=assignment, user=u),
        "opinion_mark_reviewed": lambda u: followup.opinion_mark_reviewed(opinion=opinion, note="", user=u),
        "opinion_unmark_reviewed": lambda u: followup.opinion_unmark_reviewed(opinion=opinion, user=u),
        "activity_save": lambda u: activities.activity_save(
            congress_year=year, kind="forum", subject="x", held_on=DAY, user=u
        ),
        "activity_delete": lambda u: activities.activity_delete(activity=activity, user=u),
        "recommendation_create": lambda u: activities.recommendation_create(
            congress_year=year, title="x", content="x", user=u
        ),
        "recommendation_update": lambda u: activities.recommendation_update(
            recommendation=recommendation, title="x", content="x", version=0, user=u
        ),
        "recommendation_move": lambda u: activities.recommendation_move(recommendation=recommendation, up=True, user=u),
        "recommendation_delete": lambda u: activities.recommendation_delete(recommendation=recommendation, user=u),
    }


SERVICES = [
    *(f"congress_year_{v}" for v in ("create", "update", "finalise", "reopen")),
    "survey_create",
    "survey_update",
    "respondent_group_create",
    "respondent_group_delete",
    "question_create",
    "question_update",
    "question_delete",
    "responses_create",
    "response_set_validity",
    "response_delete",
    "group_tally_save",
    "group_tally_delete",
    "opinion_create",
    "opinion_update",
    "opinion_delete",
    "assignments_create",
    "assignment_update_deadline",
    "assignment_delete",
    "opinion_mark_reviewed",
    "opinion_unmark_reviewed",
    "activity_save",
    "activity_delete",
    "recommendation_create",
    "recommendation_update",
    "recommendation_move",
    "recommendation_delete",
]


def _snapshot():
    return (
        Survey.objects.count(),
        DeliberationOpinion.objects.count(),
        Assignment.objects.count(),
        SurveyActivity.objects.count(),
        list(Recommendation.objects.values_list("title", "position")),
    )


@pytest.mark.parametrize("role", ["staff_a", "staff_b", "reviewer", "reviewer_scoped"])
@pytest.mark.parametrize("name", SERVICES)
def test_people_outside_the_congress_office_may_not_write(survey, cast, role, name):
    call = _calls(survey, cast)[name]
    before = _snapshot()

    with pytest.raises(PermissionDenied):
        call(getattr(cast, role))

    assert _snapshot() == before


def _service_functions() -> set[str]:
    names = set()
    for module in (years, surveys, followup, activities):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and "user" in inspect.signature(function).parameters:
                names.add(name)
    return names


# Refused elsewhere: a department's answer (test_followup_services), the import (test_survey_import);
# response_create only wraps responses_create.
TESTED_ELSEWHERE = {"assignment_answer", "response_create"}


def test_the_refusal_table_covers_every_service_that_takes_a_user(survey, cast):
    assert _service_functions() - TESTED_ELSEWHERE == set(SERVICES) == set(_calls(survey, cast))
