"""How figures are written in reports (pure functions, no queries).

Rates: 2 decimals as "99.13%" (indicators.rates rounds half up); a zero denominator is 无此类事项,
never 0%. Changes: rates in 个百分点 (提高/下降), counts and amounts in percent (增长/减少), as the
issue and the seeds write them ("较2021年同期提高5.27个百分点").
"""

import datetime
from decimal import Decimal

from indicators.models import TargetOperator, ValueType
from indicators.phrasing import format_date, format_number
from indicators.rates import percentage_point_change, round_rate
from indicators.readings import IndicatorReading

NO_CASES = "无此类事项"
NOT_REPORTED = "未填报"


def date_text(value: datetime.date | None) -> str:
    return format_date(value) if value else ""


def percent_text(rate: Decimal | None) -> str:
    return NO_CASES if rate is None else f"{format_number(rate)}%"


def value_text(indicator, reading: IndicatorReading | None, *, with_fraction: bool = False) -> str:
    """A reading as a table cell: 99.13%, 71件, 是, 2025年3月1日. The fraction goes on its own
    line: Unicode line breaking forbids a break between "%" and "（", so it would overflow."""
    if reading is None:
        return NOT_REPORTED
    if indicator.value_type == ValueType.RATE:
        if reading.has_no_cases:
            return NO_CASES
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
        return format_date(value)
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal | int):
        return f"{format_number(value)}{indicator.unit}"
    return str(value)


def change_text(indicator, current: IndicatorReading | None, previous: IndicatorReading | None) -> str:
    """提高5.27个百分点 / 增长12.7% / 持平; "—" when either year cannot be compared."""
    if current is None or previous is None:
        return "—"
    now, before = current.measure, previous.measure
    if isinstance(now, bool) or isinstance(before, bool):
        return "—"
    if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
        return "—"
    if indicator.value_type == ValueType.RATE:
        delta = percentage_point_change(now, before)
        if delta == 0:
            return "持平"
        return f"{'提高' if delta > 0 else '下降'}{format_number(abs(delta))}个百分点"
    if now == before:
        return "持平"
    if before == 0:
        return f"增加{format_number(now)}{indicator.unit}"
    percent = round_rate(abs(now - before) * 100 / before)
    return f"{'增长' if now > before else '减少'}{format_number(percent)}%"


def target_text(indicator) -> str:
    if indicator.target_date:
        return f"{format_date(indicator.target_date)}前"
    if not indicator.target_operator or indicator.target_value is None:
        return indicator.target_note or "—"
    unit = "%" if indicator.value_type == ValueType.RATE else indicator.unit
    if indicator.target_operator in (TargetOperator.LTE, TargetOperator.EQ) and indicator.target_value == 0:
        return f"0{unit}"  # "≤0件" reads as "0件": none may occur
    symbol = TargetOperator(indicator.target_operator).label
    return f"{symbol}{format_number(indicator.target_value)}{unit}"


def shortfall_text(indicator, reading: IndicatorReading | None) -> str:
    """One line of the below-target list: "出庭应诉率：93.75%，目标为≥100%。"."""
    if reading is not None and isinstance(reading.value, bool):
        return f"{indicator.name}：尚未落实。"
    target = target_text(indicator)
    actual = value_text(indicator, reading)
    return f"{indicator.name}：{actual}，目标为{target}。" if target != "—" else f"{indicator.name}：{actual}。"


def sentence(parts: list[str]) -> str:
    """Clauses joined the way the seeds write them: "…71件；…99.13%，较上年提高5.27个百分点。"."""
    clauses = [part.rstrip("。；;，, ") for part in parts if part]
    return "；".join(clauses) + "。" if clauses else ""


def paragraphs_of(text: str) -> list[str]:
    """A narrative as typed: one paragraph per non-empty line."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
