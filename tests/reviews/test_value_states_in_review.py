"""The review page and the score sheet treat 不适用, 暂无数据, 0/0 and a rate with one part as themselves."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from assessments.services.entry import ValueInput, indicator_values_save
from reviews.services.scoring import score_sheet_compute
from tests.assessments.factories import open_return

from .factories import FULL_MARKS, fill, submit, submitted_return


def review_content(client, cast, annual_return) -> str:
    client.force_login(cast.reviewer)
    return client.get(reverse("reviews:review", kwargs={"pk": annual_return.pk})).content.decode()


def test_not_applicable_shows_with_its_reason_and_is_not_scored(cast, framework, client):
    annual_return = submitted_return(
        cast.dept_a, cast.staff_a, framework, **{"A1.3": {"state": "not_applicable", "reason": "本单位无应述法领导"}}
    )
    content = review_content(client, cast, annual_return)
    assert "不适用（本单位无应述法领导）" in content
    assert "不计入" in content


def test_zero_over_zero_shows_as_no_such_matters(cast, framework, client):
    annual_return = submitted_return(
        cast.dept_a, cast.staff_a, framework, **{"A1.3": {"numerator": "0", "denominator": "0"}}
    )
    assert "无此类事项（0/0）" in review_content(client, cast, annual_return)


def test_zero_over_zero_is_neither_met_nor_missed_on_the_review_page(cast, framework):
    from reviews.selectors import review_page

    annual_return = submitted_return(
        cast.dept_a, cast.staff_a, framework, **{"A1.3": {"numerator": "0", "denominator": "0"}}
    )
    row = next(row for row in review_page(annual_return).rows if row.indicator.code == "A1.3")
    assert row.meets_target is None and row.is_no_cases


def test_a_rate_with_only_its_denominator_shows_that_the_rate_cannot_be_computed(cast, framework, client):
    annual_return = open_return(cast.dept_a, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    fill(annual_return, cast.staff_a, FULL_MARKS)
    row = annual_return.values.get(indicator__code="A1.3")
    raw = {"numerator": "", "denominator": "12"}
    indicator_values_save(
        annual_return=annual_return,
        inputs=[ValueInput(row.indicator_id, raw, row.version, explanation="已述法人数尚在统计")],
        user=cast.staff_a,
    )
    submit(annual_return, cast.staff_a)
    content = review_content(client, cast, annual_return)
    assert "无法计算（应述法12，已述法未填）" in content


def test_a_not_applicable_indicator_leaves_the_score_base(cast, framework):
    full, _ = score_sheet_compute(annual_return=submitted_return(cast.dept_b, cast.staff_b, framework))
    annual_return = submitted_return(
        cast.dept_a, cast.staff_a, framework, **{"A1.2": {"state": "not_applicable", "reason": "不涉及"}}
    )
    sheet, _ = score_sheet_compute(annual_return=annual_return)
    assert sheet.breakdown["areas"][0]["applicable_max"] == "8.00"
    assert full.breakdown["areas"][0]["applicable_max"] == "10.00"
    assert sheet.total < Decimal("100")  # A1.4 awaits the reviewer's judgement in both
