"""Permission rows of the congress module.

Congress staff and administrators manage; reviewers read; department staff only see and answer
their own department's assignments (others answer 404). Objects are made by the `kwargs`
callables, once per row, before the roles are walked in the order of ROLES.
"""

from django.utils import timezone

from congress.models import HandlingStatus
from tests.permission_matrix import Row, everyone

from .factories import (
    ActivityFactory,
    AssignmentFactory,
    CongressYearFactory,
    OpinionFactory,
    RecommendationFactory,
    RespondentGroupFactory,
    SurveyFactory,
    rating_question,
    respond,
)

READ = everyone(200, staff_a=403, staff_b=403)
MANAGE = everyone(403, congress=200, admin=200)
MANAGE_POST = everyone(403, congress=302, admin=302)
# POST-only views: a GET is refused before anything else is looked at.
POST_ONLY = everyone(405)
# The congress user deletes the object, so the admin who comes next finds nothing.
DELETE_POST = everyone(403, congress=302, admin=404)


def _year(cast):
    return {"year": CongressYearFactory().year}


def _year_without_survey(cast):
    return {"year": CongressYearFactory(year=2031).year}


def _survey(cast):
    return {"pk": SurveyFactory().pk}


def _group(cast):
    return {"pk": RespondentGroupFactory().pk}


def _answered_group(cast):
    """A group with a response, so deleting it is refused for everyone who may try."""
    survey = SurveyFactory()
    group = RespondentGroupFactory(survey=survey)
    question = rating_question(survey)
    respond(group, question.options.first())
    return {"pk": group.pk}


def _question(cast):
    return {"pk": rating_question(SurveyFactory()).pk}


def _answered_question(cast):
    survey = SurveyFactory()
    question = rating_question(survey)
    respond(RespondentGroupFactory(survey=survey), question.options.first())
    return {"pk": question.pk}


def _response(cast):
    survey = SurveyFactory()
    return {"pk": respond(RespondentGroupFactory(survey=survey)).pk}


def _opinion(cast):
    return {"pk": OpinionFactory().pk}


def _answered_assignment(cast):
    return AssignmentFactory(
        department=cast.dept_a, status=HandlingStatus.RESOLVED, answer="已办结", answered_at=timezone.now()
    )


def _answered_opinion(cast):
    return {"pk": _answered_assignment(cast).opinion_id}


def _assignment_of(attribute):
    return lambda cast: {"pk": AssignmentFactory(department=getattr(cast, attribute)).pk}


def _activity(cast):
    return {"pk": ActivityFactory().pk}


def _recommendation(cast):
    return {"pk": RecommendationFactory().pk}


ANSWER = {"status": HandlingStatus.RESOLVED, "answer": "已完成整改。", "version": 0}

ROWS = [
    # --- years
    Row("congress:index", READ),
    Row("congress:year_create", MANAGE),
    Row("congress:year_detail", READ, kwargs=_year),
    Row("congress:year_update", MANAGE, kwargs=_year),
    Row("congress:year_finalise", POST_ONLY, kwargs=_year),
    Row("congress:year_finalise", MANAGE_POST, method="POST", kwargs=_year),
    Row("congress:year_reopen", POST_ONLY, kwargs=_year),
    Row("congress:year_reopen", MANAGE_POST, method="POST", kwargs=_year),
    # --- survey and questionnaire
    Row("congress:survey_create", MANAGE, kwargs=_year_without_survey),
    Row("congress:survey_detail", READ, kwargs=_survey),
    Row("congress:survey_update", MANAGE, kwargs=_survey),
    Row("congress:group_create", MANAGE, kwargs=_survey),
    Row("congress:group_delete", POST_ONLY, kwargs=_group),
    Row("congress:group_delete", MANAGE_POST, method="POST", kwargs=_answered_group),
    Row("congress:question_create", MANAGE, kwargs=_survey),
    Row("congress:question_update", MANAGE, kwargs=_question),
    Row("congress:question_delete", POST_ONLY, kwargs=_question),
    Row("congress:question_delete", MANAGE_POST, method="POST", kwargs=_answered_question),
    Row("congress:survey_results", READ, kwargs=_survey),
    Row("congress:survey_results_export", READ, kwargs=_survey),
    # --- responses
    Row("congress:response_list", READ, kwargs=_survey),
    Row("congress:response_create", MANAGE, kwargs=_survey),
    Row("congress:response_import", MANAGE, kwargs=_survey),
    Row("congress:response_template", MANAGE, kwargs=_survey),
    Row("congress:response_validity", POST_ONLY, kwargs=_response),
    Row("congress:response_validity", MANAGE_POST, method="POST", kwargs=_response),
    Row("congress:response_delete", POST_ONLY, kwargs=_response),
    Row("congress:response_delete", DELETE_POST, method="POST", kwargs=_response),
    Row("congress:tally_edit", MANAGE, kwargs=_group),
    Row("congress:tally_delete", POST_ONLY, kwargs=_group),
    Row("congress:tally_delete", MANAGE_POST, method="POST", kwargs=_group),
    # --- 审议意见 / 代表建议
    Row("congress:opinion_list", READ, kwargs=_year),
    Row("congress:opinion_create", MANAGE, kwargs=_year),
    Row("congress:opinion_detail", READ, kwargs=_opinion),
    Row("congress:opinion_update", MANAGE, kwargs=_opinion),
    Row("congress:opinion_delete", POST_ONLY, kwargs=_opinion),
    Row("congress:opinion_delete", MANAGE_POST, method="POST", kwargs=_answered_opinion),
    Row("congress:assignment_create", MANAGE, kwargs=_opinion),
    Row("congress:opinion_review", POST_ONLY, kwargs=_opinion),
    Row("congress:opinion_review", MANAGE_POST, method="POST", kwargs=_answered_opinion),
    Row("congress:assignment_delete", POST_ONLY, kwargs=_assignment_of("dept_a")),
    Row(
        "congress:assignment_delete",
        MANAGE_POST,
        method="POST",
        kwargs=lambda cast: {"pk": _answered_assignment(cast).pk},
    ),
    Row("congress:overdue_list", READ),
    Row("congress:my_assignments", everyone(403, staff_a=200, staff_b=200)),
    Row(
        "congress:assignment_detail",
        everyone(200, staff_b=404, reviewer_scoped=404),
        kwargs=_assignment_of("dept_a"),
    ),
    Row(
        "congress:assignment_detail",
        everyone(200, staff_a=404),
        kwargs=_assignment_of("dept_b"),
    ),
    Row(
        "congress:assignment_detail",
        everyone(403, staff_a=302, staff_b=404, reviewer_scoped=404),
        method="POST",
        kwargs=_assignment_of("dept_a"),
        data=ANSWER,
    ),
    # --- activities and recommendations
    Row("congress:activity_create", MANAGE, kwargs=_year),
    Row("congress:activity_update", MANAGE, kwargs=_activity),
    Row("congress:activity_delete", POST_ONLY, kwargs=_activity),
    Row("congress:activity_delete", DELETE_POST, method="POST", kwargs=_activity),
    Row("congress:recommendation_create", MANAGE, kwargs=_year),
    Row("congress:recommendation_update", MANAGE, kwargs=_recommendation),
    Row("congress:recommendation_move", POST_ONLY, kwargs=_recommendation),
    Row("congress:recommendation_move", MANAGE_POST, method="POST", kwargs=_recommendation),
    Row("congress:recommendation_delete", POST_ONLY, kwargs=_recommendation),
    Row("congress:recommendation_delete", DELETE_POST, method="POST", kwargs=_recommendation),
]
