"""What the framework holds about figures: the parts of a rate with their units, required-ness per
kind of unit, 暂无数据, relations between figures, and targets a value can reach — through the
default framework, the xlsx round trip, cloning and comparison."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from accounts.models import Department
from indicators.comparison import framework_compare
from indicators.exporting import framework_to_data, framework_to_xlsx
from indicators.importing import data_from_json, data_from_xlsx
from indicators.models import ValueType
from indicators.readings import IndicatorReading
from indicators.relations import contradictions
from indicators.services import default_framework_data, framework_clone, framework_import, framework_load_default
from indicators.targets import target_problems, value_range

from .factories import IndicatorFactory, RateIndicatorFactory, small_framework

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def default():
    return framework_load_default()[0]


def test_every_rate_of_the_default_framework_names_each_part_with_its_unit(default):
    missing = [
        indicator.code
        for indicator in default.indicators.filter(value_type=ValueType.RATE)
        if not (indicator.numerator_label and indicator.numerator_unit)
        or not (indicator.denominator_label and indicator.denominator_unit)
    ]
    assert missing == []


def test_the_default_framework_has_no_target_that_no_value_can_reach(default):
    unreachable = {
        indicator.code: problems
        for indicator in default.indicators.all()
        if (
            problems := target_problems(
                value_type=indicator.value_type,
                operator=indicator.target_operator,
                value=indicator.target_value,
                scale_min=indicator.scale_min,
                scale_max=indicator.scale_max,
                unit=indicator.unit,
            )
        )
    }
    assert unreachable == {}


def test_no_score_target_of_the_default_framework_asks_for_the_perfect_score(default):
    scored = default.indicators.filter(unit="分", target_operator=">=")
    assert scored.exists()
    for indicator in scored:
        assert indicator.scale_max == D(100), indicator.code
        assert indicator.target_value < indicator.scale_max, indicator.code


def test_the_business_environment_score_target_is_one_a_unit_can_meet(default):
    indicator = default.indicators.get(code="J1.2")
    assert (indicator.target_operator, indicator.target_value) == (">=", D(85))


def test_the_default_framework_declares_relations_between_figures(default):
    relations = default.validation_rules.filter(is_relation=True)
    assert relations.filter(expression="E3.3.num <= E3.2.den").exists()
    assert relations.filter(expression="G1.4.den == G1.3.den").exists()
    assert not relations.exclude(severity="error").exists()


def test_a_count_of_zero_contradicts_a_rate_whose_denominator_is_that_count(default):
    relations = list(default.validation_rules.filter(is_relation=True))
    readings = {
        "G1.3": IndicatorReading(numerator=D(0), denominator=D(0)),
        "G1.4": IndicatorReading(numerator=D(2), denominator=D(5)),
    }
    found = contradictions(relations, readings)
    assert found.involves("G1.3") and found.involves("G1.4")


@pytest.mark.parametrize(
    ("value_type", "operator", "value", "scale", "expected"),
    [
        ("rate", ">=", "101", (None, None), "比率最高为100%"),
        ("rate", ">", "100", (None, None), "比率最高为100%"),
        ("amount", ">=", "105", ("0", "100"), "取值上限为100分"),
        ("amount", "<=", "-1", ("0", "100"), "取值下限为0分"),
        ("count", "<", "0", (None, None), "最低为0件"),
    ],
)
def test_a_target_no_value_can_reach_is_refused_with_the_reason(value_type, operator, value, scale, expected):
    [problem] = target_problems(
        value_type=value_type,
        operator=operator,
        value=D(value),
        scale_min=scale[0],
        scale_max=scale[1],
        unit="分" if value_type == "amount" else "件",
    )
    assert "无法达到" in problem and expected in problem


def test_reachable_targets_pass():
    assert target_problems(value_type="rate", operator=">=", value=D(100)) == []
    assert target_problems(value_type="count", operator="<=", value=D(0)) == []
    assert target_problems(value_type="amount", operator=">=", value=D(85), scale_min=D(0), scale_max=D(100)) == []


def test_a_rate_ranges_from_zero_to_one_hundred():
    assert value_range(value_type="rate") == (D(0), D(100))


def test_the_admin_model_check_refuses_an_unreachable_rate_target():
    indicator = RateIndicatorFactory.build(group=small_framework().areas.first().groups.first(), target_value=D(120))
    with pytest.raises(ValidationError) as raised:
        indicator.clean()
    assert "无法达到" in str(raised.value.message_dict["target_value"])


def test_the_import_refuses_an_unreachable_target_naming_its_row():
    document = default_framework_data()
    row = next(row for row in document["tree"] if row.get("code") == "J1.2")
    row["target_value"] = "105"
    _, errors = data_from_json(document)
    assert any("无法达到" in str(error) and "取值上限为100分" in str(error) for error in errors)


def test_a_json_row_with_the_single_required_flag_sets_every_kind():
    document = default_framework_data()
    row = next(row for row in document["tree"] if row.get("code") == "A1.1")
    for key in ("required_for_government", "required_for_department", "required_for_township"):
        row.pop(key)
    row["is_required"] = False
    data, errors = data_from_json(document)
    assert errors == []
    cleaned = next(row for row in data["tree"] if row.get("code") == "A1.1")
    assert not any(cleaned[key] for key in ("required_for_government", "required_for_department"))


def test_a_statistical_indicator_is_optional_when_the_file_says_nothing_about_required():
    document = default_framework_data()
    row = next(row for row in document["tree"] if row.get("code") == "A1.1")
    for key in ("required_for_government", "required_for_department", "required_for_township"):
        row.pop(key)
    row["nature"] = "statistical"
    row["max_points"], row["scoring_rule"], row["scoring_params"] = "0", "", {}
    data, _ = data_from_json(document)
    cleaned = next(row for row in data["tree"] if row.get("code") == "A1.1")
    assert cleaned["required_for_township"] is False


def test_units_required_kinds_scales_and_relations_survive_export_and_import(default):
    indicator = default.indicators.get(code="H1.4")
    assert (indicator.numerator_unit, indicator.denominator_unit) == ("条", "条")
    imported = framework_import(data=data_from_xlsx(framework_to_xlsx(default))[0], year=2098)
    again = imported.indicators.get(code="H1.4")
    assert (again.numerator_unit, again.denominator_unit) == ("条", "条")
    assert imported.indicators.get(code="J1.2").scale_max == D(100)
    assert imported.validation_rules.filter(is_relation=True).count() == (
        default.validation_rules.filter(is_relation=True).count()
    )


def test_a_workbook_exported_before_these_columns_still_imports():
    content = framework_to_xlsx(small_framework())
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["指标"]
    headers = [cell.value for cell in sheet[1]]
    for title in (
        "取值上限",
        "取值下限",
        "可填暂无数据",
        "乡镇街道必填",
        "政府工作部门必填",
        "政府必填",
        "分母单位",
        "分子单位",
    ):
        sheet.delete_cols(headers.index(title) + 1)
        headers.remove(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, errors = data_from_xlsx(buffer.getvalue())
    assert errors == []


def test_a_clone_keeps_part_units_and_per_kind_required_ness():
    framework = small_framework()
    group = framework.areas.first().groups.first()
    RateIndicatorFactory(
        group=group, framework=framework, code="R1", numerator_unit="件", denominator_unit="件",
        required_for_township=False, allows_not_available=True,
    )  # fmt: skip
    clone = framework_clone(framework=framework)
    copied = clone.indicators.get(code="R1")
    assert (copied.numerator_unit, copied.required_for_township, copied.allows_not_available) == ("件", False, True)
    assert copied.is_required_for(Department.Kind.GOVERNMENT)
    assert not copied.is_required_for(Department.Kind.TOWNSHIP)


def test_the_comparison_names_a_changed_part_unit():
    framework = small_framework()
    group = framework.areas.first().groups.first()
    RateIndicatorFactory(group=group, framework=framework, code="R1", numerator_unit="件", denominator_unit="件")
    clone = framework_clone(framework=framework)
    clone.indicators.filter(code="R1").update(numerator_unit="条")
    comparison = framework_compare(old=framework, new=clone)
    labels = [change.label for item in comparison.changed for change in item.changes]
    assert "分子单位" in labels


def test_an_indicator_required_of_no_kind_is_shown_as_optional():
    indicator = IndicatorFactory.build(
        required_for_government=False, required_for_department=False, required_for_township=False
    )
    assert indicator.required_display == "选填"


def test_export_data_carries_the_relation_flag(default):
    rules = framework_to_data(default)["rules"]
    assert any(rule["is_relation"] for rule in rules)


def test_a_merge_adds_each_part_of_a_rate_where_every_predecessor_reported_it():
    from indicators.lineage import carry_forward

    carried = carry_forward(
        {"N1": ["O1", "O2"]},
        {"O1": IndicatorReading(numerator=D(3), denominator=D(10)), "O2": IndicatorReading(denominator=D(5))},
    )
    assert (carried["N1"].numerator, carried["N1"].denominator) == (None, D(15))


def test_a_merge_leaves_out_a_predecessor_that_was_not_applicable():
    from indicators.lineage import carry_forward

    carried = carry_forward(
        {"N1": ["O1", "O2"]},
        {"O1": IndicatorReading(value=D(7)), "O2": IndicatorReading(state="not_applicable", reason="无")},
    )
    assert carried["N1"].value == D(7)


def test_a_single_predecessor_carries_its_state():
    from indicators.lineage import carry_forward

    reading = IndicatorReading(state="not_available", reason="未统计")
    assert carry_forward({"N1": ["O1"]}, {"O1": reading})["N1"].is_not_available
