"""Comparing two editions of a framework: what an administrator changed from one to the other.

Indicators are matched through `previous_code` (a renamed code is a change, not a removal plus an
addition); areas, groups, validation rules and 加分/扣分/一票否决 items by code; grade thresholds by
department kind and grade. A formula or rule that differs only because an indicator it reads was
renamed is not a change: old expressions are read with this edition's codes before comparing.
"""

import datetime
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .expressions import ExpressionError, rename_references
from .models import AdjustmentItem, Area, GradeThreshold, Group, Indicator, IndicatorFramework, ValidationRule
from .presenting import date_text, number_text

COMPARED_FIELDS = (
    "name",
    "nature",
    "value_type",
    "unit",
    "numerator_label",
    "numerator_unit",
    "denominator_label",
    "denominator_unit",
    "options",
    "target_operator",
    "target_value",
    "target_date",
    "target_note",
    "max_points",
    "scoring_rule",
    "scoring_params",
    "scoring_note",
    "applies_to_government",
    "applies_to_department",
    "applies_to_township",
    "applicability_note",
    "required_for_government",
    "required_for_department",
    "required_for_township",
    "allows_not_available",
    "scale_min",
    "scale_max",
    "is_evidence_required",
    "legal_basis",
    "instructions",
    "formula",
    "phrase_template",
    "yoy_phrase_template",
    "empty_phrase",
    "report_role",
    "shortfall_phrase",
    "zero_phrase",
    "preferred_direction",
    "yoy_swing_percent",
)
COMPARED_FRAMEWORK_FIELDS = ("base_points", "bonus_cap", "yoy_swing_percent")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object


@dataclass(frozen=True)
class IndicatorChange:
    old: Indicator
    new: Indicator
    changes: tuple[FieldChange, ...]

    @property
    def is_renamed_code(self) -> bool:
        return self.old.code != self.new.code


@dataclass(frozen=True)
class ItemChange:
    """An area, group, rule, grade threshold or 加减分/否决 item that was added, removed or changed."""

    ADDED, REMOVED, CHANGED = "added", "removed", "changed"

    code: str
    name: str
    status: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def status_label(self) -> str:
        return {self.ADDED: "新增", self.REMOVED: "删除", self.CHANGED: "调整"}[self.status]


@dataclass(frozen=True)
class FrameworkComparison:
    old: IndicatorFramework
    new: IndicatorFramework
    added: list[Indicator] = field(default_factory=list)
    removed: list[Indicator] = field(default_factory=list)
    changed: list[IndicatorChange] = field(default_factory=list)
    unchanged_count: int = 0
    settings: tuple[FieldChange, ...] = ()  # base points, bonus cap, default swing threshold
    areas: tuple[ItemChange, ...] = ()
    groups: tuple[ItemChange, ...] = ()
    rules: tuple[ItemChange, ...] = ()
    grade_thresholds: tuple[ItemChange, ...] = ()
    adjustments: tuple[ItemChange, ...] = ()

    @property
    def has_other_changes(self) -> bool:
        return any((self.settings, self.areas, self.groups, self.rules, self.grade_thresholds, self.adjustments))


def framework_compare(*, old: IndicatorFramework, new: IndicatorFramework) -> FrameworkComparison:
    """Everything that changed from `old` to `new`. Seven queries, whatever the size."""
    old_indicators, new_indicators = _ordered_indicators(old), _ordered_indicators(new)
    old_by_code = {indicator.code: indicator for indicator in old_indicators}
    renames = _renames(new_indicators, old_by_code)
    added: list[Indicator] = []
    changed: list[IndicatorChange] = []
    matched: set[str] = set()
    unchanged = 0
    for indicator in new_indicators:
        predecessors = [old_by_code[code] for code in indicator.predecessor_codes if code in old_by_code]
        if not predecessors:
            added.append(indicator)
            continue
        matched.update(predecessor.code for predecessor in predecessors)
        changes = _indicator_changes(predecessors[0], indicator, renames)
        if len(predecessors) > 1:
            merged = "、".join(predecessor.code for predecessor in predecessors)
            changes = (FieldChange("合并自", merged, indicator.code), *changes)
        if changes:
            changed.append(IndicatorChange(predecessors[0], indicator, changes))
        else:
            unchanged += 1
    return FrameworkComparison(
        old=old,
        new=new,
        added=added,
        removed=[indicator for indicator in old_indicators if indicator.code not in matched],
        changed=changed,
        unchanged_count=unchanged,
        settings=_model_field_changes(old, new, COMPARED_FRAMEWORK_FIELDS),
        **_other_changes(old, new, renames),
    )


