import pytest

from accounts.models import Department
from indicators.selectors import (
    framework_published_for_year,
    framework_tree,
    indicators_for_department_kind,
)
from indicators.services import framework_load_default, framework_publish

from .factories import AssessmentPointFactory, small_framework

pytestmark = pytest.mark.django_db


def test_the_tree_comes_in_order_with_points_and_rules(django_assert_num_queries):
    framework = small_framework()
    AssessmentPointFactory(indicator=framework.indicators.get(code="A1.1"), text="查阅会议纪要")
    with django_assert_num_queries(8):
        tree = framework_tree(framework)
        [area] = tree.areas
        [group] = area.groups
        assert [node.indicator.code for node in group.indicator_nodes] == ["A1.1", "G2.1"]
        assert group.indicator_nodes[0].assessment_points[0].text == "查阅会议纪要"
        assert group.indicator_nodes[1].validation_rules[0].code == "VG2.1"
        assert len(tree.adjustments_of("veto")) == 1


def test_the_tree_query_count_does_not_grow_with_the_framework(django_assert_max_num_queries):
    framework, _ = framework_load_default()
    expected = framework.indicators.count()
    with django_assert_max_num_queries(8):
        tree = framework_tree(framework)
        assert len(tree.indicators) == expected


def test_the_tree_can_be_limited_to_one_department_kind():
    framework, _ = framework_load_default()
    tree = framework_tree(framework, department_kind=Department.Kind.TOWNSHIP)
    assert all(indicator.applies_to_township for indicator in tree.indicators)
    assert 0 < len(tree.indicators) < framework.indicators.count()


def test_indicators_for_a_department_kind_are_in_tree_order():
    framework, _ = framework_load_default()
    codes = list(
        indicators_for_department_kind(framework=framework, kind=Department.Kind.WORKING_DEPARTMENT).values_list(
            "code", flat=True
        )
    )
    assert codes[0] == "A1.1"
    assert "G1.3" not in codes  # 复议机关 only
    assert codes.index("E1.2") < codes.index("G1.1")


def test_the_published_edition_of_a_year_is_found():
    framework = framework_publish(framework=small_framework(year=2070))
    small_framework(year=2070, version=2)
    assert framework_published_for_year(2070) == framework
    assert framework_published_for_year(2071) is None
