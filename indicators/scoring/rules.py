"""The scoring methods as pure functions over Decimals (domain notes §c.3).

Each takes the indicator's maximum and what was measured, and returns points between 0 and the
maximum, rounded to 2 decimals half up (分值保留两位小数，四舍五入). None of them touch the database.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
POINTS_QUANTUM = Decimal("0.01")


class ScoringError(ValueError):
    """The scoring input is not acceptable (e.g. a judgement without reason); the message is Chinese."""


def round_points(points: Decimal) -> Decimal:
    return points.quantize(POINTS_QUANTUM, rounding=ROUND_HALF_UP)


def clamp(points: Decimal, max_points: Decimal) -> Decimal:
    return round_points(min(max(points, ZERO), max_points))


def all_or_nothing(*, max_points: Decimal, is_met: bool) -> Decimal:
    """达标得满分，否则 0 分."""
    return clamp(max_points if is_met else ZERO, max_points)


def deduct_per_event(
    *, max_points: Decimal, events: Decimal, per_event: Decimal, cap: Decimal | None = None
) -> Decimal:
    """每发生一件扣 per_event 分，累计扣分不超过 cap（未设则以本项分值为限）."""
    deduction = per_event * max(events, ZERO)
    if cap is not None:
        deduction = min(deduction, cap)
    return clamp(max_points - deduction, max_points)


def deduct_per_shortfall(
    *, max_points: Decimal, actual: Decimal, target: Decimal, per_unit: Decimal, cap: Decimal | None = None
) -> Decimal:
    """较目标每少一个单位（一次、一期）扣 per_unit 分，如“每少一次扣0.5分”."""
    return deduct_per_event(max_points=max_points, events=target - actual, per_event=per_unit, cap=cap)


def linear(*, max_points: Decimal, actual: Decimal, target: Decimal, floor: Decimal | None = None) -> Decimal:
    """分值 × min(实际/目标, 1)；低于 floor（如出庭应诉率 90%）不得分."""
    if floor is not None and actual < floor:
        return ZERO
    if target <= 0:
        return clamp(max_points if actual >= target else ZERO, max_points)
    return clamp(max_points * min(actual / target, Decimal(1)), max_points)


def inverse(*, max_points: Decimal, actual: Decimal, benchmark: Decimal, step: Decimal, per_step: Decimal) -> Decimal:
    """Lower is better (纠错率、败诉率): full points at or below the benchmark; above it, per_step is
    deducted for each started step (超出部分不足一档按一档计)."""
    if actual <= benchmark:
        return clamp(max_points, max_points)
    if step <= 0:
        return ZERO
    steps = ((actual - benchmark) / step).to_integral_value(rounding=ROUND_CEILING)
    return clamp(max_points - steps * per_step, max_points)


def tiered(*, max_points: Decimal, actual: Decimal, tiers: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Points of the highest tier whose lower bound the value reaches; below every tier, 0."""
    reached = [points for lower_bound, points in tiers if actual >= lower_bound]
    best = max(reached, default=ZERO)
    return clamp(best, max_points)


def judgement(
    *,
    max_points: Decimal,
    awarded: Decimal,
    reason: str,
    minimum: Decimal = ZERO,
    maximum: Decimal | None = None,
) -> Decimal:
    """A reviewer's score within [minimum, maximum]; the written reason is mandatory (扣分须说明理由)."""
    upper = max_points if maximum is None else min(maximum, max_points)
    if not (reason or "").strip():
        raise ScoringError("审核员评定分数须填写理由")
    if not minimum <= awarded <= upper:
        raise ScoringError(f"评定分数须在 {minimum} 至 {upper} 分之间")
    return round_points(awarded)


def bonus_total(awards: Iterable[Decimal], *, cap: Decimal) -> Decimal:
    """加分合计，不超过 cap（默认 5 分）."""
    return clamp(sum(awards, ZERO), cap)


def deduction_total(deductions: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal:
    """扣分项合计: each (points, that item's own cap or None)."""
    total = ZERO
    for points, item_cap in deductions:
        total += min(points, item_cap) if item_cap is not None else points
    return round_points(max(total, ZERO))
