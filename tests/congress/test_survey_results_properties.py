from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congress.selectors.survey_results import survey_results
from congress.services.surveys import group_tally_save
from indicators.rates import rate_percent

# Per group: counts for 好, 较好, 一般, 差, 说不清.
GROUP_COUNTS = st.lists(st.integers(min_value=0, max_value=400), min_size=5, max_size=5)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deputies=GROUP_COUNTS, public=GROUP_COUNTS)
def test_overall_satisfaction_pools_counts_of_the_groups_and_never_averages_their_rates(survey, cast, deputies, public):
    options = list(survey.questions.get(number=1).options.all())
    for group, counts in zip(survey.groups.all(), (deputies, public), strict=True):
        valid = sum(counts)
        group_tally_save(
            group=group,
            returned_count=valid,
            valid_count=valid,
            counts={o.pk: n for o, n in zip(options, counts, strict=True)},
            user=cast.congress,
        )

    question = survey_results(survey=survey).satisfaction[0]

    satisfied = deputies[0] + deputies[1] + public[0] + public[1]
    base = sum(deputies[:4]) + sum(public[:4])
    assert (question.overall.satisfied, question.overall.base) == (satisfied, base)
    assert question.overall.rate == rate_percent(satisfied, base)
    assert [g.base for g in question.by_group] == [sum(deputies[:4]), sum(public[:4])]
