"""Reading what a department typed into a typed value, tolerantly, or saying exactly what is wrong.

Pure functions, no database. Tolerated and normalised: full-width characters (１２３，４５６．７),
thousands separators in the right places (1,234 / 1，234), spaces, the indicator's own unit or a
percent sign after the number (12件, 99.5%). Refused, each with its own Chinese message: words,
Chinese numerals, negative numbers, fractions on a count, more than 4 decimals, numbers beyond 14
digits, a different unit, a numerator above its denominator, dates that do not exist, choices that
are not offered, text over the length limit. An empty input is not an error: it is "not filled yet".
"""

import datetime
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Generic, Never, TypeVar

from indicators.presenting import number_text

from .limits import NUMBER_MAX, TEXT_VALUE_MAX_LENGTH

MAX_DECIMAL_PLACES = 4

# Units that may follow a number even when the indicator's own unit is different wording of the
# same thing: 12 件 / 12件次 are both a count of matters.
COUNT_UNIT_SYNONYMS = {
    "件": ("件", "件次", "宗", "起"),
    "次": ("次", "场", "场次"),
    "人": ("人", "人次", "名"),
    "个": ("个",),
    "项": ("项", "个"),
}

CHINESE_NUMERALS = set("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
NUMBER_PATTERN = re.compile(r"^(?P<sign>[-+]?)(?P<body>[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)(?P<rest>.*)$")
THOUSANDS_PATTERN = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
# Most cells hold plain ASCII digits, which normalise leaves as they are and NUMBER_PATTERN reads
# whole as the body: a province's import parses hundreds of thousands of them.
PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")


T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Parsed(Generic[T_co]):
    """The outcome of parsing one input: `value` when it is usable, `error` (Chinese) when not.
    Both are empty for an empty input."""

    value: T_co | None = None
    error: str = ""

    @property
    def is_valid(self) -> bool:
        return not self.error

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.error


EMPTY: Parsed[Never] = Parsed()


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC: １２３ → 123, ％ → %, ， → ,, ． → .), and no spaces at all.
    Chinese punctuation that NFKC keeps (。、) is mapped too, so 1。5 is not silently 15."""
    text = unicodedata.normalize("NFKC", str(text))
    text = text.replace("。", ".").replace("、", ",").replace("−", "-").replace("—", "-")
    return re.sub(r"\s+", "", text)


def _display(text: str) -> str:
    text = str(text).strip()
    return text if len(text) <= 20 else text[:20] + "…"


ANY_COUNT_UNIT = frozenset(unit for synonyms in COUNT_UNIT_SYNONYMS.values() for unit in synonyms)


def parse_decimal(
    text: str | None, *, unit: str = "", allow_percent: bool = False, extra_units: frozenset[str] = frozenset()
) -> Parsed[Decimal]:
    """A non-negative number with at most 4 decimals and at most 14 integer digits."""
    if text is None or not str(text).strip():
        return EMPTY
    if isinstance(text, str) and PLAIN_NUMBER.fullmatch(text):
        return _checked_number(text, text, negative=False)
    cleaned = normalise(text)
    match = NUMBER_PATTERN.match(cleaned)
    if match is None:
        if any(character in CHINESE_NUMERALS for character in cleaned):
            return Parsed(error=f"“{_display(text)}”请用阿拉伯数字填写，如 12")
        return Parsed(error=f"“{_display(text)}”不是有效的数字，请填写如 12 或 12.5 的数字")
    body, rest = match["body"], match["rest"]
    unit_error = "" if rest in extra_units else _unit_error(text, rest, unit=unit, allow_percent=allow_percent)
    if unit_error:
        if rest[0] in CHINESE_NUMERALS:  # 3万, 1千2: a Chinese numeral mixed in
            return Parsed(error=f"“{_display(text)}”请全部用阿拉伯数字填写，如 30000")
        return Parsed(error=unit_error)
    if "," in body:
        integer_part, _, fraction = body.partition(".")
        if "," in fraction or not THOUSANDS_PATTERN.match(integer_part):
            return Parsed(error=f"“{_display(text)}”中的千位分隔符位置不对；可以直接填写不带逗号的数字")
        body = body.replace(",", "")
    return _checked_number(text, body, negative=match["sign"] == "-")


def _checked_number(text: str, body: str, *, negative: bool) -> Parsed[Decimal]:
    """The digits of `body` (no sign, no separators) as a figure, within the limits."""
    try:
        number = Decimal(body)
    except InvalidOperation:
        return Parsed(error=f"“{_display(text)}”不是有效的数字，请填写如 12 或 12.5 的数字")
    if negative and number != 0:
        return Parsed(error="不能填写负数")
    if number > NUMBER_MAX:
        return Parsed(error=f"数值过大（超过 {NUMBER_MAX} ），请检查是否多输入了数字")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        return Parsed(error=f"最多保留 {MAX_DECIMAL_PLACES} 位小数")
    return Parsed(value=abs(number))


def _unit_error(text: str, rest: str, *, unit: str, allow_percent: bool) -> str:
    """What follows the digits: nothing, the indicator's unit (or a synonym), or % where allowed."""
    if not rest:
        return ""
    unit = normalise(unit)
    accepted = set(COUNT_UNIT_SYNONYMS.get(unit, ())) | ({unit} if unit else set())
    if allow_percent or unit == "%":
        accepted.add("%")
    if rest in accepted:
        return ""
    if rest == "%":
        return "本指标不是百分比，请填写数量"
    if re.fullmatch(r"[0-9.,]+", rest.lstrip("-+")) or rest[0] in "-+.,":
        return f"“{_display(text)}”不是有效的数字，请只填写一个数字"
    if rest.lower().startswith("e"):
        return f"“{_display(text)}”不是有效的数字，请不要使用科学计数法"
    if unit:
        return f"单位“{rest}”与本指标的单位“{unit}”不一致，请只填写数字"
    return f"“{_display(text)}”后面有多余的文字“{rest}”，请只填写数字"


