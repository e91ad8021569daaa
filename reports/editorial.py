"""The editorial rules every report's prose follows, in one place (pure functions, no queries).

They come from how the seeds use figures (../shared/REPORT-STYLE.md) and from the faults found in
generated drafts (issue 17):

1. No sentence for a value that is empty, 不适用 or 暂无数据, nor for 无此类事项 (a zero denominator):
   nothing is said about what did not happen.
2. A zero is said only through the indicator's natural-zero sentence ("全年未发生行政诉讼败诉案件");
   without one, a zero is left to the table.
3. No sentence twice.
4. A missed target or a decline goes to 存在的不足, never to 成效; a 较上年 clause in 成效 only says a
   move in the indicator's preferred direction.
5. A relative change ("增长12.7%") only from a base of at least `RELATIVE_CHANGE_MIN_BASE`; below it,
   the absolute change alone ("增加3件", never "增长300%").
6. "全面/全部/均" only when every unit qualifies; otherwise "N个单位已…，占M%".
7. Averages are 平均, sums 合计.
8. The same words for a change in the text and in the tables (`change_of` feeds both).
9. Nothing about units meeting a target when there is one unit.
10. No system vocabulary in the body (`SYSTEM_WORDS`); methods go to a table's 说明.
11. Fractions such as "（114/115）" belong in tables, not sentences.

`text_faults` finds the faults in finished text; tests and the 报告体检 (reports.health) use it.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from indicators.models import Indicator, PreferredDirection, TargetOperator, ValueType
from indicators.phrasing import PLACEHOLDER, phrase_fields, render_phrase
from indicators.presenting import Place, number_text, part_text, percent_text, target_text, value_text
from indicators.rates import percentage_point_change, round_rate
from indicators.readings import IndicatorReading

RELATIVE_CHANGE_MIN_BASE = Decimal(20)
# Scores (测评得分, 满意度得分) are means, not totals: they change in points and aggregate as 平均.
SCORE_UNITS = ("分",)
UNIVERSAL_WORDS = ("全面", "全部", "均")
# Words of the software, not of an office: they never appear in a report's text.
SYSTEM_WORDS = (
    "填报数据汇总",
    "已确认（锁定）",
    "（锁定）",
    "无此类事项”表示",
    "分母为0",
    "分子/分母",
    "Wilson",
    "z = ",
    "z=",
    "系统生成",
)
_FRACTION = re.compile(r"（\d+(?:\.\d+)?/\d+(?:\.\d+)?）")
_SENTENCE_END = re.compile(r"(?<=[。；！？])")


# --- values: what may be said at all -----------------------------------------------------------


def is_silent(reading: IndicatorReading | None) -> bool:
    """Rule 1: nothing reported, 不适用, 暂无数据, or no such matters this year."""
    if reading is None or reading.is_empty or reading.has_no_cases:
        return True
    return reading.is_not_applicable or reading.is_not_available


def is_zero(reading: IndicatorReading) -> bool:
    """A count of 0, or a rate whose numerator is 0 (0 败诉 of 105 cases)."""
    if reading.is_rate:
        return reading.numerator is not None and Decimal(reading.numerator) == 0
    value = reading.value
    return isinstance(value, Decimal | int) and not isinstance(value, bool) and Decimal(value) == 0


def is_counted(indicator: Indicator) -> bool:
    return indicator.value_type in (ValueType.COUNT, ValueType.AMOUNT) and indicator.unit not in SCORE_UNITS


def is_averaged(indicator: Indicator) -> bool:
    """Rule 7: a score across units is their mean (平均), never a total."""
    return indicator.value_type in (ValueType.COUNT, ValueType.AMOUNT) and indicator.unit in SCORE_UNITS


def aggregate_word(indicator: Indicator) -> str:
    return "平均" if is_averaged(indicator) else "合计"


# --- changes from last year ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change from last year, worded once for text and tables (rule 8)."""

    is_rise: bool
    absolute: str  # 提高5.27个百分点 / 增加8件 / 提高2.5分
    relative: str  # 增长12.7%, or "" below the base threshold (rule 5) and for rates and scores
    is_good: bool | None  # None: the indicator has no preferred direction

    @property
    def clause(self) -> str:
        """较上年增加8件，增长12.7% / 较上年提高5.27个百分点."""
        return f"较上年{self.absolute}" + (f"，{self.relative}" if self.relative else "")

    @property
    def cell(self) -> str:
        """The table's 变化 column: the relative change where it may be said, else the absolute."""
        return self.relative or self.absolute


