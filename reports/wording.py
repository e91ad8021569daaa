"""How figures are written in reports (pure functions, no queries).

The rule, once (from the seeds: 出庭应诉率达99.13%, 成功率达99.7%, 办复率达100%, 比上年增长2.5%):
every computed figure — a rate, a change in percentage points, a relative change — is rounded half
up to two decimals (indicators.rates) and printed without trailing zeros, so 99.13%, 99.7%, 100%.
A zero denominator is 无此类事项, never 0%.

Changes from last year: a rate moves in 个百分点 (提高/下降5.27个百分点, seed 001); a count or an
amount says the absolute change in its unit and then the relative one, as real reports do
(较上年增加8件，增长12.7% / 较上年减少7件，下降10%). A score (unit 分) changes in points, never in
percent: 提高2.5分.
"""

import datetime
from decimal import Decimal

from indicators.models import TargetOperator, ValueType
from indicators.phrasing import format_number, render_phrase, yoy_clause
from indicators.presenting import date_text
from indicators.rates import percentage_point_change, round_rate
from indicators.readings import IndicatorReading

NO_CASES = "无此类事项"
NOT_REPORTED = "未填报"
# Scores (测评得分, 满意度得分) are means, not totals: they change in points, not in percent.
SCORE_UNITS = ("分",)


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
        return date_text(value)
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal | int):
        return f"{format_number(value)}{indicator.unit}"
    return str(value)


def _comparable(current: IndicatorReading | None, previous: IndicatorReading | None) -> tuple[Decimal, Decimal] | None:
    if current is None or previous is None:
        return None
    now, before = current.measure, previous.measure
    if isinstance(now, bool) or isinstance(before, bool):
        return None
    if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
        return None
    return now, before


def relative_change(now: Decimal, before: Decimal) -> str:
    """增长12.7% / 下降10%; empty when nothing changed, when last year was 0 (no honest percentage)
    or when this year is 0 ("下降100%" says no more than 减少3件)."""
    if before == 0 or now == 0 or now == before:
        return ""
    percent = round_rate(abs(now - before) * 100 / before)
    return f"{'增长' if now > before else '下降'}{format_number(percent)}%"


def _is_counted(indicator) -> bool:
    return indicator.value_type in (ValueType.COUNT, ValueType.AMOUNT) and indicator.unit not in SCORE_UNITS


def change_text(indicator, current: IndicatorReading | None, previous: IndicatorReading | None) -> str:
    """A table cell: 提高5.27个百分点 / 增长12.7% / 提高2.5分 / 持平; "—" when either year cannot be
    compared."""
    pair = _comparable(current, previous)
    if pair is None:
        return "—"
    now, before = pair
    if indicator.value_type == ValueType.RATE:
        delta = percentage_point_change(now, before)
        if delta == 0:
            return "持平"
        return f"{'提高' if delta > 0 else '下降'}{format_number(abs(delta))}个百分点"
    if now == before:
        return "持平"
    if not _is_counted(indicator):
        return f"{'提高' if now > before else '下降'}{format_number(abs(now - before))}{indicator.unit}"
    absolute = f"{'增加' if now > before else '减少'}{format_number(abs(now - before))}{indicator.unit}"
    return relative_change(now, before) or absolute


def figure_phrase(indicator, current: IndicatorReading | None, previous: IndicatorReading | None) -> str:
    """The indicator's report sentence (its phrase template, indicators.phrasing) with, for a count
    or an amount, the relative change after the absolute one: "…71件，较上年增加8件，增长12.7%".
    A template that already says {percent} is left as its author wrote it."""
    phrase = render_phrase(indicator, current, previous)
    if not phrase or not _is_counted(indicator) or "{percent}" in indicator.yoy_phrase_template:
        return phrase
    pair = _comparable(current, previous)
    if pair is None or not yoy_clause(indicator, current, previous):
        return phrase
    relative = relative_change(*pair)
    return f"{phrase}，{relative}" if relative else phrase


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
