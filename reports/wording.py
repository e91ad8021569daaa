"""How figures are written in reports (pure functions, no queries).

The rule, once (from the seeds: 出庭应诉率达99.13%, 成功率达99.7%, 办复率达100%, 比上年增长2.5%):
every computed figure — a rate, a change in percentage points, a relative change — is rounded half
up to two decimals (indicators.rates) and printed without trailing zeros, so 99.13%, 99.7%, 100%.
A zero denominator is 无此类事项, never 0%.

Changes from last year and what a sentence may say are the editorial rules (reports.editorial).
"""

import datetime
from decimal import Decimal

from indicators.models import TargetOperator, ValueState, ValueType
from indicators.phrasing import format_number
from indicators.presenting import date_text
from indicators.readings import IndicatorReading

NO_CASES = "无此类事项"
NOT_REPORTED = "未填报"
NOT_COMPUTABLE = "无法计算"


def percent_text(rate: Decimal | None) -> str:
    return NO_CASES if rate is None else f"{format_number(rate)}%"


def value_text(indicator, reading: IndicatorReading | None, *, with_fraction: bool = False) -> str:
    """A reading as a table cell: 99.13%, 71件, 是, 2025年3月1日; 不适用, 暂无数据 and a rate of
    which one part is known (无法计算, with that part) as themselves, never as a figure. The fraction
    goes on its own line: Unicode line breaking forbids a break between "%" and "（", so it would
    overflow."""
    if reading is None:
        return NOT_REPORTED
    if not reading.is_figure:
        return ValueState(reading.state).label
    if indicator.value_type == ValueType.RATE:
        if reading.has_no_cases:
            return NO_CASES
        if reading.is_partial:
            return f"{NOT_COMPUTABLE}\n（{part_text(indicator, reading)}）" if with_fraction else NOT_COMPUTABLE
        if reading.is_empty:
            return NOT_REPORTED
        fraction = f"\n（{format_number(reading.numerator)}/{format_number(reading.denominator)}）"
        return percent_text(reading.rate) + (fraction if with_fraction else "")
    if reading.is_empty:
        return NOT_REPORTED
    value = reading.value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return date_text(value)
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal | int):
        return f"{format_number(value)}{indicator.unit}"
    return str(value)


def part_text(indicator, reading: IndicatorReading) -> str:
    """The known part(s) of a rate as counts with their names and units: 审结案件数71件."""
    parts = []
    for label, unit, value in (
        (indicator.numerator_label or "分子", indicator.numerator_unit, reading.numerator),
        (indicator.denominator_label or "分母", indicator.denominator_unit, reading.denominator),
    ):
        if value is not None:
            parts.append(f"{label}{format_number(value)}{unit}")
    return "，".join(parts)


def target_text(indicator) -> str:
    if indicator.target_date:
        return f"{date_text(indicator.target_date)}前"
    if not indicator.target_operator or indicator.target_value is None:
        return indicator.target_note or "—"
    unit = "%" if indicator.value_type == ValueType.RATE else indicator.unit
    if indicator.target_operator in (TargetOperator.LTE, TargetOperator.EQ) and indicator.target_value == 0:
        return f"0{unit}"  # "≤0件" reads as "0件": none may occur
    symbol = TargetOperator(indicator.target_operator).label
    return f"{symbol}{format_number(indicator.target_value)}{unit}"


def sentence(parts: list[str]) -> str:
    """Clauses joined the way the seeds write them: "…71件；…99.13%，较上年提高5.27个百分点。"."""
    clauses = [part.rstrip("。；;，, ") for part in parts if part]
    return "；".join(clauses) + "。" if clauses else ""


def paragraphs_of(text: str) -> list[str]:
    """A narrative as typed: one paragraph per non-empty line."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
