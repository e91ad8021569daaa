import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congress.models import GroupTally, Question
from congress.scales import SCALE_PRESETS, OptionSpec
from congress.services.surveys import (
    ResponseInput,
    group_tally_save,
    question_create,
    question_delete,
    question_update,
    respondent_group_create,
    respondent_group_delete,
    response_create,
    response_set_validity,
    survey_create,
)

from .factories import CongressYearFactory, SurveyFactory, respond


def test_a_new_survey_has_the_five_default_respondent_groups(cast):
    survey = survey_create(congress_year=CongressYearFactory(), title="社情民意调查", user=cast.congress)

    assert [g.name for g in survey.groups.all()] == ["人大代表", "普通群众", "企业法人", "法治工作人员", "律师"]


def test_a_year_has_at_most_one_survey(cast):
    survey = SurveyFactory()

    with pytest.raises(ValidationError):
        survey_create(congress_year=survey.congress_year, title="第二个", user=cast.congress)


@pytest.mark.parametrize("role", ["staff_a", "reviewer", "reviewer_scoped"])
def test_only_congress_staff_create_surveys(cast, role):
    with pytest.raises(PermissionDenied):
        survey_create(congress_year=CongressYearFactory(), title="x", user=getattr(cast, role))


def test_respondent_groups_are_configurable(cast, survey):
    respondent_group_create(survey=survey, name="政协委员", user=cast.congress)

    assert survey.groups.last().name == "政协委员"
    with pytest.raises(ValidationError):
        respondent_group_create(survey=survey, name="政协委员", user=cast.congress)


def test_a_group_with_responses_cannot_be_deleted(cast, survey):
    group = survey.groups.first()
    respond(group)

    with pytest.raises(ValidationError, match="不能删除"):
        respondent_group_delete(group=group, user=cast.congress)


def test_a_rating_question_on_a_preset_scale_keeps_its_satisfaction_rule(cast, survey):
    question = question_create(
        survey=survey,
        number=9,
        text="政务公开满意度",
        kind=Question.Kind.SINGLE,
        options=SCALE_PRESETS["satisfied5"][1],
        user=cast.congress,
    )

    options = list(question.options.all())
    assert [o.label for o in options if o.counts_as_satisfied] == ["很满意", "满意", "基本满意"]
    assert [o.label for o in options if o.is_excluded_from_base] == ["说不清"]


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (Question.Kind.SINGLE, [OptionSpec("好", True)], "至少需要两个选项"),
        (Question.Kind.SINGLE, [OptionSpec("好"), OptionSpec("差")], "至少要有一个计入满意"),
        (Question.Kind.SINGLE, [OptionSpec("好", True), OptionSpec("好")], "不能重复"),
        (Question.Kind.SINGLE, [OptionSpec("好", True, True), OptionSpec("差")], "必须计入有效回答"),
        (Question.Kind.OPEN, [OptionSpec("好")], "没有选项"),
    ],
)
def test_question_options_are_checked(cast, survey, kind, options, message):
    with pytest.raises(ValidationError, match=message):
        question_create(survey=survey, number=9, text="x", kind=kind, options=options, user=cast.congress)


def test_the_satisfaction_rule_can_change_after_answers_but_the_options_cannot(cast, survey):
    question = survey.questions.get(number=1)
    respond(survey.groups.first(), question.options.first())
    labels = [o.label for o in question.options.all()]

    question_update(
        question=question,
        text="总体评价（修订）",
        options=[OptionSpec(label, label == "好") for label in labels],
        user=cast.congress,
    )
    assert [o.label for o in question.options.filter(counts_as_satisfied=True)] == ["好"]

    with pytest.raises(ValidationError, match="不能增删或改名"):
        question_update(
            question=question, text="x", options=[OptionSpec("满意", True), OptionSpec("不满意")], user=cast.congress
        )


def test_an_answered_question_cannot_be_deleted(cast, survey):
    question = survey.questions.get(number=1)
    respond(survey.groups.first(), question.options.first())

    with pytest.raises(ValidationError):
        question_delete(question=question, user=cast.congress)


def test_a_response_entered_by_form_stores_its_answers(cast, survey):
    rating, problems, open_question = survey.questions.all()
    data = ResponseInput(
        group=survey.groups.first(),
        reference="F001",
        choices={rating.pk: (rating.options.first(),), problems.pk: tuple(problems.options.all()[:2])},
        texts={open_question.pk: "  建议加强培训  "},
    )

    response = response_create(survey=survey, data=data, user=cast.congress)

    assert response.answers.count() == 4
    assert response.answers.get(question=open_question).text == "建议加强培训"


def test_a_single_choice_question_takes_one_option_only(cast, survey):
    rating = survey.questions.get(number=1)
    data = ResponseInput(group=survey.groups.first(), choices={rating.pk: tuple(rating.options.all()[:2])})

    with pytest.raises(ValidationError, match="只能选一项"):
        response_create(survey=survey, data=data, user=cast.congress)


def test_an_option_of_another_question_is_refused(cast, survey):
    rating, problems, _ = survey.questions.all()
    data = ResponseInput(group=survey.groups.first(), choices={rating.pk: (problems.options.first(),)})

    with pytest.raises(ValidationError):
        response_create(survey=survey, data=data, user=cast.congress)


def test_a_group_of_another_survey_is_refused(cast, survey):
    other_group = SurveyFactory(congress_year=CongressYearFactory(year=2024)).groups.create(name="其他")

    with pytest.raises(ValidationError):
        response_create(survey=survey, data=ResponseInput(group=other_group), user=cast.congress)


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_enter_responses(cast, survey, role):
    with pytest.raises(PermissionDenied):
        response_create(survey=survey, data=ResponseInput(group=survey.groups.first()), user=getattr(cast, role))


def test_a_response_can_be_marked_invalid(cast, survey):
    response = respond(survey.groups.first())

    response_set_validity(response=response, is_valid=False, user=cast.congress)

    response.refresh_from_db()
    assert not response.is_valid


def test_aggregate_counts_are_saved_and_replaced(cast, survey):
    group = survey.groups.first()
    good, fair = survey.questions.get(number=1).options.all()[:2]

    group_tally_save(group=group, returned_count=10, valid_count=8, counts={good.pk: 5}, user=cast.congress)
    group_tally_save(group=group, returned_count=10, valid_count=8, counts={fair.pk: 6}, user=cast.congress)

    tally = GroupTally.objects.get(group=group)
    assert [(c.option_id, c.count) for c in tally.counts.all()] == [(fair.pk, 6)]


@pytest.mark.parametrize(
    ("returned", "valid", "counts", "message"),
    [
        (5, 8, {}, "不能大于回收问卷数"),
        (10, 8, {"好": 9}, "人数不能大于有效问卷数"),
        (10, 8, {"好": 5, "较好": 4}, "各选项人数之和不能大于有效问卷数"),
    ],
)
def test_aggregate_counts_that_cannot_be_true_are_refused(cast, survey, returned, valid, counts, message):
    options = {o.label: o.pk for o in survey.questions.get(number=1).options.all()}

    with pytest.raises(ValidationError, match=message):
        group_tally_save(
            group=survey.groups.first(),
            returned_count=returned,
            valid_count=valid,
            counts={options[label]: n for label, n in counts.items()},
            user=cast.congress,
        )


def test_reviewers_cannot_enter_aggregate_counts(cast, survey):
    with pytest.raises(PermissionDenied):
        group_tally_save(group=survey.groups.first(), returned_count=1, valid_count=1, counts={}, user=cast.reviewer)
