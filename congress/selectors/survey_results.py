"""The figures of a survey: samples, satisfaction rates with confidence intervals, problem shares.

Individual responses and aggregate tallies of a group are added together: counts are summed,
rates are computed from the sums (never averaged). Only valid questionnaires count.

- 样本量 per group: returned questionnaires; 有效率 = valid ÷ returned.
- 满意率 of a single-choice question: answers on options counting as satisfied ÷ valid answers
  (answers on options not excluded from the base; blank answers are not valid answers).
  The 95% interval is the Wilson score interval (see congress.statistics).
- 问题占比 of a multiple-choice question: respondents ticking the option ÷ valid respondents
  of the group, as in "26.2%的受访者反映多头多重执法"; the shares of one question may sum past 100%.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch

from indicators.rates import rate_percent

from ..models import Answer, GroupTally, Option, OptionTally, Question, Response, Survey
from ..statistics import Interval, wilson_interval


@dataclass(frozen=True)
class GroupSample:
    group_id: int | None  # None for the all-groups total
    group_name: str
    returned: int
    valid: int
    valid_rate: Decimal | None


@dataclass(frozen=True)
class Satisfaction:
    group_id: int | None
    group_name: str
    satisfied: int
    base: int
    rate: Decimal | None
    interval: Interval | None


@dataclass(frozen=True)
class OptionCount:
    label: str
    counts_as_satisfied: bool
    is_excluded_from_base: bool
    count: int
    share: Decimal | None  # of valid answers (single choice) or valid respondents (multiple choice)


@dataclass(frozen=True)
class QuestionSatisfaction:
    number: int
    text: str
    rule: str  # e.g. "（好＋较好）÷ 有效回答（不含说不清）"
    options: tuple[OptionCount, ...]  # all groups together
    by_group: tuple[Satisfaction, ...]
    overall: Satisfaction


@dataclass(frozen=True)
class GroupShare:
    group_id: int | None  # as in GroupSample
    group_name: str
    count: int
    base: int  # valid respondents of the group
    share: Decimal | None


@dataclass(frozen=True)
class ProblemShare:
    rank: int
    label: str
    count: int
    base: int
    share: Decimal | None
    by_group: tuple[GroupShare, ...]


@dataclass(frozen=True)
class ProblemRanking:
    number: int
    text: str
    problems: tuple[ProblemShare, ...]  # by share, highest first


@dataclass(frozen=True)
class OpenAnswer:
    group_name: str
    reference: str
    text: str


@dataclass(frozen=True)
class OpenQuestion:
    number: int
    text: str
    answers: tuple[OpenAnswer, ...]


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    title: str
    method: str
    started_on: date | None
    ended_on: date | None
    samples: tuple[GroupSample, ...]
    total: GroupSample
    satisfaction: tuple[QuestionSatisfaction, ...]
    problems: tuple[ProblemRanking, ...]
    open_questions: tuple[OpenQuestion, ...]
    interval_method: str = "Wilson 评分区间，置信水平 95%（z = 1.96）"


def satisfaction_rule(options: list[Option]) -> str:
    satisfied = "＋".join(o.label for o in options if o.counts_as_satisfied)
    excluded = "、".join(o.label for o in options if o.is_excluded_from_base)
    rule = f"（{satisfied}）÷ 有效回答"
    return f"{rule}（不含{excluded}）" if excluded else rule


def _satisfaction(group_id, name, options: list[Option], counts: dict[int, int]) -> Satisfaction:
    satisfied = sum(counts.get(o.pk, 0) for o in options if o.counts_as_satisfied)
    base = sum(counts.get(o.pk, 0) for o in options if not o.is_excluded_from_base)
    return Satisfaction(
        group_id, name, satisfied, base, rate_percent(satisfied, base), wilson_interval(satisfied, base)
    )


def _single_choice(question, groups, counts, totals) -> QuestionSatisfaction:
    options = list(question.options.all())
    overall_counts = {o.pk: totals[o.pk] for o in options}
    base = sum(overall_counts[o.pk] for o in options if not o.is_excluded_from_base)
    return QuestionSatisfaction(
        number=question.number,
        text=question.text,
        rule=satisfaction_rule(options),
        options=tuple(
            OptionCount(
                o.label,
                o.counts_as_satisfied,
                o.is_excluded_from_base,
                overall_counts[o.pk],
                None if o.is_excluded_from_base else rate_percent(overall_counts[o.pk], base),
            )
            for o in options
        ),
        by_group=tuple(_satisfaction(g.pk, g.name, options, counts[g.pk]) for g in groups),
        overall=_satisfaction(None, "全部", options, overall_counts),
    )


def _competition_ranks(counts: list[int]) -> list[int]:
    """Ranks of counts sorted highest first; equal counts share a rank (1, 2, 2, 4) as ties do in a report."""
    return [1 + sum(1 for other in counts if other > count) for count in counts]


def _problems(question, samples: list[GroupSample], total: GroupSample, counts, totals) -> ProblemRanking:
    ranked = sorted(question.options.all(), key=lambda o: (-totals[o.pk], o.sort_order, o.pk))
    return ProblemRanking(
        number=question.number,
        text=question.text,
        problems=tuple(
            ProblemShare(
                rank,
                o.label,
                totals[o.pk],
                total.valid,
                rate_percent(totals[o.pk], total.valid),
                tuple(
                    GroupShare(
                        s.group_id,
                        s.group_name,
                        counts[s.group_id].get(o.pk, 0),
                        s.valid,
                        rate_percent(counts[s.group_id].get(o.pk, 0), s.valid),
                    )
                    for s in samples
                ),
            )
            for rank, o in zip(_competition_ranks([totals[o.pk] for o in ranked]), ranked, strict=True)
        ),
    )


def _samples(survey: Survey, groups, tallies) -> tuple[list[GroupSample], GroupSample]:
    returned: dict[int, int] = defaultdict(int)
    valid: dict[int, int] = defaultdict(int)
    for row in Response.objects.filter(survey=survey).values("group_id", "is_valid").annotate(n=Count("id")):
        returned[row["group_id"]] += row["n"]
        if row["is_valid"]:
            valid[row["group_id"]] += row["n"]
    for tally in tallies:
        returned[tally.group_id] += tally.returned_count
        valid[tally.group_id] += tally.valid_count
    samples = [
        GroupSample(g.pk, g.name, returned[g.pk], valid[g.pk], rate_percent(valid[g.pk], returned[g.pk]))
        for g in groups
    ]
    all_returned, all_valid = sum(returned.values()), sum(valid.values())
    return samples, GroupSample(None, "合计", all_returned, all_valid, rate_percent(all_valid, all_returned))


def _option_counts(survey: Survey, option_ids: list[int], tallies) -> dict[int, dict[int, int]]:
    """Chosen-option counts per group id, then per option id, from valid responses and tallies."""
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    # By the survey's options (an index read of this survey's answers), not every survey's answers
    # scanned for those of its responses.
    chosen = (
        Answer.objects.filter(response__survey=survey, response__is_valid=True, option_id__in=option_ids)
        .values("response__group_id", "option_id")
        .annotate(n=Count("id"))
    )
    for row in chosen:
        counts[row["response__group_id"]][row["option_id"]] += row["n"]
    group_of_tally = {tally.pk: tally.group_id for tally in tallies}
    if not group_of_tally:  # option counts belong to a group's tally: none without one
        return counts
    for tallied in OptionTally.objects.filter(tally_id__in=group_of_tally).values("tally_id", "option_id", "count"):
        counts[group_of_tally[tallied["tally_id"]]][tallied["option_id"]] += tallied["count"]
    return counts


def _open_questions(survey: Survey, questions) -> list[OpenQuestion]:
    by_question: dict[int, list[OpenAnswer]] = defaultdict(list)
    texts = (
        Answer.objects.filter(response__survey=survey, response__is_valid=True, option__isnull=True)
        .order_by("question_id", "response__group__sort_order", "response_id")
        .values_list("question_id", "response__group__name", "response__reference", "text")
    )
    for question_id, group_name, reference, text in texts:
        by_question[question_id].append(OpenAnswer(group_name, reference, text))
    return [OpenQuestion(q.number, q.text, tuple(by_question[q.pk])) for q in questions if q.kind == Question.Kind.OPEN]


def survey_results(*, survey: Survey, with_open_answers: bool = True) -> SurveyResults:
    """Every figure of the survey, in at most eight queries whatever its size (one fewer without the
    open answers, which the congress report does not print, and one fewer without a group's tally)."""
    groups = list(survey.groups.all())
    questions = list(
        survey.questions.prefetch_related(Prefetch("options", queryset=Option.objects.order_by("sort_order", "id")))
    )
    tallies = list(GroupTally.objects.filter(survey=survey))
    samples, total = _samples(survey, groups, tallies)
    counts = _option_counts(survey, [o.pk for q in questions for o in q.options.all()], tallies)
    totals: dict[int, int] = defaultdict(int)
    for per_option in counts.values():
        for option_id, n in per_option.items():
            totals[option_id] += n
    return SurveyResults(
        survey_id=survey.pk,
        title=survey.title,
        method=survey.method,
        started_on=survey.started_on,
        ended_on=survey.ended_on,
        samples=tuple(samples),
        total=total,
        satisfaction=tuple(
            _single_choice(q, groups, counts, totals) for q in questions if q.kind == Question.Kind.SINGLE
        ),
        problems=tuple(
            _problems(q, samples, total, counts, totals) for q in questions if q.kind == Question.Kind.MULTIPLE
        ),
        open_questions=tuple(_open_questions(survey, questions)) if with_open_answers else (),
    )
