"""Between an indicator's value type and the IndicatorValue columns: parse raw input into columns,
read columns back as an `IndicatorReading` (what validation, scoring and phrasing take), and refill
the page's inputs. How a value reads is `indicators.presenting`'s. No queries.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from indicators.models import ValueState, ValueType
from indicators.presenting import Place, fraction_text, number_text, state_text, value_text
from indicators.readings import IndicatorReading
from indicators.targets import value_outside_scale

from . import parsing

TYPED_COLUMNS = (
    "value_integer",
    "value_decimal",
    "numerator",
    "denominator",
    "value_boolean",
    "value_date",
    "value_choice",
    "value_choices",
    "value_text",
    "state",
    "state_reason",
)
EMPTY_COLUMNS: dict[str, object] = {
    "value_integer": None,
    "value_decimal": None,
    "numerator": None,
    "denominator": None,
    "value_boolean": None,
    "value_date": None,
    "value_choice": "",
    "value_choices": [],
    "value_text": "",
    "state": ValueState.VALUE,
    "state_reason": "",
}
# The page's (and an import's) way to say 不适用 / 暂无数据: a state and its reason beside the inputs.
STATE_KEYS = ("state", "reason")
STATE_WORDS = {
    ValueState.NOT_APPLICABLE.label: ValueState.NOT_APPLICABLE,
    ValueState.NOT_AVAILABLE.label: ValueState.NOT_AVAILABLE,
    "无数据": ValueState.NOT_AVAILABLE,
}
REASON_MAX_LENGTH = 500


def raw_keys(value_type: str) -> tuple[str, ...]:
    """The keys of `raw_input` a value type uses (and the names of the page's inputs)."""
    if value_type == ValueType.RATE:
        return ("numerator", "denominator")
    if value_type == ValueType.MULTIPLE_CHOICE:
        return ("choices",)
    if value_type == ValueType.EVIDENCE:
        return ()
    return ("value",)


def input_keys(value_type: str) -> tuple[str, ...]:
    """Every key of `raw_input` for a value type: its inputs and, but for evidence, the state keys."""
    keys = raw_keys(value_type)
    return (*keys, *STATE_KEYS) if keys else ()


def state_of(text: object) -> str:
    """A state code from what a page or a file says: the code, the Chinese word, else "" (a figure)."""
    word = str(text or "").strip()
    if word in (ValueState.NOT_APPLICABLE, ValueState.NOT_AVAILABLE):
        return word
    return STATE_WORDS.get(word, "")


def state_from_text(text: object) -> tuple[str, str]:
    """“不适用：本单位无行政复议职能” typed where a figure goes (an Excel cell): (state, reason);
    ("", "") when the text is not a state word."""
    text = str(text or "")
    if text.isascii():
        return "", ""  # every state word is Chinese, and NFKC keeps ASCII as it is: most cells, at once
    word = parsing.normalise(text)
    for label, state in STATE_WORDS.items():
        if word.startswith(label):
            reason = word[len(label) :].strip().strip("：:，,（()）").strip()
            return state, reason
    return "", ""


@dataclass(frozen=True)
class ParsedValue:
    columns: dict[str, object] = field(default_factory=dict)  # every typed column, cleared or set
    errors: tuple[str, ...] = ()

    @property
    def error(self) -> str:
        return "；".join(self.errors)


def clean_raw(value_type: str, raw: Mapping) -> dict:
    """Only the keys this type uses, as strings (or a list of strings for choices); the state as its
    code and its reason as typed, present only when not empty (a figure's raw input stays as it was)."""
    cleaned: dict[str, object] = {}
    for key in input_keys(value_type):
        item = raw.get(key)
        if key == "choices":
            cleaned[key] = [str(choice) for choice in (item or [])]
        elif key == "state":
            if state_of(item):
                cleaned[key] = state_of(item)
        elif key == "reason":
            if str(item or "").strip():
                cleaned[key] = str(item).replace("\r\n", "\n").strip()
        else:
            cleaned[key] = "" if item is None else str(item)
    return cleaned


def parse_raw(indicator, raw: Mapping) -> ParsedValue:
    """Parse what was typed for `indicator`. On an error every typed column is left empty, so the
    database never holds a half-understood figure; the raw input keeps what was typed."""
    value_type = indicator.value_type
    columns = dict(EMPTY_COLUMNS)
    state, reason = state_of(raw.get("state")), str(raw.get("reason") or "").strip()
    if not state:
        # A state word typed where the figure goes (an Excel cell, a pasted “不适用”).
        typed = raw.get("numerator") if value_type == ValueType.RATE else raw.get("value")
        state, typed_reason = state_from_text(typed)
        reason = reason or typed_reason
    if state:
        return _parse_state(indicator, state, reason, columns)
    if value_type == ValueType.RATE:
        rate = parsing.parse_rate(raw.get("numerator"), raw.get("denominator"))
        if not rate.is_valid:
            return ParsedValue(columns, tuple(rate.errors))
        columns["numerator"], columns["denominator"] = rate.numerator.value, rate.denominator.value
        return ParsedValue(columns)
    parsed = _parse_single(indicator, raw)
    if not parsed.is_valid:
        return ParsedValue(columns, (parsed.error,))
    if value_type in (ValueType.COUNT, ValueType.AMOUNT):
        figure = parsed.value if isinstance(parsed.value, Decimal | int) else None
        outside = value_outside_scale(
            value=figure,
            scale_min=getattr(indicator, "scale_min", None),
            scale_max=getattr(indicator, "scale_max", None),
            unit=indicator.unit,
        )
        if outside:
            return ParsedValue(columns, (outside,))
    if parsed.value is not None:
        columns[COLUMN_OF[value_type]] = parsed.value
    return ParsedValue(columns)


def _parse_state(indicator, state: str, reason: str, columns: dict) -> ParsedValue:
    label = ValueState(state).label
    if state == ValueState.NOT_AVAILABLE and not indicator.allows_not_available:
        return ParsedValue(columns, ("本指标不能填“暂无数据”：请填写数值，确不涉及的填“不适用”并说明原因",))
    if not reason:
        return ParsedValue(columns, (f"选择“{label}”须说明原因",))
    if len(reason) > REASON_MAX_LENGTH:
        return ParsedValue(columns, (f"“{label}”的原因不能超过 {REASON_MAX_LENGTH} 字（现为 {len(reason)} 字）",))
    columns["state"], columns["state_reason"] = state, reason
    return ParsedValue(columns)


COLUMN_OF = {
    ValueType.COUNT: "value_integer",
    ValueType.AMOUNT: "value_decimal",
    ValueType.BOOLEAN: "value_boolean",
    ValueType.DATE: "value_date",
    ValueType.SINGLE_CHOICE: "value_choice",
    ValueType.MULTIPLE_CHOICE: "value_choices",
    ValueType.TEXT: "value_text",
}


def _parse_single(indicator, raw: Mapping) -> parsing.Parsed[object]:
    value_type, text = indicator.value_type, raw.get("value")
    if value_type == ValueType.COUNT:
        return parsing.parse_count(text, unit=indicator.unit)
    if value_type == ValueType.AMOUNT:
        return parsing.parse_amount(text, unit=indicator.unit)
    if value_type == ValueType.BOOLEAN:
        return parsing.parse_boolean(text)
    if value_type == ValueType.DATE:
        return parsing.parse_date(text)
    if value_type == ValueType.SINGLE_CHOICE:
        return parsing.parse_choice(text, options=indicator.options)
    if value_type == ValueType.MULTIPLE_CHOICE:
        return parsing.parse_choices(raw.get("choices"), options=indicator.options)
    if value_type == ValueType.TEXT:
        return parsing.parse_text(text)
    return parsing.EMPTY


def reading_of(indicator, row) -> IndicatorReading:
    """The stored, parsed figure as the framework's functions read it (raw input is ignored)."""
    value_type = indicator.value_type
    state = getattr(row, "state", ValueState.VALUE) or ValueState.VALUE
    if state != ValueState.VALUE:
        return IndicatorReading(state=state, reason=row.state_reason)
    if value_type == ValueType.RATE:
        return IndicatorReading(numerator=row.numerator, denominator=row.denominator)
    if value_type == ValueType.COUNT:
        return IndicatorReading(value=None if row.value_integer is None else Decimal(row.value_integer))
    if value_type == ValueType.AMOUNT:
        return IndicatorReading(value=row.value_decimal)
    if value_type == ValueType.BOOLEAN:
        return IndicatorReading(value=row.value_boolean)
    if value_type == ValueType.DATE:
        return IndicatorReading(value=row.value_date)
    if value_type == ValueType.SINGLE_CHOICE:
        return IndicatorReading(value=row.value_choice or None)
    if value_type == ValueType.MULTIPLE_CHOICE:
        return IndicatorReading(value=tuple(row.value_choices or ()) or None)
    if value_type == ValueType.TEXT:
        return IndicatorReading(value=row.value_text or None)
    return IndicatorReading()


def filled_reading(indicator, row) -> IndicatorReading | None:
    """`reading_of` when the row is filled, else None. Filled: something usable is stored, a figure,
    one part of a rate, 不适用 or 暂无数据 (evidence-only indicators count as filled by their files).
    A page that needs the readings asks this once per row instead of `is_filled` and `reading_of`."""
    reading = reading_of(indicator, row)
    return reading if indicator.value_type == ValueType.EVIDENCE or reading.is_recorded else None


def is_filled(indicator, row) -> bool:
    return filled_reading(indicator, row) is not None


def filled_readings(rows: Iterable[tuple[Any, Any]]) -> dict[str, IndicatorReading]:
    """{code: reading} of the filled ones among (indicator, row) pairs."""
    readings = {}
    for indicator, row in rows:
        reading = filled_reading(indicator, row)
        if reading is not None:
            readings[indicator.code] = reading
    return readings


def display(indicator, row) -> str:
    """The stored value as the audit trail and 自报值 record it (`Place.AUDIT`): 12、48/50、未填/71、
    不适用（原因）."""
    return value_text(indicator, reading_of(indicator, row), Place.AUDIT)


def display_raw(value_type: str, raw: Mapping) -> str:
    """What was typed, as one text (for the audit trail and the conflict view)."""
    if not raw:
        return ""
    state = state_of(raw.get("state"))
    if state:
        return state_text(state, str(raw.get("reason") or "").strip(), place=Place.AUDIT)
    if value_type == ValueType.RATE:
        return fraction_text(raw.get("numerator") or None, raw.get("denominator") or None)
    if value_type == ValueType.MULTIPLE_CHOICE:
        return "、".join(raw.get("choices") or [])
    return str(raw.get("value", ""))


def raw_from_row(indicator, row) -> dict:
    """The inputs to show on the page: the raw input when there is one, else the stored value."""
    if row.raw_input:
        return clean_raw(indicator.value_type, row.raw_input)
    value_type = indicator.value_type
    state = getattr(row, "state", ValueState.VALUE) or ValueState.VALUE
    if state != ValueState.VALUE and value_type != ValueType.EVIDENCE:
        return clean_raw(value_type, {"state": state, "reason": row.state_reason})
    if value_type == ValueType.RATE:
        return {"numerator": number_text(row.numerator), "denominator": number_text(row.denominator)}
    if value_type == ValueType.MULTIPLE_CHOICE:
        return {"choices": list(row.value_choices or [])}
    if value_type == ValueType.EVIDENCE:
        return {}
    return {"value": value_text(indicator, reading_of(indicator, row), Place.EXCEL)}
