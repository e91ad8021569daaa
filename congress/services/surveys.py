"""Writes of the survey: questionnaire, respondent groups, responses and aggregate tallies."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.services import DELETED, audit_record

from ..models import (
    DEFAULT_RESPONDENT_GROUPS,
    Answer,
    CongressYear,
    GroupTally,
    Option,
    OptionTally,
    Question,
    RespondentGroup,
    Response,
    Survey,
)
from ..scales import OptionSpec
from .common import require_manager


@transaction.atomic
def survey_create(
    *,
    congress_year: CongressYear,
    title: str,
    method: str = "",
    started_on: date | None = None,
    ended_on: date | None = None,
    user: User,
) -> Survey:
    """Creates the year's survey with the default respondent groups, which staff may then change."""
    require_manager(user)
    if Survey.objects.filter(congress_year=congress_year).exists():
        raise ValidationError(f"{congress_year.year}年度已有问卷调查。")
    survey = Survey(congress_year=congress_year, title=title, method=method, started_on=started_on, ended_on=ended_on)
    survey.full_clean()
    survey.save()
    RespondentGroup.objects.bulk_create(
        RespondentGroup(survey=survey, name=name, sort_order=order)
        for order, name in enumerate(DEFAULT_RESPONDENT_GROUPS, start=1)
    )
    audit_record(action="change", user=user, obj=survey, after={"title": title, "year": congress_year.year})
    return survey


@transaction.atomic
def survey_update(
    *, survey: Survey, title: str, method: str, started_on: date | None, ended_on: date | None, user: User
) -> Survey:
    require_manager(user)
    fields = ("title", "method", "started_on", "ended_on")
    before = {name: getattr(survey, name) for name in fields}
    survey.title, survey.method, survey.started_on, survey.ended_on = title, method, started_on, ended_on
    survey.full_clean()
    survey.save(update_fields=list(fields))
    after = {name: getattr(survey, name) for name in fields}
    audit_record(action="change", user=user, obj=survey, before=before, after=after)
    return survey


@transaction.atomic
def respondent_group_create(*, survey: Survey, name: str, user: User) -> RespondentGroup:
    require_manager(user)
    if survey.groups.filter(name=name).exists():
        raise ValidationError({"name": f"调查对象类别“{name}”已存在。"})
    last = survey.groups.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0
    group = RespondentGroup.objects.create(survey=survey, name=name, sort_order=last + 1)
    audit_record(action="change", user=user, obj=group, after={"survey": survey.pk, "name": name})
    return group


@transaction.atomic
def respondent_group_delete(*, group: RespondentGroup, user: User) -> None:
    require_manager(user)
    if group.responses.exists() or GroupTally.objects.filter(group=group).exists():
        raise ValidationError(f"调查对象类别“{group.name}”已有答卷或汇总数据，不能删除。")
    audit_record(
        action="change", user=user, obj=group, before={"survey": group.survey_id, "name": group.name}, after=DELETED
    )
    group.delete()


def _check_options(kind: str, options: Sequence[OptionSpec]) -> None:
    if kind == Question.Kind.OPEN:
        if options:
            raise ValidationError({"options": "开放式问题没有选项。"})
        return
    labels = [option.label for option in options]
    if len(labels) < 2:
        raise ValidationError({"options": "选择题至少需要两个选项。"})
    if len(set(labels)) != len(labels):
        raise ValidationError({"options": "选项不能重复。"})
    if any(option.counts_as_satisfied and option.is_excluded_from_base for option in options):
        raise ValidationError({"options": "计入满意的选项必须计入有效回答。"})
    if kind == Question.Kind.SINGLE and not any(option.counts_as_satisfied for option in options):
        raise ValidationError({"options": "评价量表至少要有一个计入满意的选项。"})


@transaction.atomic
def question_create(
    *, survey: Survey, number: int, text: str, kind: str, options: Sequence[OptionSpec], user: User
) -> Question:
    require_manager(user)
    if survey.questions.filter(number=number).exists():
        raise ValidationError({"number": f"第{number}题已存在。"})
    _check_options(kind, options)
    question = Question.objects.create(survey=survey, number=number, text=text, kind=kind)
    _options_create(question, options)
    audit_record(action="change", user=user, obj=question, after=_question_state(question))
    return question