def _ordered_indicators(framework: IndicatorFramework) -> list[Indicator]:
    return list(
        Indicator.objects.filter(framework=framework)
        .select_related("framework", "group__area")
        .order_by("group__area__order", "group__order", "order", "code")
    )


def _renames(new_indicators: list[Indicator], old_by_code: dict[str, Indicator]) -> dict[str, str]:
    """Last year's code → this year's, for indicators renamed one to one through previous_code."""
    renames = {}
    for indicator in new_indicators:
        predecessors = [code for code in indicator.predecessor_codes if code in old_by_code]
        if len(predecessors) == 1 and predecessors[0] != indicator.code:
            renames[predecessors[0]] = indicator.code
    return renames


def _with_new_codes(source: str, renames: dict[str, str]) -> str:
    if not renames or not source:
        return source
    try:
        return rename_references(source, renames)
    except ExpressionError:  # a formula that never parsed is compared as typed
        return source


# --- indicators ------------------------------------------------------------------------------------


def _same_deadline(old: Indicator, new: Indicator) -> bool:
    """A deadline that moved with the year (2025年3月1日 → 2026年3月1日) is not a change."""
    if old.target_date is None or new.target_date is None:
        return old.target_date == new.target_date
    years = new.framework.year - old.framework.year
    return (new.target_date.year - old.target_date.year, new.target_date.month, new.target_date.day) in {
        (years, old.target_date.month, old.target_date.day),
        (years, 2, 28),  # 2月29日 in a year without it
    }


def _old_value(old: Indicator, name: str, renames: dict[str, str]) -> object:
    value = getattr(old, name)
    if name == "formula":
        return _with_new_codes(value, renames)
    if name == "scoring_params" and "events" in value:
        return {**value, "events": _with_new_codes(str(value["events"]), renames)}
    return value


def _indicator_changes(old: Indicator, new: Indicator, renames: dict[str, str]) -> tuple[FieldChange, ...]:
    changes = []
    if old.code != new.code:
        changes.append(FieldChange("编码", old.code, new.code))
    if old.group.code != new.group.code:
        changes.append(FieldChange("所属二级指标", str(old.group), str(new.group)))
    for name in COMPARED_FIELDS:
        if name == "target_date" and _same_deadline(old, new):
            continue
        if _old_value(old, name, renames) != getattr(new, name):
            changes.append(_field_change(old, new, name))
    return tuple(changes)


# --- everything else -------------------------------------------------------------------------------


def _field_change(old: Any, new: Any, name: str) -> FieldChange:
    """One field's change in words: the verbose name, and display values (choices, 是/否, numbers)."""
    model_field = type(new)._meta.get_field(name)
    before, after = getattr(old, name), getattr(new, name)
    if model_field.choices:
        before, after = getattr(old, f"get_{name}_display")(), getattr(new, f"get_{name}_display")()
    return FieldChange(str(model_field.verbose_name), _display(before), _display(after))


def _model_field_changes(old: Any, new: Any, names: Iterable[str]) -> tuple[FieldChange, ...]:
    return tuple(_field_change(old, new, name) for name in names if getattr(old, name) != getattr(new, name))


