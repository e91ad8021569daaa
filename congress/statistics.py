"""Confidence intervals for the congress report, in Decimal.

Percentages are `indicators.rates`'s: 2 decimals, half up (e.g. 326/358 = 91.06%), as Chinese
official reports print them; a zero denominator means "no such cases" and gives None, never 0%.
"""

from dataclasses import dataclass
from decimal import Decimal, localcontext

from indicators.rates import round_rate

# 95% two-sided normal quantile, as used in survey reports.
Z_95 = Decimal("1.96")


@dataclass(frozen=True)
class Interval:
    """A confidence interval in percent (2 decimals)."""

    low: Decimal
    high: Decimal


def wilson_interval(successes: int, n: int, *, z: Decimal = Z_95) -> Interval | None:
    """The Wilson score interval for a proportion, in percent.

    Chosen over the normal (Wald) interval because satisfaction rates in government surveys sit
    near 100% and groups are small, where the Wald interval overshoots 100% or collapses to zero
    width. With p = successes/n:

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
    """
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    with localcontext() as context:
        context.prec = 28
        count = Decimal(n)
        p = Decimal(successes) / count
        z2 = z * z
        denominator = 1 + z2 / count
        centre = (p + z2 / (2 * count)) / denominator
        half = z * (p * (1 - p) / count + z2 / (4 * count * count)).sqrt() / denominator
        low = max(Decimal(0), centre - half)
        high = min(Decimal(1), centre + half)
        return Interval(
            low=round_rate(low * 100),
            high=round_rate(high * 100),
        )