def _options_create(question: Question, options: Sequence[OptionSpec]) -> None:
    Option.objects.bulk_create(
        Option(
            question=question,
            label=spec.label,
            sort_order=order,
            counts_as_satisfied=spec.counts_as_satisfied,
            is_excluded_from_base=spec.is_excluded_from_base,
        )
        for order, spec in enumerate(options, start=1)
    )


def _question_state(question: Question) -> dict:
    return {
        "survey": question.survey_id,
        "number": question.number,
        "text": question.text,
        "options": [
            [option.label, option.counts_as_satisfied, option.is_excluded_from_base]
            for option in question.options.order_by("sort_order")
        ],
    }


@transaction.atomic
def question_update(*, question: Question, text: str, options: Sequence[OptionSpec], user: User) -> Question:
    """Changes the wording and the satisfaction rule; once answered, the option list itself stays."""
    require_manager(user)
    _check_options(question.kind, options)
    before = _question_state(question)
    question.text = text
    question.save(update_fields=["text"])
    existing = list(question.options.all())
    if [o.label for o in existing] == [s.label for s in options]:
        for option, spec in zip(existing, options, strict=True):
            option.counts_as_satisfied = spec.counts_as_satisfied
            option.is_excluded_from_base = spec.is_excluded_from_base
        Option.objects.bulk_update(existing, ["counts_as_satisfied", "is_excluded_from_base"])
    else:
        if question.answers.exists() or OptionTally.objects.filter(option__question=question).exists():
            raise ValidationError({"options": "该题已有回答，选项不能增删或改名，只能调整计入满意和有效回答的设置。"})
        question.options.all().delete()
        _options_create(question, options)
    audit_record(action="change", user=user, obj=question, before=before, after=_question_state(question))
    return question


@transaction.atomic
def question_delete(*, question: Question, user: User) -> None:
    require_manager(user)
    if question.answers.exists() or OptionTally.objects.filter(option__question=question).exists():
        raise ValidationError("该题已有回答，不能删除。")
    audit_record(action="change", user=user, obj=question, before=_question_state(question), after=DELETED)
    question.delete()


@dataclass(frozen=True)
class ResponseInput:
    """One respondent's answers: chosen options per question id, open text per question id."""

    group: RespondentGroup
    reference: str = ""
    is_valid: bool = True
    choices: dict[int, tuple[Option, ...]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)


def _answers_for(response: Response, data: ResponseInput, questions: dict[int, Question]) -> list[Answer]:
    answers = []
    for question_id, options in data.choices.items():
        question = questions.get(question_id)
        if question is None or not question.has_options:
            raise ValidationError("回答的问题不属于本问卷。")
        if question.kind == Question.Kind.SINGLE and len(options) > 1:
            raise ValidationError(f"第{question.number}题是单选题，只能选一项。")
        for option in options:
            if option.question_id != question_id:
                raise ValidationError(f"第{question.number}题的选项无效。")
            answers.append(Answer(response=response, question=question, option=option))
    for question_id, text in data.texts.items():
        question = questions.get(question_id)
        if question is None or question.kind != Question.Kind.OPEN:
            raise ValidationError("回答的问题不属于本问卷。")
        if text.strip():
            answers.append(Answer(response=response, question=question, text=text.strip()))
    return answers


