from decimal import Decimal

import pytest

from indicators import demo
from indicators.lineage import carry_forward
from indicators.models import IndicatorFramework
from indicators.readings import IndicatorReading
from indicators.selectors import framework_compare, indicator_predecessors

pytestmark = pytest.mark.django_db
Status = IndicatorFramework.Status


def test_the_demo_has_a_published_2024_and_a_published_2025_edition():
    demo.seed()
    assert set(IndicatorFramework.objects.values_list("year", "status")) == {
        (2024, Status.PUBLISHED),
        (2025, Status.PUBLISHED),
    }


def test_the_demo_can_be_seeded_twice_without_duplicates():
    demo.seed()
    demo.seed()
    assert IndicatorFramework.objects.count() == 2


def test_the_2025_edition_is_cloned_from_2024():
    demo.seed()
    current = IndicatorFramework.objects.get(year=2025)
    assert current.cloned_from.year == 2024


def test_the_renamed_indicator_links_the_two_years_values():
    demo.seed()
    current = IndicatorFramework.objects.get(year=2025)
    predecessors = indicator_predecessors(current)
    assert [old.code for old in predecessors["A1.3"]] == ["A1.5"]
    last_year = {"A1.5": IndicatorReading(numerator=Decimal(40), denominator=Decimal(50))}
    codes = {code: [old.code for old in olds] for code, olds in predecessors.items()}
    assert carry_forward(codes, last_year)["A1.3"].rate == Decimal("80.00")


def test_the_comparison_shows_the_rename_as_a_change():
    demo.seed()
    old, new = IndicatorFramework.objects.get(year=2024), IndicatorFramework.objects.get(year=2025)
    comparison = framework_compare(old=old, new=new)
    assert comparison.added == comparison.removed == []
    [change] = comparison.changed
    assert (change.old.code, change.new.code) == ("A1.5", "A1.3")


def test_the_renamed_indicators_rule_follows_its_new_code():
    demo.seed()
    current = IndicatorFramework.objects.get(year=2025)
    rule = current.validation_rules.get(indicator__code="A1.3")
    assert rule.expression == "A1.3.num <= A1.3.den"


def test_predecessors_take_a_fixed_number_of_queries_whatever_the_indicator_count(django_assert_num_queries):
    demo.seed()
    current = IndicatorFramework.objects.get(year=2025)
    with django_assert_num_queries(3):  # previous edition, its indicators, this edition's codes
        indicator_predecessors(current)
