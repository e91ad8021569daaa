import datetime

import factory

from congress.models import (
    Answer,
    Assignment,
    CongressYear,
    DeliberationOpinion,
    Option,
    Question,
    Recommendation,
    RespondentGroup,
    Response,
    Survey,
    SurveyActivity,
)
from tests.factories import DepartmentFactory, UserFactory


class CongressYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CongressYear
        django_get_or_create = ("year",)

    year = 2025
    title = "法治政府建设情况调研"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    congress_year = factory.SubFactory(CongressYearFactory)
    title = factory.LazyAttribute(lambda o: f"{o.congress_year.year}年度社情民意调查")


class RespondentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RespondentGroup

    survey = factory.SubFactory(SurveyFactory)
    name = factory.Sequence(lambda n: f"类别{n}")
    sort_order = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"问题{n}")
    kind = Question.Kind.SINGLE


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"选项{n}")
    sort_order = factory.Sequence(lambda n: n)


def rating_question(survey, *, number=1, text="总体评价", labels=("好", "较好", "一般", "差", "说不清")) -> Question:
    """A rating question on 好/较好/一般/差/说不清: 好 and 较好 count as satisfied, 说不清 is not a valid answer."""
    question = QuestionFactory(survey=survey, number=number, text=text, kind=Question.Kind.SINGLE)
    for order, label in enumerate(labels):
        OptionFactory(
            question=question,
            label=label,
            sort_order=order,
            counts_as_satisfied=label in ("好", "较好"),
            is_excluded_from_base=label == "说不清",
        )
    return question


def problem_question(survey, *, number=2, labels=("多头多重执法", "执法“一刀切”", "效率不高")) -> Question:
    question = QuestionFactory(survey=survey, number=number, text="突出问题（可多选）", kind=Question.Kind.MULTIPLE)
    for order, label in enumerate(labels):
        OptionFactory(question=question, label=label, sort_order=order)
    return question


def open_question(survey, *, number=3) -> Question:
    return QuestionFactory(survey=survey, number=number, text="意见和建议", kind=Question.Kind.OPEN)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    survey = factory.SubFactory(SurveyFactory)
    group = factory.LazyAttribute(lambda o: RespondentGroupFactory(survey=o.survey))
    created_by = factory.SubFactory(UserFactory)


def respond(group, *options, text_answers=None, is_valid=True, user=None, reference="") -> Response:
    """A response choosing the given options (and open texts {question: text})."""
    extra = {"created_by": user} if user else {}
    response = ResponseFactory(survey=group.survey, group=group, is_valid=is_valid, reference=reference, **extra)
    for option in options:
        Answer.objects.create(response=response, question=option.question, option=option)
    for question, text in (text_answers or {}).items():
        Answer.objects.create(response=response, question=question, text=text)
    return response


class OpinionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliberationOpinion

    congress_year = factory.SubFactory(CongressYearFactory)
    kind = DeliberationOpinion.Kind.SUGGESTION
    number = factory.Sequence(lambda n: f"第{n + 1}号")
    title = factory.Sequence(lambda n: f"关于改进执法工作的建议{n}")
    content = "请研究办理。"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    opinion = factory.SubFactory(OpinionFactory)
    department = factory.SubFactory(DepartmentFactory)
    deadline = datetime.date(2025, 6, 30)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyActivity

    congress_year = factory.SubFactory(CongressYearFactory)
    kind = SurveyActivity.Kind.FORUM
    subject = factory.Sequence(lambda n: f"调研座谈会{n}")
    held_on = datetime.date(2025, 10, 21)
    place = "市人大常委会机关"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    congress_year = factory.SubFactory(CongressYearFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"意见建议{n}")
    content = "具体内容。"
