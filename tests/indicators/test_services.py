import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from indicators.models import IndicatorFramework
from indicators.selectors import indicator_predecessors, previous_framework
from indicators.services import (
    FrameworkLocked,
    framework_archive,
    framework_clone,
    framework_delete,
    framework_ensure_editable,
    framework_has_returns,
    framework_problems,
    framework_publish,
    framework_reopen,
    indicator_update,
)
from tests.factories import DepartmentFactory

from .factories import AreaFactory, IndicatorFrameworkFactory, small_framework

pytestmark = pytest.mark.django_db
Status = IndicatorFramework.Status


def test_a_small_framework_has_no_problems():
    assert framework_problems(small_framework()) == []


def test_publishing_a_draft_makes_it_published():
    framework = framework_publish(framework=small_framework())
    assert framework.status == Status.PUBLISHED
    assert framework.published_at is not None


def test_publishing_archives_the_edition_published_before_for_that_year():
    first = framework_publish(framework=small_framework(year=2030))
    second = framework_clone(framework=first, year=2030)
    framework_publish(framework=second)
    first.refresh_from_db()
    assert first.status == Status.ARCHIVED
    assert second.version == 2


def test_a_framework_whose_areas_do_not_add_up_to_the_base_points_cannot_be_published():
    framework = small_framework(base_points=Decimal(100))
    with pytest.raises(ValidationError, match="与基础分"):
        framework_publish(framework=framework)
    framework.refresh_from_db()
    assert framework.status == Status.DRAFT


def test_an_area_whose_groups_cannot_reach_its_points_is_reported():
    framework = small_framework(base_points=Decimal(20))
    AreaFactory(framework=framework, code="B", max_points=Decimal(10))
    assert any("低于本级分值" in problem for problem in framework_problems(framework))


def test_an_empty_framework_is_not_publishable():
    assert "指标体系还没有三级指标" in framework_problems(IndicatorFrameworkFactory(base_points=0))


def test_only_drafts_are_published():
    framework = framework_publish(framework=small_framework())
    with pytest.raises(ValidationError, match="草稿"):
        framework_publish(framework=framework)


def test_a_published_framework_is_locked():
    framework = framework_publish(framework=small_framework())
    with pytest.raises(FrameworkLocked, match="复制为新版本"):
        framework_ensure_editable(framework)


def test_an_indicator_of_a_published_framework_cannot_be_changed():
    framework = framework_publish(framework=small_framework())
    with pytest.raises(FrameworkLocked):
        indicator_update(indicator=framework.indicators.get(code="A1.1"), name="新名称")


def test_a_published_framework_cannot_be_deleted():
    framework = framework_publish(framework=small_framework())
    with pytest.raises(FrameworkLocked):
        framework_delete(framework=framework)


def test_a_draft_can_be_deleted():
    framework = small_framework()
    framework_delete(framework=framework)
    assert not IndicatorFramework.objects.filter(pk=framework.pk).exists()


def test_an_indicator_of_a_draft_can_be_renamed_with_its_previous_code():
    framework = small_framework()
    indicator = indicator_update(indicator=framework.indicators.get(code="A1.1"), code="A1.9", previous_code="A1.1")
    indicator.refresh_from_db()
    assert (indicator.code, indicator.previous_code) == ("A1.9", "A1.1")


def test_unknown_indicator_fields_are_refused():
    framework = small_framework()
    with pytest.raises(ValueError, match="unknown"):
        indicator_update(indicator=framework.indicators.first(), framework=None)


def test_without_returns_app_models_nothing_references_a_framework():
    assert framework_has_returns(small_framework()) is False


def test_a_published_framework_without_returns_can_go_back_to_draft():
    framework = framework_reopen(framework=framework_publish(framework=small_framework()))
    assert framework.status == Status.DRAFT
    assert framework.published_at is None


def _file_a_return(framework):
    annual_return = apps.get_model("assessments", "AnnualReturn")
    return annual_return.objects.create(
        department=DepartmentFactory(), framework=framework, year=framework.year, deadline=datetime.date(2026, 3, 1)
    )


