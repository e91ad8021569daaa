import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Department
from indicators.models import GradeThreshold, Indicator, IndicatorFramework, IndicatorProvision, ValueType

from .factories import (
    GradeThresholdFactory,
    GroupFactory,
    IndicatorFactory,
    IndicatorFrameworkFactory,
    PublishedFrameworkFactory,
    RateIndicatorFactory,
)

pytestmark = pytest.mark.django_db


def test_only_one_edition_per_year_can_be_published():
    PublishedFrameworkFactory(year=2025, version=1)
    with pytest.raises(IntegrityError):
        PublishedFrameworkFactory(year=2025, version=2)


def test_year_and_version_are_unique():
    IndicatorFrameworkFactory(year=2025, version=1)
    with pytest.raises(IntegrityError):
        IndicatorFrameworkFactory(year=2025, version=1)


def test_indicator_codes_are_unique_within_a_framework():
    indicator = IndicatorFactory(code="G2.1")
    with pytest.raises(IntegrityError):
        IndicatorFactory(code="G2.1", group=indicator.group)


def test_the_same_code_may_appear_in_another_years_framework():
    IndicatorFactory(code="G2.1")
    IndicatorFactory(code="G2.1")
    assert Indicator.objects.filter(code="G2.1").count() == 2


def test_fail_has_no_threshold_of_its_own():
    with pytest.raises(IntegrityError):
        GradeThresholdFactory(grade=GradeThreshold.Grade.FAIL, min_score=0)


def test_a_rate_needs_numerator_and_denominator_labels():
    indicator = RateIndicatorFactory.build(group=GroupFactory(), numerator_label="")
    indicator.framework = indicator.group.area.framework
    with pytest.raises(ValidationError, match="分子和分母"):
        indicator.clean()


def test_a_choice_indicator_needs_options():
    group = GroupFactory()
    indicator = IndicatorFactory.build(
        group=group, framework=group.area.framework, value_type=ValueType.SINGLE_CHOICE, options=[]
    )
    with pytest.raises(ValidationError, match="选项"):
        indicator.clean()


def test_an_indicator_must_belong_to_its_groups_framework():
    indicator = IndicatorFactory.build(group=GroupFactory(), framework=IndicatorFrameworkFactory())
    with pytest.raises(ValidationError, match="不属于"):
        indicator.clean()


def test_predecessor_codes_default_to_the_indicators_own_code():
    assert Indicator(code="G2.1").predecessor_codes == ["G2.1"]


def test_predecessor_codes_follow_a_rename_or_a_merge():
    assert Indicator(code="A1.3", previous_code="A1.5").predecessor_codes == ["A1.5"]
    assert Indicator(code="M1", previous_code="X1，X2, X3").predecessor_codes == ["X1", "X2", "X3"]


def test_applicability_follows_the_department_kind():
    indicator = Indicator(applies_to_government=True, applies_to_department=False, applies_to_township=True)
    assert indicator.applies_to(Department.Kind.GOVERNMENT)
    assert not indicator.applies_to(Department.Kind.WORKING_DEPARTMENT)
    assert indicator.applicability_display == "政府、乡镇街道"


def test_target_display_reads_naturally():
    rate = Indicator(value_type=ValueType.RATE, target_operator=">=", target_value=Decimal("100"))
    count = Indicator(value_type=ValueType.COUNT, unit="件", target_operator="<=", target_value=Decimal(0))
    assert rate.target_display == "≥100%"
    assert count.target_display == "≤0件"
    assert Indicator(target_date=datetime.date(2026, 3, 1)).target_display == "2026年3月1日前"
    assert Indicator(target_note="一季度内公布").target_display == "一季度内公布"


def test_a_draft_is_editable_and_a_published_edition_is_not():
    assert IndicatorFramework(status=IndicatorFramework.Status.DRAFT).is_editable
    assert not IndicatorFramework(status=IndicatorFramework.Status.PUBLISHED).is_editable
    assert not IndicatorFramework(status=IndicatorFramework.Status.ARCHIVED).is_editable


def test_an_indicators_provision_is_the_same_read_from_select_related_or_queried(django_assert_num_queries):
    """Indicator.provision takes a provision select_related left (None for most indicators) without a
    query or the descriptor's exception, queries when nothing was loaded, and sees one created since."""
    provider = Department.objects.create(name="市中级人民法院", code="COURT", kind=Department.Kind.WORKING_DEPARTMENT)
    provided, own = IndicatorFactory(code="P1"), IndicatorFactory(code="O1")
    IndicatorProvision.objects.create(indicator=provided, provider=provider)
    loaded = {
        item.code: item
        for item in Indicator.objects.filter(pk__in=[provided.pk, own.pk]).select_related("provision_row__provider")
    }
    with django_assert_num_queries(0):
        assert loaded["O1"].provision is None and not loaded["O1"].is_provided
        assert loaded["P1"].provision.provider == provider and loaded["P1"].is_wholly_provided
    fresh_own, fresh_provided = Indicator.objects.get(pk=own.pk), Indicator.objects.get(pk=provided.pk)
    with django_assert_num_queries(2):
        assert fresh_own.provision is None
        assert fresh_provided.provision.pk == provided.provision_row.pk
    with django_assert_num_queries(0):
        assert fresh_own.provision is None  # the miss is remembered, as select_related's
    IndicatorProvision.objects.create(indicator=loaded["O1"], provider=provider)
    assert loaded["O1"].provision is not None and loaded["O1"].is_provided
