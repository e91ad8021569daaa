"""How a stored value reads, wherever it is shown: figures, rates, 不适用/暂无数据, targets and dates.

One module, so that a rate of 48/50 cannot read one way on the entry page and another on the review
page. Each place has one rendering (`Place`); places that show the same thing to a reader agree:

    place            48/50            0/0               分母71件 only                 不适用（原因）  12件  nothing
    ENTRY, REVIEW    96%（48/50）     无此类事项（0/0）  无法计算（审结案件数71件，    不适用（原因）  12件  ""
                                                        结案数未填）
    REPORT_TABLE     96%⏎（48/50）    无此类事项         无法计算⏎（审结案件数71件）  不适用          12件  未填报
    REPORT_SENTENCE  96%              无此类事项         无法计算                     不适用          12件  未填报
    EXCEL            48/50            0/0               未填/71                      不适用：原因    12    ""
    AUDIT            48/50            0/0               未填/71                      不适用（原因）  12    ""

Why they differ where they do:
- A page cell says the rate first and its parts after; a report table puts the parts on their own
  line, because Unicode line breaking forbids a break between "%" and "（" and the cell would
  overflow. A report says no reasons (they are for the reviewer) and a sentence no fraction
  (editorial rule 11).
- An Excel cell holds what one would type (`EXCEL` is also how the entry page refills its inputs):
  no unit (the unit has its own column), ISO dates, "不适用：原因" (read back by
  `assessments.excel.common.raw_from_cells`), a rate as its two cells.
- The audit line is what the history and 审核评分's 自报值 (`ReviewScore.claimed_display`) record: the
  stored figures without units. 自报值 is compared with today's text to flag a changed value, so
  this rendering must not change.

Numbers are half-width digits without trailing zeros (rates were rounded by `indicators.rates`);
dates go through Django's localisation (the zh-hans DATE_FORMAT, lawgov/formats/zh_Hans/formats.py),
so nothing types a date format by hand. Templates use the same formats through `|date`.
"""

import datetime
import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import get_format

from .models import TargetOperator, ValueState, ValueType
from .readings import IndicatorReading

if TYPE_CHECKING:  # models uses the date presenter
    from .models import Indicator

NO_CASES = "无此类事项"
NOT_COMPUTABLE = "无法计算"
NOT_REPORTED = "未填报"
NOT_FILLED = "未填"


class Place(enum.StrEnum):
    ENTRY = "entry"  # 填报页: this year's, last year's and a derived value
    REVIEW = "review"  # 审核页: 自报值 and last year's
    REPORT_TABLE = "report_table"  # a report's table cell
    REPORT_SENTENCE = "report_sentence"  # a figure as a report's prose (or a short table column) says it
    EXCEL = "excel"  # a workbook cell, and the page's inputs: as typed, read back by parsing
    AUDIT = "audit"  # the audit trail and 自报值


PAGES = frozenset({Place.ENTRY, Place.REVIEW})
REPORTS = frozenset({Place.REPORT_TABLE, Place.REPORT_SENTENCE})
AS_TYPED = frozenset({Place.EXCEL, Place.AUDIT})


# --- numbers and dates -------------------------------------------------------------------------


def number_text(value: Decimal | int | None) -> str:
    """Half-width digits, no trailing zeros: 12, 95.5, 95.24; None is the empty string."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.to_integral_value():f}"
    return f"{value.normalize():f}"


def percent_text(rate: Decimal | None) -> str:
    """99.13%, 100%; None (a zero denominator) is 无此类事项, never 0%."""
    return NO_CASES if rate is None else f"{number_text(rate)}%"


def _format(value: datetime.date | datetime.datetime, format_type: str) -> str:
    # The project's language, not the active one: messages are also written by Celery tasks and
    # management commands, where no request activated a language.
    return dateformat.format(value, get_format(format_type, lang=settings.LANGUAGE_CODE))


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """2025年4月10日; a datetime is read in local time; None is the empty string."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return _format(value, "DATE_FORMAT")


def datetime_text(value: datetime.datetime | None) -> str:
    """2025年4月10日 14:30 in local time; None is the empty string."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format(value, "DATETIME_FORMAT")


def time_text(value: datetime.datetime) -> str:
    """14:30 in local time: when something was saved today, as a status line says it."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%H:%M")


# --- the parts of a value ----------------------------------------------------------------------


def state_text(state: str, reason: str = "", *, place: Place = Place.ENTRY) -> str:
    """不适用（本单位无行政复议职能）; in a workbook cell 不适用：本单位无行政复议职能; in a report 不适用."""
    label = ValueState(state).label
    if place in REPORTS or not reason:
        return label
    return f"{label}：{reason}" if place == Place.EXCEL else f"{label}（{reason}）"


def fraction_text(numerator: object, denominator: object) -> str:
    """48/50; a part not entered is 未填 (未填/71); both missing is the empty string."""
    top, bottom = (_typed(part) for part in (numerator, denominator))
    return f"{top or NOT_FILLED}/{bottom or NOT_FILLED}" if (top or bottom) else ""


def _typed(part: object) -> str:
    if part is None:
        return ""
    return number_text(part) if isinstance(part, Decimal | int) else str(part)