def _display(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    return "" if value is None else str(value)


def _match(
    old_rows: Iterable[Any],
    new_rows: Iterable[Any],
    *,
    key: Callable[[Any], object],
    label: Callable[[Any], tuple[str, str]],
    fields: tuple[str, ...],
    extra: Callable[[Any, Any], tuple[FieldChange, ...]] | None = None,
) -> tuple[ItemChange, ...]:
    """Rows matched by `key`: added ones, changed ones (in `fields`, plus what `extra(old, new)`
    says), then removed ones. `label(row)` gives (code, name) for display."""
    old_by_key = {key(row): row for row in old_rows}
    items: list[ItemChange] = []
    seen: set[object] = set()
    for row in new_rows:
        seen.add(key(row))
        before = old_by_key.get(key(row))
        if before is None:
            items.append(ItemChange(*label(row), ItemChange.ADDED))
            continue
        changes = _model_field_changes(before, row, fields) + (extra(before, row) if extra else ())
        if changes:
            items.append(ItemChange(*label(row), ItemChange.CHANGED, changes))
    items += [ItemChange(*label(row), ItemChange.REMOVED) for k, row in old_by_key.items() if k not in seen]
    return tuple(items)


def _framework_id(row: Any) -> int:
    framework_id: int = row.framework_id
    return framework_id


def _split(
    rows: Iterable[Any], old: IndicatorFramework, framework_id: Callable[[Any], int] = _framework_id
) -> tuple[list[Any], list[Any]]:
    """Rows of both editions, fetched in one query, split into (old edition's, new edition's)."""
    old_rows: list[Any] = []
    new_rows: list[Any] = []
    for row in rows:
        (old_rows if framework_id(row) == old.pk else new_rows).append(row)
    return old_rows, new_rows


def _other_changes(
    old: IndicatorFramework, new: IndicatorFramework, renames: dict[str, str]
) -> dict[str, tuple[ItemChange, ...]]:
    both = (old.pk, new.pk)
    groups = Group.objects.filter(area__framework__in=both).select_related("area").order_by("area__order", "order")
    return {
        "areas": _match(
            *_split(Area.objects.filter(framework__in=both).order_by("order", "code"), old),
            key=_code,
            label=_code_name,
            fields=("name", "max_points", "description"),
        ),
        "groups": _match(
            *_split(groups, old, lambda group: group.area.framework_id),
            key=_code,
            label=_code_name,
            fields=("name", "max_points", "description"),
            extra=_group_area_change,
        ),
        "rules": _match(
            *_split(ValidationRule.objects.filter(framework__in=both).select_related("indicator"), old),
            key=_code,
            label=lambda rule: (rule.code, rule.message),
            fields=("message", "severity", "is_relation"),
            extra=lambda before, after: _rule_changes(before, after, renames),
        ),
        "grade_thresholds": _match(
            *_split(GradeThreshold.objects.filter(framework__in=both).order_by("department_kind", "-min_score"), old),
            key=lambda row: (row.department_kind, row.grade),
            label=lambda row: (row.get_department_kind_display() or "全部单位", row.get_grade_display()),
            fields=("min_score",),
        ),
        "adjustments": _match(
            *_split(AdjustmentItem.objects.filter(framework__in=both).order_by("kind", "order", "code"), old),
            key=_code,
            label=lambda item: (item.code, f"{item.get_kind_display()}：{item.name}"),
            fields=("kind", "name", "points", "max_points", "legal_basis", "note"),
        ),
    }


def _group_area_change(before: Group, after: Group) -> tuple[FieldChange, ...]:
    if before.area.code == after.area.code:
        return ()
    return (FieldChange("所属一级指标", str(before.area), str(after.area)),)


def _rule_changes(before: ValidationRule, after: ValidationRule, renames: dict[str, str]) -> tuple[FieldChange, ...]:
    """The expression and the indicator a rule sits beside, read through this edition's renames."""
    changes = []
    if _with_new_codes(before.expression, renames) != after.expression:
        changes.append(FieldChange("校验公式", before.expression, after.expression))
    old_code = before.indicator.code if before.indicator else ""
    new_code = after.indicator.code if after.indicator else ""
    if renames.get(old_code, old_code) != new_code:
        changes.append(FieldChange("所属指标", old_code or "（跨指标）", new_code or "（跨指标）"))
    return tuple(changes)


def _code(row: Any) -> str:
    return str(row.code)


def _code_name(row: Any) -> tuple[str, str]:
    return str(row.code), str(row.name)
