from accounts import demo as accounts_demo
from congress import demo
from congress.models import Assignment, DeliberationOpinion, Response, SurveyActivity
from congress.selectors import congress_report_data


def test_the_demo_builds_a_survey_with_several_hundred_responses_across_all_groups(db):
    accounts_demo.seed()
    demo.seed()

    data = congress_report_data(year=2025)
    assert data.survey.total.returned > 500
    assert all(sample.valid > 0 for sample in data.survey.samples)
    assert len({a.status for a in Assignment.objects.all()}) >= 5  # mixed handling states, unanswered included
    assert SurveyActivity.objects.filter(kind=SurveyActivity.Kind.FORUM).exists()


def test_the_demo_is_idempotent_and_deterministic(db):
    accounts_demo.seed()
    demo.seed()
    first = congress_report_data(year=2025)
    counts = (Response.objects.count(), DeliberationOpinion.objects.count(), SurveyActivity.objects.count())

    demo.seed()

    assert (Response.objects.count(), DeliberationOpinion.objects.count(), SurveyActivity.objects.count()) == counts
    assert congress_report_data(year=2025).survey == first.survey


def test_the_demo_skips_without_the_demo_users(db):
    demo.seed()

    assert not Response.objects.exists()
