"""Statistical indicators (统计指标): figures reports cite, with no points and no scoring rule."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.comparison import framework_compare
from indicators.exporting import framework_to_data, framework_to_xlsx
from indicators.importing import check_framework_data, data_from_xlsx
from indicators.models import Indicator, IndicatorNature, ScoringRule
from indicators.readings import IndicatorReading
from indicators.scoring import score_indicator
from indicators.services import framework_clone, framework_import, framework_load_default, indicator_update

from .factories import IndicatorFactory, small_framework

pytestmark = pytest.mark.django_db

STATISTICAL = {
    "nature": IndicatorNature.STATISTICAL,
    "max_points": Decimal(0),
    "scoring_rule": "",
    "required_for_government": False,
    "required_for_department": False,
    "required_for_township": False,
}


def statistical_row(**overrides) -> dict:
    row = {
        "level": "indicator",
        "code": "A1.9",
        "parent_code": "A1",
        "name": "一审行政应诉案件数",
        "nature": IndicatorNature.STATISTICAL,
        "value_type": "count",
        "unit": "件",
        "max_points": None,
        "scoring_rule": "",
        "scoring_params": {},
        "phrase_template": "一审行政应诉案件{value}件",
    }
    return {**row, **overrides}


def test_the_default_framework_ships_statistical_indicators_without_points_or_rules():
    framework, _ = framework_load_default()
    statistical = framework.indicators.filter(nature=IndicatorNature.STATISTICAL)
    assert statistical.count() >= 40
    required = ("required_for_government", "required_for_department", "required_for_township")
    assert set(statistical.values_list("max_points", "scoring_rule", *required)) == {
        (Decimal(0), "", False, False, False)
    }
    assert not statistical.filter(phrase_template="").exists()
    assert not statistical.filter(unit="").exists()


def test_the_default_framework_keeps_one_hundred_points_over_its_scored_indicators():
    framework, _ = framework_load_default()
    scored = framework.indicators.filter(nature=IndicatorNature.ASSESSED)
    assert sum(indicator.max_points for indicator in scored) == Decimal(100)
    assert not scored.filter(scoring_rule="").exists()


def test_a_statistical_indicator_is_never_scored():
    indicator = IndicatorFactory.build(code="S1", **STATISTICAL)
    score = score_indicator(indicator, IndicatorReading(value=Decimal(181)))
    assert (score.points, score.is_excluded, score.explanation) == (None, True, "统计指标，不计分")


def test_a_statistical_indicator_with_points_or_a_rule_does_not_validate():
    indicator = IndicatorFactory.build(code="S1", nature=IndicatorNature.STATISTICAL)
    with pytest.raises(ValidationError) as error:
        indicator.clean()
    assert set(error.value.message_dict) == {"max_points", "scoring_rule"}


def test_a_scored_indicator_without_a_rule_does_not_validate():
    indicator = IndicatorFactory.build(code="S1", scoring_rule="")
    with pytest.raises(ValidationError) as error:
        indicator.clean()
    assert error.value.message_dict["scoring_rule"] == ["考核指标须选择评分规则。"]


def test_the_database_refuses_points_on_a_statistical_indicator():
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorFactory(code="S1", nature=IndicatorNature.STATISTICAL, scoring_rule="", max_points=Decimal(1))


def test_a_framework_file_with_a_statistical_indicator_imports_it_unscored():
    data = framework_to_data(small_framework(year=2046))
    data["tree"].append(statistical_row())
    assert check_framework_data(data) == []
    imported = framework_import(data=data)
    indicator = imported.indicators.get(code="A1.9")
    assert (indicator.nature, indicator.max_points, indicator.scoring_rule) == (
        IndicatorNature.STATISTICAL,
        Decimal(0),
        "",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"max_points": Decimal(1)}, "统计指标不计分，分值须为 0 或留空"),
        ({"scoring_rule": ScoringRule.ALL_OR_NOTHING}, "统计指标不计分，评分规则须留空"),
        ({"nature": IndicatorNature.ASSESSED, "max_points": Decimal(1)}, "考核指标须填写评分规则"),
    ],
    ids=["points", "rule", "assessed-without-rule"],
)
def test_a_framework_file_mixing_up_statistics_and_scoring_is_refused_by_row(overrides, message):
    data = framework_to_data(small_framework(year=2047))
    data["tree"].append(statistical_row(**overrides))
    assert [error.message for error in check_framework_data(data)] == [message]


def test_the_workbook_carries_the_nature_column_both_ways():
    framework = small_framework(year=2048)
    data = framework_to_data(framework)
    data["tree"].append(statistical_row())
    framework = framework_import(data=data)
    workbook = openpyxl.load_workbook(io.BytesIO(framework_to_xlsx(framework)))
    rows = list(workbook["指标"].iter_rows(values_only=True))
    column = rows[0].index("指标性质")
    assert {row[column] for row in rows[1:] if row[0] == "三级"} == {"考核指标", "统计指标"}
    read, errors = data_from_xlsx(framework_to_xlsx(framework))
    assert errors == []
    assert [row["code"] for row in read["tree"] if row.get("nature") == IndicatorNature.STATISTICAL] == ["A1.9"]


def test_a_workbook_from_before_the_nature_column_still_reads_as_scored():
    workbook = openpyxl.load_workbook(io.BytesIO(framework_to_xlsx(small_framework(year=2049))))
    sheet = workbook["指标"]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_cols(header.index("指标性质") + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data, errors = data_from_xlsx(buffer.getvalue())
    assert errors == []
    imported = framework_import(data=data)
    assert set(imported.indicators.values_list("nature", flat=True)) == {IndicatorNature.ASSESSED}


def test_a_clone_keeps_statistical_indicators_statistical():
    framework, _ = framework_load_default(year=2030)
    clone = framework_clone(framework=framework)
    assert set(clone.indicators.filter(nature=IndicatorNature.STATISTICAL).values_list("code", flat=True)) == set(
        framework.indicators.filter(nature=IndicatorNature.STATISTICAL).values_list("code", flat=True)
    )


def test_the_comparison_shows_a_change_of_nature():
    framework = small_framework(year=2050)
    clone = framework_clone(framework=framework)
    indicator = clone.indicators.get(code="A1.1")
    indicator_update(indicator=indicator, nature=IndicatorNature.STATISTICAL, max_points=Decimal(0), scoring_rule="")
    [change] = framework_compare(old=framework, new=clone).changed
    assert ("指标性质", "考核指标", "统计指标") in [(c.label, c.old, c.new) for c in change.changes]


def test_indicator_nature_is_named_in_chinese():
    assert Indicator._meta.get_field("nature").verbose_name == "指标性质"
    assert dict(IndicatorNature.choices) == {"assessed": "考核指标", "statistical": "统计指标"}
