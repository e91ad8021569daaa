import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from congress.models import CongressYear, HandlingStatus, SurveyActivity
from congress.selectors import CongressReportData, congress_report_data

from .factories import ActivityFactory, AssignmentFactory, OpinionFactory, RecommendationFactory, respond

TODAY = datetime.date(2025, 12, 1)


def _fill(survey, cast, copies: int):
    good = survey.questions.get(number=1).options.get(label="好")
    year = survey.congress_year
    for n in range(copies):
        for group in survey.groups.all():
            respond(group, good)
        opinion = OpinionFactory(congress_year=year)
        AssignmentFactory(
            opinion=opinion,
            department=cast.dept_a,
            status=HandlingStatus.RESOLVED,
            answer="已办结",
            answered_at=timezone.now(),
        )
        AssignmentFactory(opinion=opinion, department=cast.dept_b)
        activity = ActivityFactory(congress_year=year, held_on=datetime.date(2025, 10, n + 1))
        activity.departments.set([cast.dept_a, cast.dept_b])
        RecommendationFactory(congress_year=year, position=n + 1)


def test_the_report_data_holds_every_survey_and_follow_up_figure_of_the_year(survey, cast):
    _fill(survey, cast, copies=2)

    data = congress_report_data(year=2025, today=TODAY)

    assert isinstance(data, CongressReportData)
    assert data.survey.total.valid == 4
    assert data.survey.satisfaction[0].overall.rate == Decimal("100.00")
    assert (data.suggestion_totals.total, data.suggestion_totals.pending) == (2, 2)
    assert data.opinions[0].assignments[0].status_label == "已解决"
    assert data.opinions[0].status_label == "未答复"
    assert [c.count for c in data.activity_counts if c.kind == SurveyActivity.Kind.FORUM] == [2]
    assert data.activity_departments == ("测试市甲局", "测试县乙镇人民政府")
    assert [r.position for r in data.recommendations] == [1, 2]


def test_the_report_data_is_frozen(survey):
    data = congress_report_data(year=2025, today=TODAY)

    with pytest.raises(dataclasses.FrozenInstanceError):
        data.year = 2024


def test_a_year_without_a_survey_has_no_survey_figures(cast):
    CongressYear.objects.create(year=2024)

    assert congress_report_data(year=2024, today=TODAY).survey is None


def test_an_unknown_year_raises(db):
    with pytest.raises(CongressYear.DoesNotExist):
        congress_report_data(year=1999)


def test_the_report_data_takes_the_same_number_of_queries_for_small_and_large_years(
    survey, cast, django_assert_num_queries
):
    _fill(survey, cast, copies=1)
    with django_assert_num_queries(13) as small:  # no group tally: its option counts are not read
        congress_report_data(year=2025, today=TODAY)

    _fill(survey, cast, copies=12)
    with django_assert_num_queries(len(small.captured_queries)):
        congress_report_data(year=2025, today=TODAY)


def test_units_with_an_overdue_unanswered_assignment_are_named_in_directory_order(survey, cast):
    year = survey.congress_year
    late = OpinionFactory(congress_year=year)
    AssignmentFactory(opinion=late, department=cast.dept_b, deadline=datetime.date(2025, 11, 30))
    AssignmentFactory(opinion=late, department=cast.dept_a, deadline=datetime.date(2025, 11, 30))
    AssignmentFactory(department=cast.justice_bureau, deadline=TODAY, opinion__congress_year=year)  # due today

    data = congress_report_data(year=2025, today=TODAY)

    assert data.as_of == TODAY
    assert data.overdue_departments == ("测试市甲局", "测试县乙镇人民政府")