def _measures(current: IndicatorReading | None, previous: IndicatorReading | None) -> tuple[Decimal, Decimal] | None:
    if current is None or previous is None or is_silent(current) or is_silent(previous):
        return None
    now, before = current.measure, previous.measure
    if isinstance(now, bool) or isinstance(before, bool):
        return None
    if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
        return None
    return now, before


def relative_change(now: Decimal, before: Decimal) -> str:
    """增长12.7% / 下降10%; empty when the base is below the threshold (rule 5), when last year was 0
    or this year is 0 ("下降100%" says no more than 减少3件)."""
    if before < RELATIVE_CHANGE_MIN_BASE or now == 0 or now == before:
        return ""
    percent = round_rate(abs(now - before) * 100 / before)
    return f"{'增长' if now > before else '下降'}{percent_text(percent)}"


def preferred_direction(indicator: Indicator) -> str:
    """The indicator's own setting, else what its target implies (≥ wants more, ≤ wants less)."""
    direction = indicator.preferred_direction
    if direction:
        return direction
    if indicator.target_operator in (TargetOperator.GTE, TargetOperator.GT):
        return PreferredDirection.UP
    if indicator.target_operator in (TargetOperator.LTE, TargetOperator.LT):
        return PreferredDirection.DOWN
    return ""


def change_of(
    indicator: Indicator, current: IndicatorReading | None, previous: IndicatorReading | None
) -> Change | None:
    """The change from last year, or None when the two years cannot be compared or nothing moved."""
    pair = _measures(current, previous)
    if pair is None:
        return None
    now, before = pair
    if indicator.value_type == ValueType.RATE:
        points = percentage_point_change(now, before)
        if points is None:  # both are figures here; percentage_point_change is None only without one
            return None
        delta = points
        absolute = f"{'提高' if delta > 0 else '下降'}{number_text(abs(delta))}个百分点"
        relative = ""
    else:
        delta = now - before
        if is_counted(indicator):
            absolute = f"{'增加' if delta > 0 else '减少'}{number_text(abs(delta))}{indicator.unit}"
            relative = relative_change(now, before)
        else:
            absolute = f"{'提高' if delta > 0 else '下降'}{number_text(abs(delta))}{indicator.unit}"
            relative = ""
    if delta == 0:
        return None
    direction = preferred_direction(indicator)
    is_good = None if not direction else (delta > 0) == (direction == PreferredDirection.UP)
    return Change(is_rise=delta > 0, absolute=absolute, relative=relative, is_good=is_good)


def change_cell(indicator: Indicator, current: IndicatorReading | None, previous: IndicatorReading | None) -> str:
    """A table cell: 提高5.27个百分点 / 增长12.7% / 增加3件 / 持平; "—" when not comparable."""
    if _measures(current, previous) is None:
        return "—"
    change = change_of(indicator, current, previous)
    return change.cell if change else "持平"


# --- sentences -------------------------------------------------------------------------------


def without_fraction(text: str) -> str:
    """Rule 11: "出庭应诉率99.13%（114/115）" → "出庭应诉率99.13%"."""
    return _FRACTION.sub("", text)


def _part_label(label: str) -> str:
    """ "开庭审理案件数" → "开庭审理案件": a count's name as a sentence says it."""
    if label.endswith("人数"):
        return label[:-2] + "人员"  # 应述法领导干部人数 → 应述法领导干部人员
    return label.removesuffix("数")  # 开庭审理案件数 → 开庭审理案件


def parts_clause(indicator: Indicator, reading: IndicatorReading) -> str:
    """A rate's counts in words before the rate, as the seeds write them ("开庭审理的行政诉讼案件
    24件，行政机关负责人出庭应诉率100%", seed 000): the base, and the numerator when it differs.
    Nothing when the phrase already says them or the counts have no unit."""
    template = indicator.phrase_template or ""
    if not reading.is_rate or "{den}" in template or "{num}" in template:
        return ""
    parts: list[str] = []
    for label, unit, value in (
        (indicator.denominator_label, indicator.denominator_unit, reading.denominator),
        (indicator.numerator_label, indicator.numerator_unit, reading.numerator),
    ):
        if value is None or not unit or not label:
            continue
        if parts and reading.numerator == reading.denominator:
            break  # 24件 of 24件: the rate (100%) says it
        parts.append(part_text(_part_label(label), value, unit))
    return "，".join(parts)


