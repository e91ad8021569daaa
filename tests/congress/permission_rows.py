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


# --- The form views' POSTs, with valid data, so the change really happens (the audit and CSRF
# sweeps are generated from these rows). Congress staff go first and make the change; where it
# cannot be made twice (a year, a survey, a number already taken) the administrator after them
# gets the form back with the error (200).
MADE_ONCE = everyone(403, congress=302, admin=200)


def _import_survey(cast):
    """A survey with one group and one rating question, for a one-row import."""
    from congress.models import RespondentGroup

    survey = SurveyFactory()
    RespondentGroup.objects.create(survey=survey, name="人大代表", sort_order=1)
    rating_question(survey, number=1)
    return {"pk": survey.pk}


def _import_file(cast, kwargs):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    for row in (("问卷编号", "调查对象类别", "是否有效", "1. 总体评价"), ("R001", "人大代表", "是", "好")):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"file": SimpleUploadedFile("responses.xlsx", buffer.getvalue())}


def _question_data(cast, kwargs):
    from congress.forms import QuestionForm
    from congress.models import Question

    initial = QuestionForm.initial_for(Question.objects.get(pk=kwargs["pk"]))
    return {**initial, "text": "您对本地法治政府建设的总体评价"}


def _response_data(cast, kwargs):
    from congress.models import RespondentGroup

    return {"group": RespondentGroup.objects.filter(survey_id=kwargs["pk"]).values_list("pk", flat=True).first()}


def _tally_data(cast, kwargs):
    from congress.models import Option, RespondentGroup

    survey_id = RespondentGroup.objects.get(pk=kwargs["pk"]).survey_id
    counts = {f"o{pk}": 2 for pk in Option.objects.filter(question__survey_id=survey_id).values_list("pk", flat=True)}
    return {"returned_count": 12, "valid_count": 10, "note": "第三方调查机构汇总表", **counts}


def _group_with_question(cast):
    group = RespondentGroupFactory()
    rating_question(group.survey)
    return {"pk": group.pk}


def _survey_with_question(cast):
    group = RespondentGroupFactory()
    rating_question(group.survey)
    return {"pk": group.survey_id}


def _opinion_data(cast, kwargs):
    from congress.models import DeliberationOpinion

    opinion = DeliberationOpinion.objects.get(pk=kwargs["pk"])
    title = "关于规范行政执法的审议意见"
    return {"kind": opinion.kind, "number": opinion.number, "title": title, "content": "请研究。"}


OPINION = {"kind": "opinion", "number": "第9号", "title": "关于加强行政复议工作的审议意见", "content": "请办理。"}
ACTIVITY = {"kind": "forum", "subject": "法治政府建设座谈会", "held_on": "2025-10-21", "place": "市人大常委会机关"}
RECOMMENDATION = {"title": "进一步规范行政执法", "content": "建议全面推行执法公示制度。", "version": 0}

ROWS += [
    Row("congress:year_create", MADE_ONCE, method="POST", data={"year": 2040, "title": "法治政府建设"}),
    Row("congress:year_update", MANAGE_POST, method="POST", kwargs=_year, data={"title": "依法行政专题调研"}),
    Row(
        "congress:survey_create", MADE_ONCE, method="POST", kwargs=_year_without_survey, data={"title": "社情民意调查"}
    ),
    Row("congress:survey_update", MANAGE_POST, method="POST", kwargs=_survey, data={"title": "年度社情民意调查"}),
    Row("congress:group_create", MADE_ONCE, method="POST", kwargs=_survey, data={"name": "社区工作者"}),
    Row(
        "congress:question_create",
        MADE_ONCE,
        method="POST",
        kwargs=_survey,
        data={"number": 7, "text": "执法人员是否文明执法", "kind": "single", "preset": "good4"},
    ),
    Row("congress:question_update", MANAGE_POST, method="POST", kwargs=_question, data=_question_data),
    Row("congress:response_create", MANAGE_POST, method="POST", kwargs=_survey_with_question, data=_response_data),
    # The second import of the same file (the administrator's, after congress staff's) repeats its
    # 问卷编号: the page lists the row errors and answers 400, storing nothing.
    Row(
        "congress:response_import",
        {**MADE_ONCE, "admin": 400},
        method="POST",
        kwargs=_import_survey,
        data=_import_file,
    ),
    Row("congress:tally_edit", MANAGE_POST, method="POST", kwargs=_group_with_question, data=_tally_data),
    Row("congress:opinion_create", MADE_ONCE, method="POST", kwargs=_year, data=OPINION),
    Row("congress:opinion_update", MANAGE_POST, method="POST", kwargs=_opinion, data=_opinion_data),
    Row(
        "congress:assignment_create",
        MADE_ONCE,
        method="POST",
        kwargs=_opinion,
        data=lambda cast, kwargs: {"departments": [cast.dept_a.pk], "deadline": "2026-06-30"},
    ),
    Row("congress:activity_create", MANAGE_POST, method="POST", kwargs=_year, data=ACTIVITY),
    Row("congress:activity_update", MANAGE_POST, method="POST", kwargs=_activity, data=ACTIVITY),
    Row("congress:recommendation_create", MANAGE_POST, method="POST", kwargs=_year, data=RECOMMENDATION),
    # The version moved when congress staff saved, so the administrator's stale form is refused.
    Row("congress:recommendation_update", MADE_ONCE, method="POST", kwargs=_recommendation, data=RECOMMENDATION),
]


# --- The report's editable sections (调研报告正文) are edited on its 报告稿 page (reports:draft_section_*);
# these old addresses only lead there, for those who manage the congress module.
FOLLOWS = everyone(403, congress=302, admin=302)
FOLLOWS_POST = everyone(403, congress=307, admin=307)


def _report_text(cast):
    return {"year": CongressYearFactory().year, "section": "problems"}


ROWS += [
    Row("congress:report_text_edit", FOLLOWS, kwargs=_report_text),
    Row("congress:report_text_edit", FOLLOWS_POST, method="POST", kwargs=_report_text, data={"text": "改。"}),
    Row("congress:report_text_reset", POST_ONLY, kwargs=_report_text),
    Row("congress:report_text_reset", FOLLOWS_POST, method="POST", kwargs=_report_text, data={"version": 0}),
]
