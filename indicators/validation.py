"""Checks over one department's readings: the framework's validation rules, derived values and the
year-over-year swing check. Pure: rules and indicators come in as objects, readings as a dict.

Severity follows the rule: an error blocks submission, a warning needs an explanation. A rule whose
values are not there yet (or whose rate has no cases) is skipped, not failed: drafts save anything.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .expressions import ExpressionError, Node, Undefined, evaluate, parse, references
from .models import Indicator, ValidationRule, ValueType
from .presenting import number_text, percent_text
from .rates import round_rate
from .readings import IndicatorReading

Severity = ValidationRule.Severity


@dataclass(frozen=True)
class ValidationIssue:
    rule_code: str
    indicator_code: str | None
    message: str
    severity: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


def check_rules(rules: Iterable[ValidationRule], readings: Mapping[str, IndicatorReading]) -> list[ValidationIssue]:
    """Run each rule (ValidationRule rows, indicator pre-fetched) over the readings."""
    issues = []
    for rule in rules:
        indicator_code = rule.indicator.code if rule.indicator is not None else None
        try:
            outcome = evaluate(parse(rule.expression), readings)
        except Undefined:
            continue
        except ExpressionError as error:
            # A broken rule is the administrator's problem; it must not block a department.
            issues.append(
                ValidationIssue(rule.code, indicator_code, f"校验规则 {rule.code} 无法计算：{error}", Severity.WARNING)
            )
            continue
        if outcome is not True:
            issues.append(ValidationIssue(rule.code, indicator_code, rule.message, rule.severity))
    return issues


def derive_readings(
    indicators: Iterable[Indicator], readings: Mapping[str, IndicatorReading]
) -> dict[str, IndicatorReading]:
    """The readings plus the values of derived indicators (those with a formula), computed in
    dependency order. A derived value that cannot be computed yet is left out."""
    result = dict(readings)
    pending = {indicator.code: parse(indicator.formula) for indicator in indicators if indicator.formula.strip()}
    for code in formula_order(pending):
        try:
            value = evaluate(pending[code], result)
        except (Undefined, ExpressionError):
            result.pop(code, None)
            continue
        result[code] = IndicatorReading(value=value)
    return result


def formula_order(formulas: Mapping[str, Node]) -> list[str]:
    """Derived codes so that each comes after the derived codes it reads; raises ExpressionError
    on a cycle (A 引用 B，B 又引用 A)."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(code: str, path: tuple[str, ...]) -> None:
        if state.get(code) == "done":
            return
        if state.get(code) == "visiting":
            raise ExpressionError(f"派生公式循环引用：{' → '.join((*path, code))}")
        state[code] = "visiting"
        for dependency in sorted(references(formulas[code]) & set(formulas)):
            visit(dependency, (*path, code))
        state[code] = "done"
        order.append(code)

    for code in sorted(formulas):
        visit(code, ())
    return order


def swing_percent(current: Decimal, previous: Decimal) -> Decimal | None:
    """Relative change in %, rounded like rates; None when last year was 0 (no base to compare)."""
    if previous == 0:
        return None
    return round_rate(abs(current - previous) * 100 / abs(previous))


def check_year_over_year(
    indicators: Iterable[Indicator],
    readings: Mapping[str, IndicatorReading],
    previous_readings: Mapping[str, IndicatorReading],
    *,
    default_percent: Decimal,
) -> list[ValidationIssue]:
    """Warn where a figure moved more than the allowed % from last year (an explanation is needed).
    `previous_readings` is keyed by *this* year's codes (see lineage.carry_forward)."""
    issues = []
    for indicator in indicators:
        if indicator.value_type not in (ValueType.COUNT, ValueType.AMOUNT, ValueType.RATE):
            continue
        current, previous = readings.get(indicator.code), previous_readings.get(indicator.code)
        if current is None or previous is None:
            continue
        now, before = current.measure, previous.measure
        if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
            continue
        threshold = indicator.yoy_swing_percent if indicator.yoy_swing_percent is not None else default_percent
        change = swing_percent(now, before)
        if threshold and change is not None and change > threshold:
            issues.append(
                ValidationIssue(
                    f"YOY:{indicator.code}",
                    indicator.code,
                    f"{indicator.name}较上年（{number_text(before)}）变化{percent_text(change)}，"
                    f"超过{percent_text(threshold)}，请填写说明",
                    Severity.WARNING,
                )
            )
    return issues
