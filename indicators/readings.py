"""What one department reported for one indicator, as the expression engine, scoring and phrasing see it.

Returns (assessments/) build a `dict[code, IndicatorReading]` from their stored values and hand it
to `indicators.validation`, `indicators.scoring` and `indicators.phrasing`; none of those touch the
database.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .models import ValueState
from .rates import rate_percent

ReadingValue = Decimal | bool | datetime.date | str | tuple[str, ...] | None


@dataclass(frozen=True)
class IndicatorReading:
    """value: count/amount as Decimal, yes-no as bool, a date, a choice (str), choices (tuple), text.
    A rate carries numerator and denominator instead, and `value` stays None; either part may be
    known alone (the rate is then 无法计算). `state` says 不适用 or 暂无数据 (with `reason`); such a
    reading carries no figure, and every consumer must treat it as itself, never as 0 or empty."""

    value: ReadingValue = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    state: str = ValueState.VALUE
    reason: str = ""

    @property
    def is_not_applicable(self) -> bool:
        return self.state == ValueState.NOT_APPLICABLE

    @property
    def is_not_available(self) -> bool:
        return self.state == ValueState.NOT_AVAILABLE

    @property
    def is_figure(self) -> bool:
        """A figure was reported (not 不适用 / 暂无数据)."""
        return self.state == ValueState.VALUE

    @property
    def is_partial(self) -> bool:
        """A rate with only one of its parts known: each part is a figure, the rate is 无法计算."""
        return self.is_figure and (self.numerator is None) != (self.denominator is None)

    @property
    def is_recorded(self) -> bool:
        """Something was recorded: a state, a complete figure or one part of a rate."""
        return not self.is_figure or self.is_partial or not self.is_empty

    @property
    def rate(self) -> Decimal | None:
        """Percentage, 2 decimals half up; None when the denominator is 0 (无此类事项) or missing."""
        return rate_percent(self.numerator, self.denominator)

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None or self.denominator is not None

    @property
    def has_no_cases(self) -> bool:
        """A rate whose denominator is 0: the department had no such matters this year."""
        return self.denominator is not None and Decimal(self.denominator) == 0

    @property
    def is_empty(self) -> bool:
        """No complete figure to measure: nothing entered, one part of a rate only, or a state."""
        if not self.is_figure:
            return True
        if self.is_rate:
            return self.numerator is None or self.denominator is None
        return self.value is None or self.value == "" or self.value == ()

    @property
    def measure(self) -> Decimal | bool | datetime.date | str | None:
        """The single figure a target is compared with: the rate for rates, the number of choices
        ticked for a multiple choice, the value otherwise."""
        if self.is_rate:
            return self.rate
        if isinstance(self.value, tuple):
            return Decimal(len(self.value))
        if isinstance(self.value, int) and not isinstance(self.value, bool):
            return Decimal(self.value)
        return self.value
