import pytest

from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from assessments.services.errors import ReturnActionError
from assessments.services.opening import returns_open_for_framework
from indicators.models import Indicator

from .factories import framework_with


def test_opening_creates_one_return_per_active_department_with_every_section(cast, framework):
    result = returns_open_for_framework(framework=framework)
    assert result.opened == AnnualReturn.objects.count() == 5
    assert NarrativeSection.objects.count() == 5 * 5


def test_only_indicators_applicable_to_the_department_kind_get_a_row(cast, framework):
    Indicator.objects.filter(framework=framework, code="K3").update(applies_to_township=False)
    returns_open_for_framework(framework=framework)
    township_codes = set(
        IndicatorValue.objects.filter(annual_return__department=cast.dept_b).values_list("indicator__code", flat=True)
    )
    assert "K3" not in township_codes and "K1" in township_codes


def test_derived_indicators_get_no_row(cast, db):
    framework = framework_with({"code": "A"}, {"code": "B"}, {"code": "C", "formula": "A + B"})
    returns_open_for_framework(framework=framework)
    assert not IndicatorValue.objects.filter(indicator__code="C").exists()


def test_opening_twice_opens_nothing_new(cast, framework):
    returns_open_for_framework(framework=framework)
    assert returns_open_for_framework(framework=framework).opened == 0
    assert AnnualReturn.objects.count() == 5


def test_inactive_departments_get_no_return(cast, framework):
    cast.dept_b.is_active = False
    cast.dept_b.save(update_fields=["is_active"])
    returns_open_for_framework(framework=framework)
    assert not AnnualReturn.objects.filter(department=cast.dept_b).exists()


def test_a_draft_framework_cannot_be_opened(cast, db):
    with pytest.raises(ReturnActionError):
        returns_open_for_framework(framework=framework_with({"code": "A"}, status="draft"))
