"""Scoring one indicator: pick the measure from the reading, apply the indicator's rule with its params.

Parameters live in `Indicator.scoring_params` (JSON). Numbers may be given as JSON numbers or as
strings; they are read through `Decimal(str(x))` so 0.1 stays 0.1. Every rule also accepts
`when_no_cases`: "full" (default — a rate with denominator 0 means no such matters, nothing to
deduct) or "exclude" (the indicator leaves the department's maximum; see rollup.py).
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..expressions import ExpressionError, Undefined, evaluate, parse, references
from ..models import Indicator, ScoringRule, TargetOperator, ValueType
from ..presenting import number_text
from ..readings import IndicatorReading
from . import rules

NUMBER_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # rule: (required, optional)
    ScoringRule.ALL_OR_NOTHING: ((), ()),
    ScoringRule.DEDUCT_PER_EVENT: (("per_event",), ("cap",)),
    ScoringRule.DEDUCT_PER_SHORTFALL: (("per_unit",), ("cap", "target")),
    ScoringRule.LINEAR: ((), ("floor", "target")),
    ScoringRule.INVERSE: (("benchmark", "step", "per_step"), ()),
    ScoringRule.TIERED: ((), ()),
    ScoringRule.JUDGEMENT: ((), ("min", "max")),
}
OTHER_PARAMS = {"when_no_cases", "events", "tiers"}
NO_CASES_CHOICES = ("full", "exclude")


@dataclass(frozen=True)
class Judgement:
    """A reviewer's score for a JUDGEMENT indicator (or an override), with the mandatory reason."""

    points: Decimal
    reason: str


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    max_points: Decimal
    points: Decimal | None  # None: excluded (not applicable for this department this year)
    explanation: str

    @property
    def is_excluded(self) -> bool:
        return self.points is None


