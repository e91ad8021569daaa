from decimal import Decimal

from congress.models import GroupTally, Option, OptionTally
from congress.selectors.survey_results import survey_results

from .factories import respond


def _options(survey, number):
    return {o.label: o for o in Option.objects.filter(question__survey=survey, question__number=number)}


def test_sample_size_and_valid_rate_per_group_count_invalid_questionnaires_as_returned(survey):
    deputies, public = survey.groups.all()
    respond(deputies)
    respond(deputies, is_valid=False)
    respond(public)

    results = survey_results(survey=survey)

    assert [(s.group_name, s.returned, s.valid, s.valid_rate) for s in results.samples] == [
        ("人大代表", 2, 1, Decimal("50.00")),
        ("普通群众", 1, 1, Decimal("100.00")),
    ]
    assert (results.total.returned, results.total.valid, results.total.valid_rate) == (3, 2, Decimal("66.67"))


def test_answers_of_invalid_questionnaires_do_not_count(survey):
    deputies, _ = survey.groups.all()
    rating = _options(survey, 1)
    respond(deputies, rating["好"])
    respond(deputies, rating["差"], is_valid=False)

    question = survey_results(survey=survey).satisfaction[0]

    assert (question.by_group[0].satisfied, question.by_group[0].base) == (1, 1)


def test_a_group_without_answers_has_no_rate_rather_than_zero(survey):
    results = survey_results(survey=survey)

    deputies = results.satisfaction[0].by_group[0]
    assert (deputies.base, deputies.rate, deputies.interval) == (0, None, None)
    assert results.total.valid_rate is None


def test_the_satisfaction_rule_follows_the_option_flags(survey):
    deputies, _ = survey.groups.all()
    rating = _options(survey, 1)
    for label in ("好", "较好", "一般", "说不清"):
        respond(deputies, rating[label])
    Option.objects.filter(pk=rating["一般"].pk).update(counts_as_satisfied=True)
    Option.objects.filter(pk=rating["说不清"].pk).update(is_excluded_from_base=False)

    question = survey_results(survey=survey).satisfaction[0]

    assert question.rule == "（好＋较好＋一般）÷ 有效回答"
    assert (question.overall.satisfied, question.overall.base, question.overall.rate) == (3, 4, Decimal("75.00"))


def test_the_rule_names_the_options_left_out_of_the_base(survey):
    assert survey_results(survey=survey).satisfaction[0].rule == "（好＋较好）÷ 有效回答（不含说不清）"


def test_aggregate_counts_of_a_group_add_to_its_individual_responses(survey):
    _, public = survey.groups.all()
    rating = _options(survey, 1)
    problems = _options(survey, 2)
    respond(public, rating["好"], problems["多头多重执法"])
    tally = GroupTally.objects.create(survey=survey, group=public, returned_count=12, valid_count=10)
    OptionTally.objects.create(tally=tally, option=rating["好"], count=6)
    OptionTally.objects.create(tally=tally, option=rating["一般"], count=3)
    OptionTally.objects.create(tally=tally, option=rating["说不清"], count=1)
    OptionTally.objects.create(tally=tally, option=problems["多头多重执法"], count=4)

    results = survey_results(survey=survey)

    assert (results.samples[1].returned, results.samples[1].valid) == (13, 11)
    public_rate = results.satisfaction[0].by_group[1]
    assert (public_rate.satisfied, public_rate.base, public_rate.rate) == (7, 10, Decimal("70.00"))
    assert results.problems[0].problems[0].count == 5


def test_problem_shares_are_over_valid_respondents_and_ranked_highest_first(survey):
    deputies, public = survey.groups.all()
    problems = _options(survey, 2)
    respond(deputies, problems["多头多重执法"], problems["效率不高"])
    respond(deputies, problems["效率不高"])
    respond(public, problems["效率不高"])
    respond(public)  # named no problem, still a valid respondent

    ranking = survey_results(survey=survey).problems[0]

    assert [(p.rank, p.label, p.count, p.base, p.share) for p in ranking.problems] == [
        (1, "效率不高", 3, 4, Decimal("75.00")),
        (2, "多头多重执法", 1, 4, Decimal("25.00")),
        (3, "执法“一刀切”", 0, 4, Decimal("0.00")),
    ]


def test_open_answers_are_listed_with_their_group(survey):
    deputies, public = survey.groups.all()
    open_question = survey.questions.get(number=3)
    respond(public, text_answers={open_question: "窗口服务要改进"})
    respond(deputies, text_answers={open_question: "加强执法培训"})
    respond(deputies, text_answers={open_question: "无效问卷里的意见"}, is_valid=False)

    answers = survey_results(survey=survey).open_questions[0].answers

    assert [(a.group_name, a.text) for a in answers] == [("人大代表", "加强执法培训"), ("普通群众", "窗口服务要改进")]


def test_results_for_the_report_leave_the_open_answers_unread(survey, django_assert_num_queries):
    open_question = survey.questions.get(number=3)
    respond(survey.groups.first(), text_answers={open_question: "加强执法培训"})
    with django_assert_num_queries(7) as everything:  # no group tally: no option counts of one to read
        survey_results(survey=survey)

    with django_assert_num_queries(len(everything.captured_queries) - 1):
        results = survey_results(survey=survey, with_open_answers=False)

    assert results.open_questions == ()
    assert results.total.valid == 1


def test_results_take_the_same_number_of_queries_whatever_the_survey_size(survey, django_assert_max_num_queries):
    deputies, public = survey.groups.all()
    rating = _options(survey, 1)
    for _ in range(30):
        respond(deputies, rating["好"])
        respond(public, rating["差"])

    with django_assert_max_num_queries(8):
        survey_results(survey=survey)


def test_problem_shares_are_also_given_per_group_over_its_own_valid_respondents(survey):
    deputies, public = survey.groups.all()
    problems = _options(survey, 2)
    respond(deputies, problems["效率不高"])
    respond(deputies)
    respond(public, problems["效率不高"])

    top = survey_results(survey=survey).problems[0].problems[0]

    assert [(g.group_name, g.count, g.base, g.share) for g in top.by_group] == [
        ("人大代表", 1, 2, Decimal("50.00")),
        ("普通群众", 1, 1, Decimal("100.00")),
    ]


def test_problems_named_equally_often_share_a_rank(survey):
    deputies, _ = survey.groups.all()
    problems = _options(survey, 2)
    respond(deputies, problems["效率不高"], problems["执法“一刀切”"])
    respond(deputies, problems["效率不高"], problems["执法“一刀切”"], problems["多头多重执法"])

    ranking = survey_results(survey=survey).problems[0].problems

    assert [(p.rank, p.count) for p in ranking] == [(1, 2), (1, 2), (3, 1)]
