"""Between an indicator's value type and the IndicatorValue columns: parse raw input into columns,
read columns back as an `IndicatorReading` (what validation, scoring and phrasing take), and show a
value as text (the page, the audit trail, Excel). No queries.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.models import ValueType
from indicators.phrasing import format_number
from indicators.presenting import date_text
from indicators.readings import IndicatorReading

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
}


def raw_keys(value_type: str) -> tuple[str, ...]:
    """The keys of `raw_input` a value type uses (and the names of the page's inputs)."""
    if value_type == ValueType.RATE:
        return ("numerator", "denominator")
    if value_type == ValueType.MULTIPLE_CHOICE:
        return ("choices",)
    if value_type == ValueType.EVIDENCE:
        return ()
    return ("value",)


@dataclass(frozen=True)
class ParsedValue:
    columns: dict[str, object] = field(default_factory=dict)  # every typed column, cleared or set
    errors: tuple[str, ...] = ()

    @property
    def error(self) -> str:
        return "；".join(self.errors)


def clean_raw(value_type: str, raw: Mapping) -> dict:
    """Only the keys this type uses, as strings (or a list of strings for choices)."""
    cleaned: dict[str, object] = {}
    for key in raw_keys(value_type):
        item = raw.get(key)
        if key == "choices":
            cleaned[key] = [str(choice) for choice in (item or [])]
        else:
            cleaned[key] = "" if item is None else str(item)
    return cleaned


def parse_raw(indicator, raw: Mapping) -> ParsedValue:
    """Parse what was typed for `indicator`. On an error every typed column is left empty, so the
    database never holds a half-understood figure; the raw input keeps what was typed."""
    value_type = indicator.value_type
    columns = dict(EMPTY_COLUMNS)
    if value_type == ValueType.RATE:
        rate = parsing.parse_rate(raw.get("numerator"), raw.get("denominator"))
        if not rate.is_valid:
            return ParsedValue(columns, tuple(rate.errors))
        columns["numerator"], columns["denominator"] = rate.numerator.value, rate.denominator.value
        return ParsedValue(columns)
    parsed = _parse_single(indicator, raw)
    if not parsed.is_valid:
        return ParsedValue(columns, (parsed.error,))
    if parsed.value is not None:
        columns[COLUMN_OF[value_type]] = parsed.value
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


def _parse_single(indicator, raw: Mapping) -> parsing.Parsed:
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


def is_filled(indicator, row) -> bool:
    """Something usable is stored (evidence-only indicators count as filled by their files)."""
    if indicator.value_type == ValueType.EVIDENCE:
        return True
    return not reading_of(indicator, row).is_empty


def display(indicator, row) -> str:
    """The stored value as a short text: 12、95.5、是、2025年3月1日、甲、乙; a rate as 48/50."""
    value_type = indicator.value_type
    if value_type == ValueType.RATE:
        if row.numerator is None and row.denominator is None:
            return ""
        return f"{format_number(row.numerator)}/{format_number(row.denominator)}"
    reading = reading_of(indicator, row)
    value = reading.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, tuple):
        return "、".join(value)
    if hasattr(value, "year"):
        return date_text(value)
    return str(value)


def display_raw(value_type: str, raw: Mapping) -> str:
    """What was typed, as one text (for the audit trail and the conflict view)."""
    if not raw:
        return ""
    if value_type == ValueType.RATE:
        top, bottom = raw.get("numerator", ""), raw.get("denominator", "")
        return f"{top}/{bottom}" if (top or bottom) else ""
    if value_type == ValueType.MULTIPLE_CHOICE:
        return "、".join(raw.get("choices") or [])
    return str(raw.get("value", ""))


def raw_from_row(indicator, row) -> dict:
    """The inputs to show on the page: the raw input when there is one, else the stored value."""
    if row.raw_input:
        return clean_raw(indicator.value_type, row.raw_input)
    value_type = indicator.value_type
    if value_type == ValueType.RATE:
        return {"numerator": format_number(row.numerator), "denominator": format_number(row.denominator)}
    if value_type == ValueType.MULTIPLE_CHOICE:
        return {"choices": list(row.value_choices or [])}
    if value_type == ValueType.BOOLEAN:
        return {"value": "" if row.value_boolean is None else ("是" if row.value_boolean else "否")}
    if value_type == ValueType.DATE:
        return {"value": row.value_date.isoformat() if row.value_date else ""}
    if value_type == ValueType.EVIDENCE:
        return {}
    return {"value": display(indicator, row)}
