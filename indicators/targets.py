"""Targets that can be met: the range a figure can take, and whether a target lies inside it.

A target is a promise the framework makes to every unit ("≥95%" means some unit can get there).
A target outside the range of its figure — a rate above 100%, a score above the scale's maximum, a
count below 0 — can never be met: every unit fails it and it becomes the top shortfall of every
report. Such targets are refused (model clean and the file import). A target only the scale's very
edge meets (≥100 on a 100-point scale) is allowed but warned about, as is one that no unit met last
year (see selectors.target_warnings).
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models imports this module
    from .models import IndicatorFramework

# What a bound or a target may be given as: a model field's Decimal, or a number typed in a form or file.
Number = Decimal | int | str

HUNDRED = Decimal("100")
ZERO = Decimal("0")

# value types whose target compares a number (a rate compares its percentage)
NUMERIC_TYPES = ("count", "amount", "rate", "multiple_choice")


def value_range(
    *, value_type: str, scale_min: Number | None = None, scale_max: Number | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest value a figure can take (None: unbounded): a rate 0–100%, a count or
    amount from 0, narrowed by the indicator's own scale (满意度 0–100分)."""
    low: Decimal | None = ZERO if value_type in NUMERIC_TYPES else None
    high: Decimal | None = HUNDRED if value_type == "rate" else None
    if scale_min is not None:
        low = Decimal(scale_min) if low is None else max(low, Decimal(scale_min))
    if scale_max is not None:
        high = Decimal(scale_max) if high is None else min(high, Decimal(scale_max))
    return low, high


def _number(value: Number) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}" if value != value.to_integral_value() else f"{value.to_integral_value():f}"


def target_problems(
    *,
    value_type: str,
    operator: str,
    value: Number | None,
    scale_min: Number | None = None,
    scale_max: Number | None = None,
    unit: str = "",
) -> list[str]:
    """Chinese reasons the target can never be met (or the scale is inverted); empty when it can."""
    problems: list[str] = []
    if scale_min is not None and scale_max is not None and Decimal(scale_min) > Decimal(scale_max):
        problems.append(f"取值下限（{_number(scale_min)}）不能大于取值上限（{_number(scale_max)}）")
        return problems
    if not operator or value is None or value_type not in NUMERIC_TYPES:
        return problems
    low, high = value_range(value_type=value_type, scale_min=scale_min, scale_max=scale_max)
    target = Decimal(value)
    unit = "%" if value_type == "rate" else unit
    what = "比率最高为100%" if value_type == "rate" and high == HUNDRED else f"取值上限为{_number(high or 0)}{unit}"
    if high is not None and ((operator in (">=", "==") and target > high) or (operator == ">" and target >= high)):
        problems.append(f"目标值{_number(target)}{unit}无法达到：{what}，任何单位都不能达标")
    floor = "取值下限" if scale_min is not None else "最低"
    if low is not None and ((operator in ("<=", "==") and target < low) or (operator == "<" and target <= low)):
        problems.append(f"目标值{_number(target)}{unit}无法达到：{floor}为{_number(low)}{unit}，任何单位都不能达标")
    return problems


def value_outside_scale(
    *, value: Number | None, scale_min: Number | None = None, scale_max: Number | None = None, unit: str = ""
) -> str:
    """Why an entered figure cannot be a value of its scale (满意度 120 on a 0–100 scale), in Chinese;
    empty when it lies within. Entry and import refuse such a figure, as they refuse a typing error."""
    if value is None or (scale_min is None and scale_max is None):
        return ""
    number = Decimal(value)
    if (scale_min is not None and number < Decimal(scale_min)) or (
        scale_max is not None and number > Decimal(scale_max)
    ):
        low = f"{_number(Decimal(scale_min))}{unit}" if scale_min is not None else ""
        high = f"{_number(Decimal(scale_max))}{unit}" if scale_max is not None else ""
        span = f"{low}至{high}" if low and high else (f"不低于{low}" if low else f"不高于{high}")
        return f"填写的{_number(number)}{unit}超出本指标的取值范围（{span}），请核对"
    return ""


def target_at_edge(
    *,
    value_type: str,
    operator: str,
    value: Number | None,
    scale_min: Number | None = None,
    scale_max: Number | None = None,
) -> bool:
    """A target only the very edge of the scale meets: ≥ the maximum of a score scale (not a rate:
    100% of cases handled in time is an ordinary target)."""
    if not operator or value is None or value_type == "rate":
        return False
    low, high = value_range(value_type=value_type, scale_min=scale_min, scale_max=scale_max)
    target = Decimal(value)
    return (operator == ">=" and high is not None and target == high and scale_max is not None) or (
        operator == "<=" and scale_min is not None and low is not None and target == low
    )


# Other apps add functions `framework -> list[str]` (Chinese warnings) here from their AppConfig.ready:
# assessments adds "no unit met this target last year", which needs returns that indicators/ cannot
# read (apps depend one way).
TARGET_WARNING_SOURCES: list[Callable[["IndicatorFramework"], list[str]]] = []


def target_warnings(framework: "IndicatorFramework") -> list[str]:
    """Targets that can be met but deserve a second look: one only a perfect score meets, and (from
    the sources above) one no unit met last year. Shown before publishing and on the framework page;
    they block nothing."""
    warnings: list[str] = []
    for indicator in framework.indicators.order_by("order", "code"):
        if target_at_edge(
            value_type=indicator.value_type,
            operator=indicator.target_operator,
            value=indicator.target_value,
            scale_min=indicator.scale_min,
            scale_max=indicator.scale_max,
        ):
            warnings.append(
                f"{indicator.code} {indicator.name}：目标{indicator.target_display}只有取得满分（或取值边界）才能达到，"
                "请核实目标是否合理"
            )
    for source in TARGET_WARNING_SOURCES:
        warnings += source(framework)
    return warnings
