"""Comparing two editions (indicators/comparison.py): indicators through previous_code, and the
settings, areas, groups, rules, grade lines and 加减分/否决 items that make up the rest."""

from decimal import Decimal

import pytest

from indicators.comparison import ItemChange, framework_compare
from indicators.models import AdjustmentItem, GradeThreshold, ValidationRule
from indicators.services import framework_clone, framework_load_default, indicator_update

from .factories import GradeThresholdFactory, ValidationRuleFactory, small_framework

pytestmark = pytest.mark.django_db


def changes_of(item) -> set[tuple[str, str, str]]:
    return {(change.label, change.old, change.new) for change in item.changes}


def test_comparing_a_clone_with_its_source_finds_no_changes():
    source = small_framework()
    comparison = framework_compare(old=source, new=framework_clone(framework=source))
    assert (comparison.added, comparison.removed, comparison.changed, comparison.unchanged_count) == ([], [], [], 2)


def test_comparing_finds_added_removed_and_changed_indicators(django_assert_max_num_queries):
    source = small_framework()
    clone = framework_clone(framework=source)
    indicator_update(indicator=clone.indicators.get(code="A1.1"), name="专题研究法治政府建设次数", max_points=5)
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="N1")  # no previous_code: a new indicator
    with django_assert_max_num_queries(7):
        comparison = framework_compare(old=source, new=clone)
    assert [indicator.code for indicator in comparison.added] == ["N1"]
    assert [indicator.code for indicator in comparison.removed] == ["G2.1"]
    [change] = comparison.changed
    assert {(field.label, field.old, field.new) for field in change.changes} == {
        ("三级指标名称", "专题研究次数", "专题研究法治政府建设次数"),
        ("分值", "4", "5"),
    }


def test_a_renamed_code_with_previous_code_is_a_change_not_a_removal():
    source = small_framework()
    clone = framework_clone(framework=source)
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.1")
    comparison = framework_compare(old=source, new=clone)
    assert comparison.added == comparison.removed == []
    [change] = comparison.changed
    assert change.is_renamed_code
    assert change.changes[0].label == "编码"


def test_a_merge_names_its_sources():
    source = small_framework()
    clone = framework_clone(framework=source)
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="M1", previous_code="A1.1,G2.1")
    clone.indicators.get(code="A1.1").delete()
    comparison = framework_compare(old=source, new=clone)
    [change] = comparison.changed
    assert change.changes[0].old == "A1.1、G2.1"
    assert comparison.removed == []


def test_comparing_the_default_framework_with_next_years_clone_stays_within_seven_queries(
    django_assert_max_num_queries,
):
    source, _ = framework_load_default()
    clone = framework_clone(framework=source)
    with django_assert_max_num_queries(7):
        comparison = framework_compare(old=source, new=clone)
    assert comparison.changed == []  # deadlines moved with the year are not changes
    assert not comparison.has_other_changes


@pytest.fixture
def pair():
    """A small framework (with a 合格 line) and its clone, to be changed by each test."""
    source = small_framework()
    GradeThresholdFactory(framework=source, grade=GradeThreshold.Grade.PASS, min_score=Decimal("6"))
    return source, framework_clone(framework=source)


def test_report_phrasing_and_scoring_note_changes_are_listed(pair):
    source, clone = pair
    indicator_update(
        indicator=clone.indicators.get(code="G2.1"),
        phrase_template="负责人出庭应诉率达到{rate}%",
        empty_phrase="全年无开庭审理的行政诉讼案件",
        scoring_note="低于90%不得分",
    )
    [change] = framework_compare(old=source, new=clone).changed
    assert changes_of(change) == {
        ("报告表述", "行政机关负责人出庭应诉率{rate}%（{num}/{den}）", "负责人出庭应诉率达到{rate}%"),
        ("无此类事项表述", "全年无行政诉讼开庭审理案件", "全年无开庭审理的行政诉讼案件"),
        ("评分标准说明", "", "低于90%不得分"),
    }


