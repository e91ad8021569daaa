from decimal import Decimal

import factory

from indicators.models import (
    AdjustmentItem,
    Area,
    AssessmentPoint,
    GradeThreshold,
    Group,
    Indicator,
    IndicatorFramework,
    ScoringRule,
    ValidationRule,
    ValueType,
)
from indicators.services import framework_clone, framework_publish, indicator_update


class IndicatorFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorFramework

    name = "测试指标体系"
    # The sequence is shared with tests/assessments/factories.FrameworkFactory (same model), which a
    # session uses thousands of times: stay within the years a framework may have (2000–2100), and off
    # 2020–2029, the years tests fill by name: a published framework the sequence happened to give 2025
    # took that year's one published place from the scoring framework a test then asked for.
    year = factory.Sequence(lambda n: 2030 + n % 70)
    version = 1
    base_points = Decimal("10")


class PublishedFrameworkFactory(IndicatorFrameworkFactory):
    status = IndicatorFramework.Status.PUBLISHED


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    framework = factory.SubFactory(IndicatorFrameworkFactory)
    code = factory.Sequence(lambda n: f"A{n}")
    name = factory.Sequence(lambda n: f"一级指标{n}")
    max_points = Decimal("10")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    area = factory.SubFactory(AreaFactory)
    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"二级指标{n}")
    max_points = Decimal("10")


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A count indicator; use RateIndicatorFactory for a rate."""

    class Meta:
        model = Indicator

    group = factory.SubFactory(GroupFactory)
    framework = factory.LazyAttribute(lambda indicator: indicator.group.area.framework)
    code = factory.Sequence(lambda n: f"X{n}.1")
    name = factory.Sequence(lambda n: f"三级指标{n}")
    value_type = ValueType.COUNT
    unit = "件"
    max_points = Decimal("2")
    scoring_rule = ScoringRule.DEDUCT_PER_EVENT
    scoring_params = factory.LazyFunction(lambda: {"per_event": "0.5"})
    order = factory.Sequence(lambda n: n)


class RateIndicatorFactory(IndicatorFactory):
    value_type = ValueType.RATE
    unit = "%"
    numerator_label = "负责人出庭应诉案件数"
    denominator_label = "开庭审理案件数"
    target_operator = ">="
    target_value = Decimal("100")
    scoring_rule = ScoringRule.LINEAR
    scoring_params = factory.LazyFunction(lambda: {"floor": "90"})
    phrase_template = "行政机关负责人出庭应诉率{rate}%（{num}/{den}）"
    yoy_phrase_template = "较上年{direction}{delta}个百分点"
    empty_phrase = "全年无行政诉讼开庭审理案件"


class AssessmentPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentPoint

    indicator = factory.SubFactory(IndicatorFactory)
    code = factory.Sequence(lambda n: f"P{n}")
    text = "查阅会议纪要"


class ValidationRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ValidationRule

    indicator = factory.SubFactory(RateIndicatorFactory)
    framework = factory.LazyAttribute(lambda rule: rule.indicator.framework)
    code = factory.Sequence(lambda n: f"V{n}")
    expression = factory.LazyAttribute(lambda rule: f"{rule.indicator.code}.num <= {rule.indicator.code}.den")
    message = "负责人出庭应诉案件数不能大于开庭审理案件数"


class GradeThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeThreshold

    framework = factory.SubFactory(IndicatorFrameworkFactory)
    grade = GradeThreshold.Grade.EXCELLENT
    min_score = Decimal("90")


class AdjustmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdjustmentItem

    framework = factory.SubFactory(IndicatorFrameworkFactory)
    kind = AdjustmentItem.Kind.BONUS
    code = factory.Sequence(lambda n: f"K{n}")
    name = "获评示范地区"
    points = Decimal("1")


def small_framework(**framework_fields) -> IndicatorFramework:
    """A publishable two-indicator framework: area A (10) → group A1 (10) → A1.1 count (4) and
    G2.1 rate (6), one rule, one bonus and one veto item."""
    framework = IndicatorFrameworkFactory(**framework_fields)
    area = AreaFactory(framework=framework, code="A", max_points=Decimal("10"))
    group = GroupFactory(area=area, code="A1", max_points=Decimal("10"))
    IndicatorFactory(group=group, code="A1.1", name="专题研究次数", max_points=Decimal("4"), order=1)
    rate = RateIndicatorFactory(group=group, code="G2.1", name="负责人出庭应诉率", max_points=Decimal("6"), order=2)
    ValidationRuleFactory(indicator=rate, code="VG2.1")
    AdjustmentItemFactory(framework=framework, code="K1")
    AdjustmentItemFactory(framework=framework, code="X1", kind=AdjustmentItem.Kind.VETO, points=0)
    return framework


RENAMED_FROM, RENAMED_TO, RENAMED_NAME = "G2.1", "G2.5", "行政机关负责人出庭应诉比例"


def two_years_with_a_rename() -> tuple[IndicatorFramework, IndicatorFramework]:
    """A published 2024 small_framework and its 2025 edition made the way administrators make it:
    cloned, the rate G2.1 renamed to G2.5 with previous_code G2.1, published. (2024, 2025)."""
    last_year = framework_publish(framework=small_framework(year=2024))
    this_year = framework_clone(framework=last_year, year=2025)
    indicator_update(
        indicator=this_year.indicators.get(code=RENAMED_FROM),
        code=RENAMED_TO,
        previous_code=RENAMED_FROM,
        name=RENAMED_NAME,
    )
    return last_year, framework_publish(framework=this_year)