def part_text(label: str, value: Decimal | int | None, unit: str = "") -> str:
    """A count with its name and measure word (审结案件数71件); a missing one is 审结案件数未填."""
    return f"{label}{NOT_FILLED}" if value is None else f"{label}{number_text(value)}{unit}"


def rate_parts(indicator: "Indicator") -> tuple[tuple[str, str], tuple[str, str]]:
    """((numerator name, unit), (denominator name, unit)); 分子/分母 where the framework names none."""
    return (
        (indicator.numerator_label or "分子", indicator.numerator_unit),
        (indicator.denominator_label or "分母", indicator.denominator_unit),
    )


def known_parts_text(indicator: "Indicator", reading: IndicatorReading, *, with_missing: bool) -> str:
    """The parts of a rate as counts: 审结案件数71件 (and ，结案数未填 for what is missing)."""
    (top_label, top_unit), (bottom_label, bottom_unit) = rate_parts(indicator)
    known = [
        part_text(label, value, unit)
        for label, unit, value in (
            (bottom_label, bottom_unit, reading.denominator),
            (top_label, top_unit, reading.numerator),
        )
        if value is not None or with_missing
    ]
    return "，".join(known)


# --- a value -----------------------------------------------------------------------------------


def value_text(indicator: "Indicator", reading: IndicatorReading | None, place: Place) -> str:
    """A reading as `place` shows it (see the module's table)."""
    if reading is None or not reading.is_recorded:
        return NOT_REPORTED if place in REPORTS else ""
    if not reading.is_figure:
        return state_text(reading.state, reading.reason, place=place)
    if reading.is_rate:
        return _rate_text(indicator, reading, place)
    return _single_text(indicator, reading.value, place)


def _rate_text(indicator: "Indicator", reading: IndicatorReading, place: Place) -> str:
    fraction = fraction_text(reading.numerator, reading.denominator)
    if place in AS_TYPED:
        return fraction
    if reading.has_no_cases:
        return f"{NO_CASES}（{fraction}）" if place in PAGES else NO_CASES
    if reading.is_partial:
        if place in PAGES:
            return f"{NOT_COMPUTABLE}（{known_parts_text(indicator, reading, with_missing=True)}）"
        if place == Place.REPORT_TABLE:
            return f"{NOT_COMPUTABLE}\n（{known_parts_text(indicator, reading, with_missing=False)}）"
        return NOT_COMPUTABLE
    rate = percent_text(reading.rate)
    if place in PAGES:
        return f"{rate}（{fraction}）"
    return f"{rate}\n（{fraction}）" if place == Place.REPORT_TABLE else rate


def _single_text(indicator: "Indicator | None", value: object, place: Place) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat() if place == Place.EXCEL else date_text(value)
    if isinstance(value, tuple):
        return "、".join(value)
    if isinstance(value, Decimal | int):
        unit = "" if place in AS_TYPED else _unit(indicator)
        return f"{number_text(value)}{unit}"
    return str(value)


def _unit(indicator: "Indicator | None") -> str:
    if indicator is None or indicator.value_type not in (ValueType.COUNT, ValueType.AMOUNT):
        return ""
    return indicator.unit


def figure_text(reading: IndicatorReading) -> str:
    """The figure alone, for a phrase template's {value} that writes its own unit: 12, 96 (a rate's
    percentage), 是, 2025年3月1日, 甲、乙."""
    if reading.is_rate:
        return number_text(reading.rate)
    value = reading.value
    if value is None:
        return ""
    return _single_text(None, value, Place.AUDIT)


# --- targets -----------------------------------------------------------------------------------

TARGET_WORDS: dict[str, str] = {
    TargetOperator.GTE: "不低于",
    TargetOperator.GT: "高于",
    TargetOperator.LTE: "不超过",
    TargetOperator.LT: "低于",
    TargetOperator.EQ: "",
}


def target_text(indicator: "Indicator", place: Place) -> str:
    """An indicator's target: ≥100%, 2025年3月1日前. A page or a workbook shows the framework's note
    when there is one (it says what the figure cannot, e.g. 一季度内公布); a report states the figure
    it measures against: ≥100% in a table ("—" for none; ≤0件 reads "0件": none may occur), 不低于100%
    in a sentence."""
    if place not in REPORTS and indicator.target_note:
        return indicator.target_note
    if indicator.target_date:
        return f"{date_text(indicator.target_date)}前"
    if not indicator.target_operator or indicator.target_value is None:
        return indicator.target_note or ("—" if place == Place.REPORT_TABLE else "")
    unit = "%" if indicator.value_type == ValueType.RATE else indicator.unit
    figure = f"{number_text(indicator.target_value)}{unit}"
    if place == Place.REPORT_SENTENCE:
        return f"{TARGET_WORDS.get(indicator.target_operator, '')}{figure}"
    allows_none = indicator.target_operator in (TargetOperator.LTE, TargetOperator.EQ) and not indicator.target_value
    if place == Place.REPORT_TABLE and allows_none:
        return figure
    return f"{TargetOperator(indicator.target_operator).label}{figure}"