def test_framework_settings_changes_are_listed(pair):
    source, clone = pair
    clone.bonus_cap, clone.yoy_swing_percent = Decimal("3"), Decimal("30")
    clone.save(update_fields=["bonus_cap", "yoy_swing_percent"])
    comparison = framework_compare(old=source, new=clone)
    assert {(c.label, c.old, c.new) for c in comparison.settings} == {
        ("加分上限", "5", "3"),
        ("同比波动阈值（%）", "50", "30"),
    }
    assert comparison.has_other_changes


def test_area_and_group_points_and_names_are_compared(pair):
    source, clone = pair
    clone.areas.filter(code="A").update(max_points=Decimal("12"))
    clone.areas.get(code="A").groups.filter(code="A1").update(name="依法决策", max_points=Decimal("12"))
    comparison = framework_compare(old=source, new=clone)
    [area] = comparison.areas
    [group] = comparison.groups
    assert (area.code, area.status, changes_of(area)) == ("A", ItemChange.CHANGED, {("分值", "10", "12")})
    old_name = source.areas.get(code="A").groups.get(code="A1").name
    assert changes_of(group) == {("二级指标名称", old_name, "依法决策"), ("分值", "10", "12")}


def test_validation_rules_added_removed_and_changed_are_listed(pair):
    source, clone = pair
    clone.validation_rules.filter(code="VG2.1").update(
        expression="G2.1.num <= G2.1.den + 0", severity=ValidationRule.Severity.WARNING
    )
    ValidationRuleFactory(indicator=clone.indicators.get(code="G2.1"), code="VNEW", expression="G2.1.den <= 500")
    rules = {rule.code: rule for rule in framework_compare(old=source, new=clone).rules}
    assert rules["VNEW"].status == ItemChange.ADDED
    assert changes_of(rules["VG2.1"]) == {
        ("严重程度", "错误（阻止提交）", "提醒（须填写说明）"),
        ("校验公式", "G2.1.num <= G2.1.den", "G2.1.num <= G2.1.den + 0"),
    }


def test_a_rule_that_only_follows_a_renamed_indicator_is_not_a_change(pair):
    source, clone = pair
    indicator_update(indicator=clone.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.1")
    comparison = framework_compare(old=source, new=clone)
    assert clone.validation_rules.get(code="VG2.1").expression == "G2.9.num <= G2.9.den"
    assert comparison.rules == ()
    assert [change.new.code for change in comparison.changed] == ["G2.9"]


def test_a_removed_rule_is_listed(pair):
    source, clone = pair
    clone.validation_rules.filter(code="VG2.1").delete()
    [rule] = framework_compare(old=source, new=clone).rules
    assert (rule.code, rule.status_label) == ("VG2.1", "删除")


def test_grade_threshold_changes_are_listed(pair):
    source, clone = pair
    clone.grade_thresholds.filter(grade=GradeThreshold.Grade.PASS).update(min_score=Decimal("7"))
    GradeThresholdFactory(framework=clone, grade=GradeThreshold.Grade.EXCELLENT, min_score=Decimal("9"))
    lines = {
        (line.name, line.status): changes_of(line) for line in framework_compare(old=source, new=clone).grade_thresholds
    }
    assert lines == {("合格", ItemChange.CHANGED): {("最低分", "6", "7")}, ("优秀", ItemChange.ADDED): set()}


def test_bonus_and_veto_item_changes_are_listed(pair):
    source, clone = pair
    clone.adjustment_items.filter(code="K1").update(points=Decimal("2"), max_points=Decimal("4"))
    clone.adjustment_items.filter(code="X1").delete()
    items = {item.code: item for item in framework_compare(old=source, new=clone).adjustments}
    assert changes_of(items["K1"]) == {("每次分值", "1", "2"), ("本项上限", "", "4")}
    assert items["X1"].status == ItemChange.REMOVED
    assert items["X1"].name == f"{AdjustmentItem.Kind.VETO.label}：获评示范地区"