def test_a_return_filed_against_a_framework_is_noticed():
    framework = framework_publish(framework=small_framework())
    _file_a_return(framework)
    assert framework_has_returns(framework) is True


def test_a_published_framework_with_returns_cannot_go_back_to_draft():
    framework = framework_publish(framework=small_framework())
    _file_a_return(framework)
    with pytest.raises(FrameworkLocked, match="已有单位"):
        framework_reopen(framework=framework)


def test_only_published_frameworks_are_reopened():
    with pytest.raises(ValidationError):
        framework_reopen(framework=small_framework())


def test_archiving_is_final_and_not_repeated():
    framework = framework_archive(framework=small_framework())
    assert framework.status == Status.ARCHIVED
    with pytest.raises(ValidationError):
        framework_archive(framework=framework)


def test_cloning_makes_a_draft_for_the_next_year_linked_to_its_source():
    source = framework_publish(framework=small_framework(year=2031))
    clone = framework_clone(framework=source)
    assert (clone.year, clone.version, clone.status, clone.cloned_from) == (2032, 1, Status.DRAFT, source)


def test_cloning_copies_the_whole_tree_rules_and_lists():
    source = small_framework()
    clone = framework_clone(framework=source)
    assert sorted(clone.indicators.values_list("code", flat=True)) == ["A1.1", "G2.1"]
    assert clone.validation_rules.get().indicator.code == "G2.1"
    assert clone.adjustment_items.count() == 2
    assert clone.areas.get().groups.get().indicators.count() == 2


def test_cloning_moves_deadlines_to_the_new_year():
    source = small_framework(year=2023)
    indicator = source.indicators.get(code="A1.1")
    indicator.target_date = datetime.date(2024, 2, 29)
    indicator.save(update_fields=["target_date"])
    clone = framework_clone(framework=source)
    assert clone.indicators.get(code="A1.1").target_date == datetime.date(2025, 2, 28)


def test_cloning_leaves_the_source_untouched():
    source = framework_publish(framework=small_framework())
    framework_clone(framework=source)
    source.refresh_from_db()
    assert source.status == Status.PUBLISHED
    assert source.indicators.count() == 2


def test_a_renamed_indicator_still_finds_last_years_indicator():
    source = framework_publish(framework=small_framework(year=2040))
    clone = framework_clone(framework=source)
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.1")
    predecessors = indicator_predecessors(clone)
    assert [old.code for old in predecessors["G2.9"]] == ["G2.1"]
    assert predecessors["G2.9"][0].framework == source


def test_last_years_edition_is_found_without_a_clone_link():
    old = framework_publish(framework=small_framework(year=2050))
    new = small_framework(year=2051)
    assert previous_framework(new) == old
    assert indicator_predecessors(new)["A1.1"][0].framework == old


def test_a_first_edition_has_no_predecessors():
    assert indicator_predecessors(small_framework(year=2060)) == {"A1.1": [], "G2.1": []}


def test_a_new_code_is_carried_into_rules_and_formulas():
    framework = small_framework()
    indicator_update(
        indicator=framework.indicators.get(code="A1.1"),
        formula="G2.1.num + G2.10",
        scoring_rule="deduct_per_event",
        scoring_params={"per_event": "1", "events": "G2.1.den - G2.1.num"},
    )
    indicator_update(indicator=framework.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.1")
    assert framework.validation_rules.get().expression == "G2.9.num <= G2.9.den"
    other = framework.indicators.get(code="A1.1")
    assert other.formula == "G2.9.num + G2.10"
    assert other.scoring_params["events"] == "G2.9.den - G2.9.num"


def test_a_previous_code_missing_from_last_years_edition_blocks_publishing():
    source = framework_publish(framework=small_framework(year=2080))
    clone = framework_clone(framework=source)
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.7")
    assert framework_problems(clone) == ["G2.9 的上年编码 G2.7 在2080年指标体系中不存在"]
