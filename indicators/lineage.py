"""Carrying last year's readings over to this year's codes, for comparison and the swing check.

`selectors.indicator_predecessors(framework)` says which of last year's indicators each of this
year's continues; this module maps last year's readings (keyed by last year's codes) onto this
year's codes. A merge adds the predecessors' figures up — numerators and denominators separately,
never rates — and a split shows the whole predecessor beside each part.
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
    if all(reading.is_rate and not reading.is_empty for reading in readings):
        return IndicatorReading(
            numerator=sum((Decimal(reading.numerator) for reading in readings), Decimal(0)),
            denominator=sum((Decimal(reading.denominator) for reading in readings), Decimal(0)),
        )
    values = [reading.value for reading in readings]
    if all(isinstance(value, Decimal) for value in values):
        return IndicatorReading(value=sum(values, Decimal(0)))
    return None
