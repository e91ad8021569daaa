"""Fixtures shared by the report-kind tests and the real-worker integration tests."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from congress.models import SurveyActivity
from indicators.models import IndicatorFramework
from reviews.models import Publication, ScoreSheet
from tests.assessments.provided_fixtures import (  # noqa: F401 — the provided-data fixtures, for readiness
    court,
    court_user,
    provided_framework,
    provided_return_a,
)
from tests.congress.factories import (
    ActivityFactory,
    AssignmentFactory,
    CongressYearFactory,
    RecommendationFactory,
    RespondentGroupFactory,
    SurveyFactory,
    problem_question,
    rating_question,
    respond,
)

from .builders import framework, two_years_for


@pytest.fixture
def congress_year(cast):
    """Survey: 人大代表 3 of 4 satisfied, 群众 1 of 2 → 4/6 = 66.67%; one forum with 甲局, one site
    visit; one suggestion not yet answered; one recommendation."""
    year = CongressYearFactory(year=2025, title="行政执法规范化建设")
    survey = SurveyFactory(congress_year=year, title="2025年度法治政府建设问卷调查", method="现场发放问卷")
    rating = rating_question(survey, text="您对本市法治政府建设的总体评价")
    problems = problem_question(survey)
    good, fair, bad = (rating.options.get(label=label) for label in ("好", "一般", "差"))
    first_problem = problems.options.order_by("sort_order").first()
    deputies = RespondentGroupFactory(survey=survey, name="人大代表")
    public = RespondentGroupFactory(survey=survey, name="普通群众")
    for _ in range(3):
        respond(deputies, good, first_problem)
    respond(deputies, bad)
    respond(public, good)
    respond(public, fair, first_problem)
    forum = ActivityFactory(congress_year=year, kind=SurveyActivity.Kind.FORUM, subject="法治政府建设座谈会")
    forum.departments.add(cast.dept_a)
    ActivityFactory(congress_year=year, kind=SurveyActivity.Kind.SITE_VISIT, subject="实地察看执法窗口")
    AssignmentFactory(opinion__congress_year=year, department=cast.dept_a)
    RecommendationFactory(congress_year=year, position=1, title="规范涉企行政检查", content="推行“综合查一次”。")
    two_years_for(cast.dept_a)
    return year


def sheet(department, fw, total, grade, *, is_vetoed=False):
    return ScoreSheet.objects.create(
        department=department, year=fw.year, framework=fw, department_kind=department.kind,
        earned=total, applicable_max=100, base_score=total, bonus=0, deductions=0, total=Decimal(total),
        is_vetoed=is_vetoed, grade=grade, fingerprint="x", computed_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def published_year(cast):
    fw = IndicatorFramework.objects.filter(year=2025).first() or framework(2025)
    sheet(cast.dept_a, fw, "92.50", "excellent")
    sheet(cast.justice_bureau, fw, "85.00", "good")
    sheet(cast.dept_b, fw, "70.00", "fail", is_vetoed=True)
    sheet(cast.county, fw, "88.00", "good")
    Publication.objects.create(year=2025, appeal_deadline=datetime.date(2026, 3, 20), published_by=cast.reviewer)
    return 2025