def part_sentence(indicator: Indicator, reading: IndicatorReading) -> str:
    """A rate known by one part only (无法计算): the part as a count ("抽查案卷1000件")."""
    for label, unit, value in (
        (indicator.denominator_label, indicator.denominator_unit, reading.denominator),
        (indicator.numerator_label, indicator.numerator_unit, reading.numerator),
    ):
        if value is not None and Decimal(value) > 0 and unit and label:
            return part_text(_part_label(label), value, unit)
    return ""


def _with_parts(indicator: Indicator, reading: IndicatorReading, text: str) -> str:
    parts = parts_clause(indicator, reading)
    return f"{parts}，{text}" if parts and text else text


def achievement_sentence(indicator: Indicator, current: IndicatorReading, previous: IndicatorReading | None) -> str:
    """The indicator's report phrase, with a 较上年 clause only for a move in its preferred
    direction (rule 4). A zero is said only through the natural-zero sentence (rule 2)."""
    if is_zero(current):
        return indicator.zero_phrase or ""
    if not indicator.phrase_template:
        return ""
    text = _with_parts(indicator, current, without_fraction(render_phrase(_without_yoy(indicator), current)))
    change = change_of(indicator, current, previous)
    if change is not None and change.is_good:
        text += f"，{change.clause}"
    return text


@dataclass(frozen=True)
class _PhraseOnly:
    name: str
    value_type: str
    phrase_template: str
    unit: str
    empty_phrase: str = ""
    yoy_phrase_template: str = ""


def _without_yoy(indicator: Indicator) -> _PhraseOnly:
    return _PhraseOnly(indicator.name, indicator.value_type, indicator.phrase_template, indicator.unit)


def _stated(indicator: Indicator, reading: IndicatorReading) -> str:
    """The figure as a plain statement for a shortfall: the phrase with 为 instead of 达."""
    text = without_fraction(render_phrase(_without_yoy(indicator), reading)) if indicator.phrase_template else ""
    if not text:
        return f"{indicator.name}为{value_text(indicator, reading, Place.REPORT_SENTENCE)}"
    return _with_parts(indicator, reading, re.sub(r"(?<=[率度])(?=\d)", "为", re.sub(r"达(?=\d)", "为", text)))


def shortfall_sentence(
    indicator: Indicator, reading: IndicatorReading, previous: IndicatorReading | None = None
) -> str:
    """Rule 4's other half: "规范性文件报备及时率为47.58%，低于100%的目标"; with last year's figure
    when it improved: "…为90%，较上年提高10个百分点，但仍低于100%的目标"."""
    template = indicator.shortfall_phrase
    if template:
        return _fill_shortfall(template, indicator, reading)
    if isinstance(reading.value, bool):
        return f"{_PARENTHESISED.sub('', indicator.name)}尚未落实到位"
    if isinstance(reading.value, datetime.date):
        deadline = target_text(indicator, Place.REPORT_SENTENCE).removesuffix("前")
        return f"{_stated(indicator, reading)}，晚于{deadline}的时限要求"
    stated = _stated(indicator, reading)
    if not indicator.target_operator or indicator.target_value is None:
        return stated
    unit = "%" if indicator.value_type == ValueType.RATE else indicator.unit
    target = f"{number_text(indicator.target_value)}{unit}"
    change = change_of(indicator, reading, previous)
    progress = f"，{change.clause}，但仍" if change is not None and change.is_good else "，"
    if indicator.target_operator in (TargetOperator.LTE, TargetOperator.LT):
        return stated if indicator.target_value == 0 else f"{stated}{progress}超过{target}的控制目标"
    return f"{stated}{progress}低于{target}的目标"


_PARENTHESISED = re.compile(r"[（(][^（）()]*[）)]")


