"""Statistical indicators (统计指标) are shown to reviewers but never scored or ranked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorNature, ValueType
from reviews.models import ReviewScore, ScoreSheet
from reviews.services.errors import ReviewError
from reviews.services.review import review_approve, review_score_save

from .factories import indicator, judge, scoring_framework, submitted_return

D = Decimal


@pytest.fixture
def framework(db):
    framework = scoring_framework(2025)
    group = Indicator.objects.get(framework=framework, code="A1.1").group
    Indicator.objects.create(
        framework=framework, group=group, code="A1.9", name="一审行政应诉案件数", value_type=ValueType.COUNT,
        unit="件", nature=IndicatorNature.STATISTICAL, max_points=D(0), scoring_rule="", required_for_government=False,
        required_for_department=False, required_for_township=False, order=99,
    )  # fmt: skip
    return framework


def test_a_statistical_figure_leaves_the_score_sheet_as_it_was(cast, framework):
    annual_return = submitted_return(cast.dept_a, cast.staff_a, framework, **{"A1.9": {"value": "181"}})
    judge(annual_return, cast.reviewer, points="4")
    sheet = ScoreSheet.objects.get(department=cast.dept_a, year=2025)
    assert (sheet.earned, sheet.applicable_max, sheet.total) == (D("20"), D("20"), D("100"))
    codes = {
        item["code"] for area in sheet.breakdown["areas"] for group in area["groups"] for item in group["indicators"]
    }
    assert "A1.9" not in codes and "A1.1" in codes


def test_a_reviewer_cannot_score_a_statistical_figure(cast, framework):
    annual_return = submitted_return(cast.dept_a, cast.staff_a, framework, **{"A1.9": {"value": "181"}})
    with pytest.raises(ReviewError, match="统计指标，不计分"):
        review_score_save(
            annual_return=annual_return, indicator=indicator(framework, "A1.9"), user=cast.reviewer, points=D(1),
            reason="试图评分",
        )  # fmt: skip


def test_approval_records_no_score_for_a_statistical_figure(cast, framework):
    annual_return = submitted_return(cast.dept_a, cast.staff_a, framework, **{"A1.9": {"value": "181"}})
    judge(annual_return, cast.reviewer, points="4")
    review_approve(annual_return=annual_return, user=cast.reviewer)
    scored = set(ReviewScore.objects.filter(annual_return=annual_return).values_list("indicator__code", flat=True))
    assert "A1.9" not in scored and "A1.1" in scored


def test_the_review_page_shows_the_figure_marked_without_a_score_form(cast, framework, client):
    annual_return = submitted_return(cast.dept_a, cast.staff_a, framework, **{"A1.9": {"value": "181"}})
    client.force_login(cast.reviewer)
    html = client.get(reverse("reviews:review", kwargs={"pk": annual_return.pk})).content.decode()
    row = html[html.index('id="row-' + str(indicator(framework, "A1.9").pk)) :]
    row = row[: row.index("</tbody>")]
    assert "统计指标，不计分" in row and "181" in row
    assert 'name="points"' not in row and "达标" not in row
    scored = Indicator.objects.filter(framework=framework, nature=IndicatorNature.ASSESSED).count()
    assert f'<div class="fs-4">0 / {scored}</div>' in html  # 已审核指标 counts scored indicators only