@transaction.atomic
def responses_create(
    *, survey: Survey, inputs: Iterable[ResponseInput], source: str = Response.Source.FORM, user: User
) -> list[Response]:
    """Stores responses all or nothing: one bad response and none of them is kept."""
    require_manager(user)
    inputs = list(inputs)
    questions = {q.pk: q for q in survey.questions.all()}
    references = [data.reference for data in inputs if data.reference]
    if len(set(references)) != len(references):
        raise ValidationError("问卷编号重复。")
    taken = set(survey.responses.filter(reference__in=references).values_list("reference", flat=True))
    if taken:
        raise ValidationError(f"问卷编号已存在：{'、'.join(sorted(taken)[:10])}")
    if any(data.group.survey_id != survey.pk for data in inputs):
        raise ValidationError("调查对象类别不属于本问卷。")
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            group=data.group,
            reference=data.reference,
            is_valid=data.is_valid,
            source=source,
            created_by=user,
        )
        for data in inputs
    )
    answers: list[Answer] = []
    for response, data in zip(responses, inputs, strict=True):
        answers.extend(_answers_for(response, data, questions))
    Answer.objects.bulk_create(answers, batch_size=2000)
    # One event for the one action (a questionnaire typed in, or a whole file imported).
    audit_record(
        action="change",
        user=user,
        obj=survey,
        after={"responses_added": [response.pk for response in responses], "source": source},
    )
    return responses


def response_create(*, survey: Survey, data: ResponseInput, user: User) -> Response:
    return responses_create(survey=survey, inputs=[data], user=user)[0]


@transaction.atomic
def response_set_validity(*, response: Response, is_valid: bool, user: User) -> Response:
    require_manager(user)
    before = {"is_valid": response.is_valid}
    response.is_valid = is_valid
    response.save(update_fields=["is_valid"])
    audit_record(action="change", user=user, obj=response, before=before, after={"is_valid": is_valid})
    return response


@transaction.atomic
def response_delete(*, response: Response, user: User) -> None:
    require_manager(user)
    before = {"survey": response.survey_id, "group": response.group_id, "reference": response.reference}
    audit_record(action="change", user=user, obj=response, before=before, after=DELETED)
    response.delete()


@transaction.atomic
def group_tally_save(
    *,
    group: RespondentGroup,
    returned_count: int,
    valid_count: int,
    counts: dict[int, int],
    note: str = "",
    user: User,
) -> GroupTally:
    """Replaces a group's aggregate counts (per option id) as entered from a third party's tables."""
    require_manager(user)
    if valid_count > returned_count:
        raise ValidationError({"valid_count": "有效问卷数不能大于回收问卷数。"})
    options = {o.pk: o for o in Option.objects.filter(question__survey_id=group.survey_id).select_related("question")}
    per_single_question: dict[int, int] = {}
    for option_id, count in counts.items():
        option = options.get(option_id)
        if option is None:
            raise ValidationError("选项不属于本问卷。")
        if count < 0:
            raise ValidationError("人数不能为负数。")
        if count > valid_count:
            raise ValidationError(f"第{option.question.number}题“{option.label}”的人数不能大于有效问卷数。")
        if option.question.kind == Question.Kind.SINGLE:
            per_single_question[option.question.number] = per_single_question.get(option.question.number, 0) + count
    over = sorted(number for number, total in per_single_question.items() if total > valid_count)
    if over:
        raise ValidationError(f"第{'、'.join(map(str, over))}题各选项人数之和不能大于有效问卷数。")
    previous = GroupTally.objects.filter(group=group).first()
    before = _tally_state(previous) if previous else None
    tally, _ = GroupTally.objects.update_or_create(
        group=group,
        defaults={
            "survey_id": group.survey_id,
            "returned_count": returned_count,
            "valid_count": valid_count,
            "note": note,
        },
    )
    tally.counts.all().delete()
    OptionTally.objects.bulk_create(
        OptionTally(tally=tally, option_id=option_id, count=count) for option_id, count in counts.items() if count
    )
    audit_record(action="change", user=user, obj=tally, before=before, after=_tally_state(tally))
    return tally


def _tally_state(tally: GroupTally) -> dict:
    return {
        "group": tally.group_id,
        "returned_count": tally.returned_count,
        "valid_count": tally.valid_count,
        "counts": {str(option_id): count for option_id, count in tally.counts.values_list("option_id", "count")},
    }


@transaction.atomic
def group_tally_delete(*, group: RespondentGroup, user: User) -> None:
    require_manager(user)
    tally = GroupTally.objects.filter(group=group).first()
    if tally is None:  # nothing entered, nothing to clear or record
        return
    audit_record(action="change", user=user, obj=tally, before=_tally_state(tally), after=DELETED)
    tally.delete()
