"""Rates: the one place that turns a numerator and a denominator into a percentage.

A rate is stored as its numerator and denominator and derived on demand, never typed. It is a
percentage rounded to 2 decimals, half up (四舍五入), the way statistical tables in the annual
reports print it. A zero denominator means the department had no such matters (无此类事项): the
rate is None, never 0%.
"""

from decimal import ROUND_HALF_UP, Decimal

RATE_QUANTUM = Decimal("0.01")
HUNDRED = Decimal("100")


def round_rate(value: Decimal) -> Decimal:
    return value.quantize(RATE_QUANTUM, rounding=ROUND_HALF_UP)


def rate_percent(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | None:
    """numerator / denominator × 100, rounded to 2 decimals half up; None when undefined."""
    if numerator is None or denominator is None:
        return None
    denominator = Decimal(denominator)
    if denominator == 0:
        return None
    return round_rate(Decimal(numerator) * HUNDRED / denominator)


def percentage_point_change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Change of a rate in percentage points (个百分点), rounded the same way as rates."""
    if current is None or previous is None:
        return None
    return round_rate(current - previous)