def _decimal(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    return Decimal(str(value).strip())


def validate_scoring_params(rule: str, params: Mapping[str, Any], *, known_codes: set[str] | None = None) -> list[str]:
    """Chinese problems with a rule and its parameters; empty when they are usable."""
    if rule not in NUMBER_PARAMS:
        return [f"未知的评分规则“{rule}”，可用：{'、'.join(ScoringRule.values)}"]
    if not isinstance(params, Mapping):
        return ["评分参数须为 JSON 对象"]
    required, optional = NUMBER_PARAMS[rule]
    problems = [f"评分规则“{ScoringRule(rule).label}”缺少参数 {name}" for name in required if name not in params]
    allowed = set(required) | set(optional) | {"when_no_cases"}
    allowed |= {"events"} if rule == ScoringRule.DEDUCT_PER_EVENT else set()
    allowed |= {"tiers"} if rule == ScoringRule.TIERED else set()
    problems += [f"评分参数 {name} 不适用于此规则" for name in sorted(set(params) - allowed)]
    for name in (set(required) | set(optional)) & set(params):
        try:
            _decimal(params[name])
        except (InvalidOperation, ValueError):
            problems.append(f"评分参数 {name} 须为数值")
    if params.get("when_no_cases", "full") not in NO_CASES_CHOICES:
        problems.append("评分参数 when_no_cases 只能是 full 或 exclude")
    if rule == ScoringRule.TIERED:
        problems += _tier_problems(params.get("tiers"))
    if "events" in params:
        problems += _events_problems(params["events"], known_codes)
    return problems


def _tier_problems(tiers: object) -> list[str]:
    if not isinstance(tiers, list) or not tiers:
        return ["分档计分须设置 tiers，如 [[90, 2], [80, 1.5]]"]
    try:
        [(_decimal(low), _decimal(points)) for low, points in tiers]
    except (InvalidOperation, ValueError, TypeError):
        return ["tiers 的每一档须为 [下限, 分值]"]
    return []


def _events_problems(source: object, known_codes: set[str] | None) -> list[str]:
    try:
        node = parse(str(source))
    except ExpressionError as error:
        return [f"events 公式有误：{error}"]
    missing = sorted(references(node) - known_codes) if known_codes is not None else []
    return [f"events 公式引用了不存在的指标编码：{'、'.join(missing)}"] if missing else []


def meets_target(indicator: Indicator, reading: IndicatorReading) -> bool | None:
    """Whether the reading meets the indicator's target; None when there is nothing to compare (and
    always for a statistical figure, which has no target to meet). 不适用, 暂无数据, a rate of which
    one part is known and no such matters (0/0) are neither met nor missed."""
    if getattr(indicator, "is_statistical", False):
        return None
    if reading.has_no_cases or not reading.is_figure:
        return None
    measure = reading.measure
    if indicator.target_date is not None:
        if not isinstance(measure, datetime.date):
            return None
        return measure <= indicator.target_date
    if indicator.target_operator and indicator.target_value is not None:
        if isinstance(measure, bool):
            measure = Decimal(int(measure))
        if not isinstance(measure, Decimal):
            return None
        target = indicator.target_value
        comparisons: dict[str, bool] = {
            TargetOperator.GTE: measure >= target,
            TargetOperator.LTE: measure <= target,
            TargetOperator.EQ: measure == target,
            TargetOperator.GT: measure > target,
            TargetOperator.LT: measure < target,
        }
        return comparisons[indicator.target_operator]
    if isinstance(measure, bool):
        return measure
    return None if reading.is_empty else True


def score_indicator(
    indicator: Indicator,
    reading: IndicatorReading | None,
    *,
    readings: Mapping[str, IndicatorReading] | None = None,
    judgement: Judgement | None = None,
) -> IndicatorScore:
    """Score one indicator for one department. `readings` (all of the return's values) is needed
    only when the params hold an `events` formula; a `judgement` is required for JUDGEMENT rules
    and, for any other rule, records a reviewer's override with its reason."""
    params = indicator.scoring_params or {}
    max_points = indicator.max_points

    def result(points: Decimal | None, explanation: str) -> IndicatorScore:
        return IndicatorScore(indicator.code, max_points, points, explanation)

    if getattr(indicator, "is_statistical", False):
        return result(None, "统计指标，不计分")
    if judgement is not None:
        low, high = _decimal(params.get("min", 0)), params.get("max")
        points = rules.judgement(
            max_points=max_points,
            awarded=judgement.points,
            reason=judgement.reason,
            minimum=low,
            maximum=None if high is None else _decimal(high),
        )
        return result(points, f"审核评定：{judgement.reason.strip()}")
    if reading is not None and reading.is_not_applicable:
        return result(None, "不适用，不计入考核")
    if indicator.scoring_rule == ScoringRule.JUDGEMENT:
        return result(rules.ZERO, "待审核员评定")
    if reading is not None and reading.is_not_available:
        return result(rules.ZERO, "暂无数据，不得分")
    if reading is not None and reading.is_partial and not reading.has_no_cases:
        return result(rules.ZERO, "只填了分子或分母，比率无法计算，不得分")
    if reading is None or (reading.is_empty and not reading.has_no_cases):
        return result(rules.ZERO, "未填报")
    if reading.has_no_cases:
        if params.get("when_no_cases", "full") == "exclude":
            return result(None, "无此类事项，不计入考核")
        return result(rules.clamp(max_points, max_points), "无此类事项，不扣分")
    return _apply_rule(indicator, reading, params, readings or {}, result)


def _apply_rule(
    indicator: Indicator,
    reading: IndicatorReading,
    params: Mapping[str, Any],
    readings: Mapping[str, IndicatorReading],
    result: Callable[[Decimal | None, str], IndicatorScore],
) -> IndicatorScore:
    rule = indicator.scoring_rule
    max_points = indicator.max_points
    measure = reading.measure
    if rule == ScoringRule.ALL_OR_NOTHING:
        is_met = bool(meets_target(indicator, reading))
        return result(rules.all_or_nothing(max_points=max_points, is_met=is_met), "达标" if is_met else "未达标")
    if rule == ScoringRule.DEDUCT_PER_EVENT:
        events = _events(indicator, reading, params, readings)
        points = rules.deduct_per_event(
            max_points=max_points, events=events, per_event=_decimal(params["per_event"]), cap=_optional(params, "cap")
        )
        return result(points, f"扣分事项 {number_text(events)} 件")
    if not isinstance(measure, Decimal):
        return result(rules.ZERO, "填报值无法计分")
    target = _optional(params, "target")
    target = target if target is not None else indicator.target_value
    if rule == ScoringRule.DEDUCT_PER_SHORTFALL:
        points = rules.deduct_per_shortfall(
            max_points=max_points,
            actual=measure,
            target=target or rules.ZERO,
            per_unit=_decimal(params["per_unit"]),
            cap=_optional(params, "cap"),
        )
    elif rule == ScoringRule.LINEAR:
        points = rules.linear(
            max_points=max_points, actual=measure, target=target or rules.ZERO, floor=_optional(params, "floor")
        )
    elif rule == ScoringRule.INVERSE:
        points = rules.inverse(
            max_points=max_points,
            actual=measure,
            benchmark=_decimal(params["benchmark"]),
            step=_decimal(params["step"]),
            per_step=_decimal(params["per_step"]),
        )
    else:
        tiers = [(_decimal(low), _decimal(points)) for low, points in params["tiers"]]
        points = rules.tiered(max_points=max_points, actual=measure, tiers=tiers)
    return result(points, f"实际值 {number_text(measure)}")


def _optional(params: Mapping[str, Any], name: str) -> Decimal | None:
    return _decimal(params[name]) if params.get(name) not in (None, "") else None


def _events(
    indicator: Indicator, reading: IndicatorReading, params: Mapping[str, Any], readings: Mapping[str, IndicatorReading]
) -> Decimal:
    """How many deductible events: an explicit `events` formula, else the cases short of the full
    count for a rate (den − num, e.g. 未经合法性审核的文件数), else the count itself."""
    if "events" in params:
        context = {**readings, indicator.code: reading}
        try:
            value = evaluate(parse(str(params["events"])), context)
        except (Undefined, ExpressionError):
            return rules.ZERO
        return value if isinstance(value, Decimal) else rules.ZERO
    measure = reading.measure
    if reading.is_rate:
        if reading.numerator is None or reading.denominator is None:  # score_indicator scores partial rates 0
            return rules.ZERO
        return Decimal(reading.denominator) - Decimal(reading.numerator)
    if indicator.value_type == ValueType.MULTIPLE_CHOICE:
        return Decimal(len(indicator.options)) - (measure if isinstance(measure, Decimal) else rules.ZERO)
    if isinstance(measure, bool):
        return rules.ZERO if measure else Decimal(1)
    return measure if isinstance(measure, Decimal) else rules.ZERO
