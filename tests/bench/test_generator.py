"""The benchmark data generator at small scale: deterministic for a seed, and within the rules the
database and the domain hold (a rate's numerator never above its denominator; one return per unit
and year)."""

import pytest
from django.db import transaction
from django.db.models import F

from accounts.models import Department
from assessments.models import AnnualReturn, IndicatorValue
from bench.generator import SCALES, generate
from reviews.models import ScoreSheet

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def _snapshot() -> dict:
    """What was generated, by natural keys (ids may differ between runs)."""
    values = IndicatorValue.objects.order_by(
        "annual_return__department__code", "annual_return__year", "indicator__code"
    )
    return {
        "departments": list(Department.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        "returns": list(
            AnnualReturn.objects.order_by("department__code", "year").values_list(
                "department__code", "year", "status", "self_score", "submitted_at"
            )
        ),
        "values": list(
            values.values_list(
                "annual_return__department__code",
                "annual_return__year",
                "indicator__code",
                "numerator",
                "denominator",
                "value_integer",
                "value_boolean",
                "value_date",
                "raw_input",
            )
        ),
        "sheets": list(ScoreSheet.objects.order_by("department__code", "year").values_list("total", "grade", "rank")),
    }


def _generate_and_snapshot(seed: int) -> dict:
    try:
        with transaction.atomic():
            generate(scale="small", seed=seed)
            snapshot = _snapshot()
            raise _Rollback
    except _Rollback:
        return snapshot


def test_small_scale_is_deterministic_for_a_seed():
    first, second = _generate_and_snapshot(42), _generate_and_snapshot(42)
    assert first == second
    assert first["values"] and first["sheets"]


def test_rates_have_numerator_at_most_denominator_and_some_have_no_cases():
    generate(scale="small", seed=42)
    rates = IndicatorValue.objects.filter(numerator__isnull=False, denominator__isnull=False)
    assert rates.exists()
    assert not rates.filter(numerator__gt=F("denominator")).exists()
    assert rates.filter(denominator=0).exists()


def test_every_department_has_one_return_per_year_and_a_second_run_is_refused():
    generate(scale="small", seed=42)
    years = SCALES["small"].year_list
    departments = Department.objects.count()
    assert departments == SCALES["small"].department_count
    for year in years:
        assert AnnualReturn.objects.filter(year=year).values("department").distinct().count() == departments
    assert AnnualReturn.objects.count() == departments * len(years)
    assert set(AnnualReturn.objects.filter(year=years[0]).values_list("status", flat=True)) == {"confirmed"}
    with pytest.raises(RuntimeError):  # never on a database that already has data
        generate(scale="small", seed=42)
