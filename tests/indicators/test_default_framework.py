"""The shipped 法治政府建设年度考核指标体系 (indicators/data/default_framework.json)."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.models import (
    AdjustmentItem,
    Indicator,
    IndicatorFramework,
    IndicatorNature,
    ScoringRule,
    ValueType,
)
from indicators.phrasing import render_phrase
from indicators.readings import IndicatorReading
from indicators.scoring import score_indicator
from indicators.services import DEFAULT_FRAMEWORK_FILE, framework_load_default, framework_problems
from indicators.validation import check_rules

pytestmark = pytest.mark.django_db

AREAS = [
    "组织领导与法治保障",
    "政府职能依法全面履行",
    "依法行政制度体系（规范性文件）",
    "重大行政决策",
    "行政执法",
    "突发事件应对",
    "社会矛盾纠纷化解",
    "行政权力制约和监督",
    "数字法治政府",
    "社会评价",
]


@pytest.fixture
def framework() -> IndicatorFramework:
    return framework_load_default()[0]


def each(indicators) -> list[Indicator]:
    """The indicators a test checks one by one; none at all would let it pass without checking."""
    found = list(indicators)
    assert found, "the shipped framework has no indicator of this kind"
    return found


def test_it_has_the_ten_areas_in_order(framework):
    assert list(framework.areas.order_by("order").values_list("name", flat=True)) == AREAS


def test_it_has_at_least_eighty_leaf_indicators(framework):
    assert framework.indicators.count() >= 80


def test_its_areas_add_up_to_one_hundred_base_points(framework):
    assert sum(area.max_points for area in framework.areas.all()) == Decimal(100)
    assert sum(indicator.max_points for indicator in framework.indicators.all()) == Decimal(100)


def test_it_is_publishable_as_shipped(framework):
    assert framework_problems(framework) == []


def test_every_indicator_has_a_legal_basis_and_a_scoring_note(framework):
    assert list(framework.indicators.filter(legal_basis="").values_list("code", flat=True)) == []
    assert list(framework.indicators.filter(scoring_note="").values_list("code", flat=True)) == []


def test_each_scoring_note_states_its_rules_floor_or_points_per_event(framework):
    """The note is what departments read (the tree page shows it); it must not contradict the rule."""
    wrong = []
    for indicator in each(framework.indicators.all()):
        params = indicator.scoring_params
        expected = {
            ScoringRule.LINEAR: f"低于{params.get('floor')}%" if params.get("floor") else "",
            ScoringRule.DEDUCT_PER_EVENT: f"扣{params.get('per_event')}分",
            ScoringRule.DEDUCT_PER_SHORTFALL: f"扣{params.get('per_unit')}分",
            ScoringRule.JUDGEMENT: f"{params.get('min')}—{params.get('max')}分",
        }.get(indicator.scoring_rule, "")
        if expected not in indicator.scoring_note:
            wrong.append((indicator.code, indicator.scoring_note, expected))
    assert wrong == []


def test_every_indicator_but_free_text_has_a_report_phrasing(framework):
    """Free-text answers go into the report as the department wrote them (reports/area_narratives)."""
    unphrased = framework.indicators.exclude(value_type=ValueType.TEXT).filter(phrase_template="")
    assert list(unphrased.values_list("code", flat=True)) == []


def test_yes_no_phrasings_are_affirmative_sentences_said_only_for_yes(framework):
    for indicator in each(framework.indicators.filter(value_type=ValueType.BOOLEAN)):
        assert "{" not in indicator.phrase_template, indicator.code
        assert render_phrase(indicator, IndicatorReading(value=True)) == indicator.phrase_template
        assert render_phrase(indicator, IndicatorReading(value=False)) == ""


def test_count_phrasings_show_the_figure_and_compare_it_with_last_year(framework):
    for indicator in each(framework.indicators.filter(value_type=ValueType.COUNT)):
        sentence = render_phrase(indicator, IndicatorReading(value=Decimal(3)), IndicatorReading(value=Decimal(1)))
        assert f"3{indicator.unit}" in sentence and f"较上年增加2{indicator.unit}" in sentence, indicator.code


@pytest.mark.parametrize(
    ("name_part", "target"),
    [("出庭应诉率", "100"), ("报备率", "100"), ("依申请公开法定期限内答复率", "100"), ("合法性审查率", "100")],
)
def test_key_targets_are_one_hundred_percent(framework, name_part, target):
    indicator = framework.indicators.get(name__contains=name_part)
    assert (indicator.value_type, indicator.target_operator, indicator.target_value) == (
        ValueType.RATE,
        ">=",
        Decimal(target),
    )


def test_every_rate_has_a_numerator_rule_and_a_no_cases_phrase(framework):
    rates = framework.indicators.filter(value_type=ValueType.RATE)
    each(rates)
    ruled = set(
        framework.validation_rules.filter(expression__contains=".num <=").values_list("indicator__code", flat=True)
    )
    assert set(rates.values_list("code", flat=True)) <= ruled
    assert not rates.filter(empty_phrase="").exists()


def test_it_ships_bonus_and_veto_lists(framework):
    kinds = set(framework.adjustment_items.values_list("kind", flat=True))
    assert kinds == {AdjustmentItem.Kind.BONUS, AdjustmentItem.Kind.DEDUCTION, AdjustmentItem.Kind.VETO}
    assert framework.bonus_cap == Decimal(5)


def test_the_court_appearance_indicator_scores_and_checks_as_expected(framework):
    indicator = framework.indicators.get(code="G2.1")
    assert score_indicator(indicator, IndicatorReading(numerator=Decimal(19), denominator=Decimal(20))).points == (
        Decimal("1.90")
    )
    [issue] = check_rules(
        indicator.validation_rules.all(), {"G2.1": IndicatorReading(numerator=Decimal(3), denominator=Decimal(2))}
    )
    assert issue.message == "负责人出庭应诉案件数不能大于开庭审理案件数"


def test_every_indicator_scores_without_error_on_a_plausible_reading(framework):
    for indicator in each(framework.indicators.filter(nature=IndicatorNature.ASSESSED)):
        reading = {
            ValueType.RATE: IndicatorReading(numerator=Decimal(9), denominator=Decimal(10)),
            ValueType.COUNT: IndicatorReading(value=Decimal(2)),
            ValueType.AMOUNT: IndicatorReading(value=Decimal(88)),
            ValueType.BOOLEAN: IndicatorReading(value=True),
            ValueType.MULTIPLE_CHOICE: IndicatorReading(value=tuple(indicator.options[:4])),
            ValueType.TEXT: IndicatorReading(value="情况说明"),
        }.get(indicator.value_type, IndicatorReading(value=indicator.target_date))
        score = score_indicator(indicator, reading)
        assert Decimal(0) <= score.points <= indicator.max_points, indicator.code


def test_judgement_indicators_have_a_range(framework):
    for indicator in each(framework.indicators.filter(scoring_rule=ScoringRule.JUDGEMENT)):
        assert indicator.scoring_params == {"min": "0", "max": f"{indicator.max_points.normalize():f}"}


def test_loading_twice_changes_nothing(framework):
    again, created = framework_load_default()
    assert (again, created) == (framework, False)
    assert IndicatorFramework.objects.count() == 1
    assert Indicator.objects.count() == framework.indicators.count()


def test_the_command_loads_it_once_and_can_publish(capsys):
    call_command("load_default_framework", "--publish")
    call_command("load_default_framework")
    out = capsys.readouterr().out
    assert "已载入" in out
    assert "已存在" in out
    assert IndicatorFramework.objects.get().status == IndicatorFramework.Status.PUBLISHED


def test_the_command_can_load_it_for_another_year():
    call_command("load_default_framework", "--year", "2027", stdout=None)
    framework = IndicatorFramework.objects.get()
    assert framework.year == 2027
    # 年度报告按时报送: 3月1日 of the year after the assessed year
    assert framework.indicators.get(code="A2.1").target_date.isoformat() == "2028-03-01"


def test_the_data_file_is_plain_json_in_the_repository():
    document = json.loads(DEFAULT_FRAMEWORK_FILE.read_text(encoding="utf-8"))
    assert document["framework"]["name"] == "法治政府建设年度考核指标体系"
