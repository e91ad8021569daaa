"""A framework as plain data: the shape of the xlsx sheets and of the JSON data file."""

from decimal import Decimal
from typing import Any

from .models import IndicatorFramework
from .resources import to_xlsx
from .selectors import framework_tree

INDICATOR_ATTRIBUTES = (
    "nature",
    "previous_code",
    "legal_basis",
    "value_type",
    "unit",
    "numerator_label",
    "numerator_unit",
    "denominator_label",
    "denominator_unit",
    "options",
    "formula",
    "required_for_government",
    "required_for_department",
    "required_for_township",
    "allows_not_available",
    "applies_to_government",
    "applies_to_department",
    "applies_to_township",
    "applicability_note",
    "is_evidence_required",
    "scale_min",
    "scale_max",
    "target_operator",
    "target_value",
    "target_date",
    "target_note",
    "scoring_rule",
    "scoring_params",
    "scoring_note",
    "phrase_template",
    "yoy_phrase_template",
    "empty_phrase",
    "report_role",
    "shortfall_phrase",
    "zero_phrase",
    "preferred_direction",
    "yoy_swing_percent",
)


def framework_to_data(framework: IndicatorFramework) -> dict[str, Any]:
    tree = framework_tree(framework)
    rows: list[dict[str, Any]] = []
    for area_node in tree.areas:
        area = area_node.area
        rows.append(_node("area", area.code, "", area.name, area.description, area.max_points))
        for group_node in area_node.groups:
            group = group_node.group
            rows.append(_node("group", group.code, area.code, group.name, group.description, group.max_points))
            for indicator_node in group_node.indicator_nodes:
                indicator = indicator_node.indicator
                row = _node(
                    "indicator",
                    indicator.code,
                    group.code,
                    indicator.name,
                    indicator.instructions,
                    indicator.max_points,
                )
                row.update({attribute: getattr(indicator, attribute) for attribute in INDICATOR_ATTRIBUTES})
                rows.append(row)
                rows.extend(
                    _node("point", point.code, indicator.code, point.text, "", point.points)
                    for point in indicator_node.assessment_points
                )
    rules = [
        {
            "code": rule.code,
            "indicator_code": indicator_node.indicator.code,
            "expression": rule.expression,
            "message": rule.message,
            "severity": rule.severity,
            "is_relation": rule.is_relation,
        }
        for area_node in tree.areas
        for group_node in area_node.groups
        for indicator_node in group_node.indicator_nodes
        for rule in indicator_node.validation_rules
    ]
    rules += [
        {
            "code": r.code,
            "indicator_code": "",
            "expression": r.expression,
            "message": r.message,
            "severity": r.severity,
            "is_relation": r.is_relation,
        }
        for r in tree.cross_rules
    ]
    return {
        "framework": {
            "name": framework.name,
            "year": framework.year,
            "description": framework.description,
            "base_points": framework.base_points,
            "bonus_cap": framework.bonus_cap,
            "yoy_swing_percent": framework.yoy_swing_percent,
        },
        "tree": rows,
        "rules": sorted(rules, key=lambda rule: rule["code"]),
        "grades": [
            {"department_kind": t.department_kind, "grade": t.grade, "min_score": t.min_score}
            for t in tree.grade_thresholds
        ],
        "adjustments": [
            {
                "kind": item.kind,
                "code": item.code,
                "name": item.name,
                "points": item.points,
                "max_points": item.max_points,
                "legal_basis": item.legal_basis,
                "note": item.note,
            }
            for item in tree.adjustments
        ],
    }


def _node(
    level: str, code: str, parent_code: str, name: str, description: str, max_points: Decimal | None
) -> dict[str, Any]:
    return {
        "level": level,
        "code": code,
        "parent_code": parent_code,
        "name": name,
        "description": description,
        "max_points": max_points,
    }


def framework_to_xlsx(framework: IndicatorFramework) -> bytes:
    return to_xlsx(framework_to_data(framework))


def framework_filename(framework: IndicatorFramework) -> str:
    return f"indicator-framework-{framework.year}-v{framework.version}.xlsx"
