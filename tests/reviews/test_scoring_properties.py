"""Properties of score sheets over any figures a department may report (hypothesis)."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import IndicatorValue
from indicators.scoring import grade_for
from reviews.services.scoring import score_sheet_compute

from .factories import judge

rates = st.tuples(st.integers(0, 60), st.integers(0, 60)).map(lambda pair: (min(pair), max(pair)))
figures = st.fixed_dictionaries(
    {
        "A1.1": st.integers(0, 10),
        "A1.2": st.booleans(),
        "A1.3": rates,
        "B1.1": st.integers(0, 10),
        "B1.2": rates,
        "B1.3": st.decimals(0, 100, places=1),
    }
)


def store(annual_return, values):
    rows = {
        row.indicator.code: row
        for row in IndicatorValue.objects.filter(annual_return=annual_return).select_related("indicator")
    }
    rows["A1.1"].value_integer, rows["B1.1"].value_integer = values["A1.1"], values["B1.1"]
    rows["A1.2"].value_boolean = values["A1.2"]
    rows["A1.3"].numerator, rows["A1.3"].denominator = values["A1.3"]
    rows["B1.2"].numerator, rows["B1.2"].denominator = values["B1.2"]
    rows["B1.3"].value_decimal = values["B1.3"]
    IndicatorValue.objects.bulk_update(
        rows.values(), ["value_integer", "value_boolean", "numerator", "denominator", "value_decimal"]
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=figures, judged=st.decimals(0, 4, places=2))
def test_any_figures_give_a_total_within_base_points_with_the_matching_grade(cast, return_a, values, judged):
    store(return_a, values)
    judge(return_a, cast.reviewer, points=str(judged))
    sheet, _ = score_sheet_compute(annual_return=return_a)
    assert Decimal(0) <= sheet.total <= Decimal(100)
    assert sheet.grade == grade_for(sheet.total)
    assert sum(Decimal(points) for points in sheet.area_points.values()) == sheet.earned
    assert score_sheet_compute(annual_return=return_a)[1] is False
