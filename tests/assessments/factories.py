"""Factories for returns and for the small frameworks the return tests need.

`framework_with(...)` builds a published framework with one area and group holding the given
indicators; `open_return(...)` opens a return through the real service, so rows exist as in
production.
"""

from decimal import Decimal

import factory

from accounts.models import Department
from assessments.models import AnnualReturn, IndicatorValue
from assessments.services.opening import returns_open_for_framework
from indicators.models import Indicator, IndicatorFramework, ScoringRule, ValueType
from tests.factories import DepartmentFactory
from tests.indicators import factories as indicator_factories


class FrameworkFactory(indicator_factories.IndicatorFrameworkFactory):
    """Published, 2025, each a new version (the return tests open one year at a time)."""

    name = factory.Sequence(lambda n: f"测试指标体系{n}")
    year = 2025
    version = factory.Sequence(lambda n: n + 1)
    base_points = Decimal("100")
    status = IndicatorFramework.Status.PUBLISHED


class AreaFactory(indicator_factories.AreaFactory):
    framework = factory.SubFactory(FrameworkFactory)
    max_points = Decimal("100")


class GroupFactory(indicator_factories.GroupFactory):
    area = factory.SubFactory(AreaFactory)
    max_points = Decimal("100")


class IndicatorFactory(indicator_factories.IndicatorFactory):
    """An all-or-nothing count, required of every kind of unit unless told otherwise."""

    group = factory.SubFactory(GroupFactory)
    code = factory.Sequence(lambda n: f"I{n}")
    order = 0
    scoring_rule = ScoringRule.ALL_OR_NOTHING
    scoring_params = factory.LazyFunction(dict)
    required_for_government = factory.LazyAttribute(lambda o: o.is_required)
    required_for_department = factory.LazyAttribute(lambda o: o.is_required)
    required_for_township = factory.LazyAttribute(lambda o: o.is_required)

    class Params:
        is_required = True  # the same for every kind of unit; set required_for_<kind> to differ


def rate_indicator(**kwargs) -> Indicator:
    defaults = {
        "value_type": ValueType.RATE,
        "unit": "%",
        "numerator_label": "已审核件数",
        "numerator_unit": "件",
        "denominator_label": "应审核件数",
        "denominator_unit": "件",
        "target_operator": ">=",
        "target_value": Decimal("100"),
    }
    return IndicatorFactory(**{**defaults, **kwargs})


def framework_with(*specs: dict, year: int = 2025, status=IndicatorFramework.Status.PUBLISHED) -> IndicatorFramework:
    """A framework with one area and group and an indicator per spec (IndicatorFactory kwargs)."""
    framework = FrameworkFactory(year=year, status=status)
    group = GroupFactory(area=AreaFactory(framework=framework))
    for order, spec in enumerate(specs):
        IndicatorFactory(group=group, framework=framework, order=order, **spec)
    return framework


def open_return(department: Department, framework: IndicatorFramework, **fields) -> AnnualReturn:
    """Open the year's returns (idempotent) and give back this department's, with `fields` set."""
    returns_open_for_framework(framework=framework)
    annual_return = AnnualReturn.objects.select_related("department", "framework").get(
        department=department, year=framework.year
    )
    if fields:
        AnnualReturn.objects.filter(pk=annual_return.pk).update(**fields)
        annual_return.refresh_from_db()
    return annual_return


def value_row(annual_return: AnnualReturn, code: str) -> IndicatorValue:
    return IndicatorValue.objects.select_related("indicator").get(annual_return=annual_return, indicator__code=code)


__all__ = ["DepartmentFactory"]
