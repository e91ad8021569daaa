"""Carrying last year's readings over to this year's codes, for comparison and the swing check.

`selectors.indicator_predecessors(framework)` says which of last year's indicators each of this
year's continues; this module maps last year's readings (keyed by last year's codes) onto this
year's codes. A merge adds the predecessors' figures up — numerators and denominators separately,
never rates, each part only where every predecessor reported it — and a split shows the whole
predecessor beside each part. A predecessor that was 不适用 or 暂无数据 adds nothing to a merge;
when all were, the merged reading is that state (if they agree), never 0.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from .readings import IndicatorReading


def carry_forward(
    predecessor_codes: Mapping[str, Sequence[str]], previous_readings: Mapping[str, IndicatorReading]
) -> dict[str, IndicatorReading]:
    """{this year's code: last year's reading}, for the codes that have one."""
    carried = {}
    for code, old_codes in predecessor_codes.items():
        readings = [previous_readings[old] for old in old_codes if old in previous_readings]
        if len(readings) == 1:
            carried[code] = readings[0]
        elif readings:
            merged = _merge(readings)
            if merged is not None:
                carried[code] = merged
    return carried


def _merge(readings: Sequence[IndicatorReading]) -> IndicatorReading | None:
    figures = [reading for reading in readings if reading.is_figure]
    if not figures:
        return _merged_state(readings)
    if all(reading.is_rate for reading in figures):
        numerator, denominator = _part_sum(figures, "numerator"), _part_sum(figures, "denominator")
        if numerator is None and denominator is None:
            return None
        return IndicatorReading(numerator=numerator, denominator=denominator)
    values = [reading.value for reading in figures]
    numbers = [value for value in values if isinstance(value, Decimal)]
    if len(numbers) == len(values):
        return IndicatorReading(value=sum(numbers, Decimal(0)))
    return None


def _merged_state(readings: Sequence[IndicatorReading]) -> IndicatorReading | None:
    states = {reading.state for reading in readings}
    if len(states) != 1:
        return None
    return IndicatorReading(state=states.pop(), reason="；".join(r.reason for r in readings if r.reason))


def _part_sum(readings: Sequence[IndicatorReading], part: str) -> Decimal | None:
    """Σ of one part of a rate, or None unless every predecessor reported that part."""
    parts = [getattr(reading, part) for reading in readings]
    if any(value is None for value in parts):
        return None
    return sum((Decimal(value) for value in parts), Decimal(0))