def _fill_shortfall(template: str, indicator: Indicator, reading: IndicatorReading) -> str:
    fields = {
        **phrase_fields(indicator, reading),
        # A shortfall's {value} is the measure compared with the target: the number of choices ticked.
        "value": number_text(reading.measure) if isinstance(reading.measure, Decimal) else str(reading.value),
        "target": target_text(indicator, Place.REPORT_SENTENCE),
    }
    return PLACEHOLDER.sub(lambda match: fields.get(match.group(1), match.group(0)), template)


def decline_sentence(indicator: Indicator, current: IndicatorReading, previous: IndicatorReading | None) -> str:
    """A notable move against the preferred direction, for 存在的不足: "…为90.3%，较上年下降5个百分点"."""
    change = change_of(indicator, current, previous)
    if change is None or change.is_good is not False:
        return ""
    return f"{_stated(indicator, current)}，{change.clause}"


def strip_universals(text: str) -> str:
    """Rule 6: "全面推行告知承诺制" → "推行告知承诺制" when not every unit did."""
    for word in UNIVERSAL_WORDS:
        text = text.replace(word, "")
    return text


def share_sentence(core: str, *, yes: int, total: int, place: str = "") -> str:
    """Rule 6 for a yes/no measure across units: "20个单位均已制定…" only when all 20 did,
    otherwise "17个单位已落实…，占85%". One unit: the measure itself (rule 9)."""
    if total <= 1:
        return core if yes else ""
    if yes == 0:
        return ""
    if yes == total:
        return f"{place}{total}个单位均已{strip_universals(core)}"
    percent = round_rate(Decimal(yes) * 100 / Decimal(total))
    return f"{yes}个单位已{strip_universals(core)}，占{percent_text(percent)}"


def unique(sentences: Iterable[str]) -> tuple[str, ...]:
    """Rule 3: each sentence once, in first-seen order; empty ones dropped."""
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in sentences:
        key = sentence.strip().rstrip("。；，")
        if key and key not in seen:
            seen.add(key)
            kept.append(sentence)
    return tuple(kept)


def join_clauses(clauses: Iterable[str]) -> str:
    """Clauses as one sentence: "…达99.13%，…71件。" (rule 3 applied)."""
    kept = [c.rstrip("。；;，, ") for c in unique(clauses)]
    return "，".join(kept) + "。" if kept else ""


# --- faults in finished text -------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    kind: str  # a key of FAULT_LABELS
    excerpt: str


FAULT_LABELS = {
    "malformed_zero": "把“没有”写成了句子（如“全年无…人”）",
    "repeated": "同一句话重复出现",
    "single_unit": "只有一个单位却写“共1个”",
    "average_total": "平均数写成了“合计”",
    "system_words": "正文出现系统用语",
    "fraction": "正文中出现分数（应放在表格中）",
    "decline_in_achievements": "下降写在了“成效”部分",
}
_MALFORMED_ZERO = re.compile(r"全年无[^，。；\n]{1,20}?人(?=[，。；\n]|$)")
_SINGLE_UNIT = re.compile(r"（共1个）")
_AVERAGE_TOTAL = re.compile(r"合计\d+(?:\.\d+)?分")
_DECLINE = re.compile(r"较上年(?:减少|下降)[^，。；\n]*")


def sentences_of(text: str) -> list[str]:
    return [s.strip() for line in text.split("\n") for s in _SENTENCE_END.split(line) if len(s.strip()) > 8]


def text_faults(body: str, *, achievements: str = "") -> list[Fault]:
    """The faults of rules 1–11 that can be seen in text: `body` is the report's prose (not its
    tables), `achievements` the text of its 成效 section."""
    faults = [Fault("malformed_zero", m.group(0)) for m in _MALFORMED_ZERO.finditer(body)]
    seen: set[str] = set()
    for sentence in sentences_of(body):
        key = sentence.rstrip("。；")
        if key in seen:
            faults.append(Fault("repeated", sentence))
        seen.add(key)
    faults += [Fault("single_unit", m.group(0)) for m in _SINGLE_UNIT.finditer(body)]
    faults += [Fault("average_total", m.group(0)) for m in _AVERAGE_TOTAL.finditer(body)]
    faults += [Fault("system_words", word) for word in SYSTEM_WORDS if word in body]
    faults += [Fault("fraction", m.group(0)) for m in _FRACTION.finditer(body)]
    faults += [Fault("decline_in_achievements", m.group(0)) for m in _DECLINE.finditer(achievements)]
    return faults
