from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import AnnualReturn, IndicatorValue
from assessments.selectors.returns import return_data_load
from assessments.services.opening import returns_open_for_framework
from indicators import demo
from indicators.comparison import framework_compare
from indicators.lineage import carry_forward
from indicators.models import IndicatorFramework
from indicators.readings import IndicatorReading
from indicators.selectors import indicator_predecessors
from indicators.services import framework_load_default

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


def linked_editions() -> tuple[IndicatorFramework, IndicatorFramework]:
    """The one published edition of each demo year, asserting the 2025 one continues 2024."""
    previous = IndicatorFramework.objects.get(year=2024, status=Status.PUBLISHED)
    current = IndicatorFramework.objects.get(year=2025, status=Status.PUBLISHED)
    assert current.cloned_from == previous
    assert current.indicators.get(code="A1.3").previous_code == "A1.5"
    assert previous.indicators.filter(code="A1.5").exists() and not previous.indicators.filter(code="A1.3").exists()
    return previous, current


@pytest.mark.parametrize("publish", [False, True], ids=["draft", "published"])
def test_after_load_default_framework_the_demo_replaces_its_unlinked_2025_edition(publish):
    call_command("load_default_framework", *(["--publish"] if publish else []), stdout=StringIO())
    out = StringIO()
    demo.seed(stdout=out)
    linked_editions()
    assert IndicatorFramework.objects.count() == 2
    assert "替换单独载入的" in out.getvalue()


def test_after_load_default_framework_for_2024_the_demo_gives_it_the_old_code_and_publishes_it():
    call_command("load_default_framework", "--year", "2024", stdout=StringIO())
    loaded = IndicatorFramework.objects.get()
    demo.seed()
    previous, _ = linked_editions()
    assert previous == loaded


def test_an_unlinked_2025_edition_with_returns_is_left_alone(cast):
    loaded, _ = framework_load_default(year=2025, publish=True)
    returns_open_for_framework(framework=loaded)
    out = StringIO()
    demo.seed(stdout=out)
    assert IndicatorFramework.objects.get(year=2025) == loaded
    assert loaded.cloned_from is None
    assert "已有填报，未作改动" in out.getvalue()


def test_load_default_framework_then_seed_demo_builds_the_demo_on_the_linked_editions():
    """The whole demo after the command, as a newcomer might run them: the returns of both years
    are filed on the linked editions and last year's 述法 figure reaches A1.3 through the rename."""
    call_command("load_default_framework", "--publish", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    previous, current = linked_editions()
    assert not AnnualReturn.objects.exclude(framework__in=[previous, current]).exists()
    annual_return = AnnualReturn.objects.filter(
        framework=current, values__indicator__code="A1.3", department__in=previous.annual_returns.values("department")
    ).first()
    old_row = IndicatorValue.objects.get(
        annual_return__framework=previous, annual_return__department=annual_return.department, indicator__code="A1.5"
    )
    carried = return_data_load(annual_return).previous_readings["A1.3"]
    assert (carried.numerator, carried.denominator) == (old_row.numerator, old_row.denominator)