def parse_count(text: str | None, *, unit: str = "") -> Parsed[int]:
    """A whole number of matters, people, times: 12, １２, 1,234, 12件."""
    parsed = parse_decimal(text, unit=unit)
    if not parsed.is_valid:
        return Parsed(error=parsed.error)
    number = parsed.value
    if number is None:
        return EMPTY
    if number != number.to_integral_value():
        return Parsed(error="本指标须填写整数")
    return Parsed(value=int(number))


def parse_amount(text: str | None, *, unit: str = "") -> Parsed[Decimal]:
    """A quantity that may have decimals (万元, 小时, %). A percentage cannot exceed 100."""
    parsed = parse_decimal(text, unit=unit, allow_percent=normalise(unit) == "%")
    if parsed.is_valid and parsed.value is not None and normalise(unit) == "%" and parsed.value > 100:
        return Parsed(error="百分比不能超过 100")
    return parsed


@dataclass(frozen=True)
class ParsedRate:
    numerator: Parsed[Decimal]
    denominator: Parsed[Decimal]
    error: str = ""  # a problem of the pair (numerator above denominator)

    @property
    def is_valid(self) -> bool:
        return self.numerator.is_valid and self.denominator.is_valid and not self.error

    @property
    def errors(self) -> list[str]:
        found = []
        if self.numerator.error:
            found.append(f"分子：{self.numerator.error}")
        if self.denominator.error:
            found.append(f"分母：{self.denominator.error}")
        if self.error:
            found.append(self.error)
        return found


def parse_rate(numerator: str | None, denominator: str | None) -> ParsedRate:
    """Numerator and denominator, each a non-negative number; the numerator may not exceed the
    denominator (a rate above 100% is always a typing mistake in these indicators)."""
    top = parse_decimal(numerator, extra_units=ANY_COUNT_UNIT)
    bottom = parse_decimal(denominator, extra_units=ANY_COUNT_UNIT)
    if top.value is not None and bottom.value is not None and top.value > bottom.value:
        return ParsedRate(
            top, bottom, error=f"分子（{number_text(top.value)}）不能大于分母（{number_text(bottom.value)}），请检查"
        )
    return ParsedRate(top, bottom)


TRUE_WORDS = {"是", "有", "已", "已完成", "完成", "true", "yes", "y", "1", "√", "✓"}
FALSE_WORDS = {"否", "无", "没有", "未", "未完成", "false", "no", "n", "0", "×", "✗"}


def parse_boolean(text: str | None) -> Parsed[bool]:
    if text is None or not str(text).strip():
        return EMPTY
    word = normalise(text).lower()
    if word in TRUE_WORDS:
        return Parsed(value=True)
    if word in FALSE_WORDS:
        return Parsed(value=False)
    return Parsed(error=f"“{_display(text)}”请选择“是”或“否”")


DATE_PATTERN = re.compile(r"^(\d{4})(?:[-/.年])(\d{1,2})(?:[-/.月])(\d{1,2})日?$")
COMPACT_DATE_PATTERN = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(text: str | None) -> Parsed[datetime.date]:
    """2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301."""
    if text is None or not str(text).strip():
        return EMPTY
    cleaned = normalise(text)
    match = DATE_PATTERN.match(cleaned) or COMPACT_DATE_PATTERN.match(cleaned)
    if match is None:
        return Parsed(error=f"“{_display(text)}”不是有效的日期，请按 2025-03-01 的格式填写")
    year, month, day = (int(part) for part in match.groups())
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        return Parsed(error=f"日期“{_display(text)}”不存在，请检查年月日")
    if not 2000 <= year <= 2100:
        return Parsed(error=f"年份 {year} 不在合理范围内，请检查")
    return Parsed(value=value)


def parse_choice(text: str | None, *, options: Sequence[str]) -> Parsed[str]:
    if text is None or not str(text).strip():
        return EMPTY
    chosen = str(text).strip()
    if chosen not in options:
        return Parsed(error=f"“{_display(text)}”不是本指标的选项，请从列表中选择")
    return Parsed(value=chosen)


def parse_choices(values: Sequence[str] | None, *, options: Sequence[str]) -> Parsed[list[str]]:
    """Several ticked options, kept in the framework's order, no duplicates."""
    chosen = [str(value).strip() for value in (values or []) if str(value).strip()]
    unknown = [value for value in chosen if value not in options]
    if unknown:
        return Parsed(error=f"“{_display(unknown[0])}”不是本指标的选项，请从列表中选择")
    if not chosen:
        return EMPTY
    return Parsed(value=[option for option in options if option in set(chosen)])


def parse_text(text: str | None, *, max_length: int = TEXT_VALUE_MAX_LENGTH) -> Parsed[str]:
    if text is None:
        return EMPTY
    text = str(text).replace("\r\n", "\n").strip()
    if not text:
        return EMPTY
    if len(text) > max_length:
        return Parsed(error=f"不能超过 {max_length} 字（现为 {len(text)} 字）")
    return Parsed(value=text)
