"""Report phrasing: turn a reading into a short Chinese sentence for the annual report.

Templates are typed by administrators, so they are filled by a whitelist of `{name}` placeholders —
never `str.format`, which would let `{value.__class__}` reach into objects.

    phrase:   {value} {rate} {num} {den} {unit} {name}
    yoy:      {delta} (absolute change: 个百分点 for rates), {direction} (提高/下降, 增加/减少),
              {percent} (relative change, %), {previous}

A zero denominator gives the indicator's "无此类事项" phrase, never 0%; no change from last year
gives 与上年持平. A yes/no indicator's template is the affirmative sentence ("制定并公布…清单"): it
is said only for 是; a 否 is no achievement to report and comes up among the shortfalls instead —
unless the template itself shows the answer with {value}.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .models import ValueType
from .presenting import NO_CASES, figure_text, number_text
from .rates import percentage_point_change, round_rate
from .readings import IndicatorReading

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PHRASE_FIELDS = frozenset({"value", "rate", "num", "den", "unit", "name"})
YOY_FIELDS = frozenset({"delta", "direction", "percent", "previous"})
SHORTFALL_FIELDS = PHRASE_FIELDS | {"target"}
FALLING_WORDS = (("提高", "下降"), ("增加", "减少"), ("增长", "下降"), ("上升", "下降"))


@dataclass(frozen=True)
class PhraseSpec:
    """What phrasing needs of an indicator; `Indicator` instances have the same attributes."""

    name: str
    value_type: str
    phrase_template: str
    yoy_phrase_template: str = ""
    empty_phrase: str = ""
    unit: str = ""


class Phrased(Protocol):
    """A PhraseSpec, an Indicator, or anything else with the attributes phrasing reads."""

    @property
    def name(self) -> str: ...
    @property
    def value_type(self) -> str: ...
    @property
    def phrase_template(self) -> str: ...
    @property
    def yoy_phrase_template(self) -> str: ...
    @property
    def empty_phrase(self) -> str: ...
    @property
    def unit(self) -> str: ...


def template_problems(template: str, *, allowed: frozenset[str]) -> list[str]:
    """Chinese problems with a template: unknown placeholders or unbalanced braces."""
    problems = [
        f"表述模板中的占位符 {{{name}}} 无效，可用：{'、'.join('{' + field + '}' for field in sorted(allowed))}"
        for name in PLACEHOLDER.findall(template)
        if name not in allowed
    ]
    if PLACEHOLDER.sub("", template).count("{") or PLACEHOLDER.sub("", template).count("}"):
        problems.append("表述模板中的花括号不成对")
    return problems


def _fill(template: str, fields: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: fields.get(match.group(1), match.group(0)), template)


def render_phrase(spec: Phrased, current: IndicatorReading | None, previous: IndicatorReading | None = None) -> str:
    """The sentence for this year's reading, with the year-over-year clause when last year's is known.
    Empty when nothing was reported or the indicator has no phrase template."""
    if current is None or not spec.phrase_template:
        return ""
    if current.has_no_cases:
        return spec.empty_phrase or f"{spec.name}：{NO_CASES}"
    if current.is_empty:
        return ""
    if current.value is False and "{value}" not in spec.phrase_template:
        return ""
    sentence = _fill(spec.phrase_template, phrase_fields(spec, current))
    clause = yoy_clause(spec, current, previous)
    return f"{sentence}，{clause}" if clause else sentence


def phrase_fields(spec: Phrased, reading: IndicatorReading) -> dict[str, str]:
    """What a phrase template's placeholders say of a reading (the figures through the presenter)."""
    return {
        "value": figure_text(reading),
        "rate": number_text(reading.rate),
        "num": number_text(reading.numerator),
        "den": number_text(reading.denominator),
        "unit": spec.unit,
        "name": spec.name,
    }


def yoy_clause(spec: Phrased, current: IndicatorReading, previous: IndicatorReading | None) -> str:
    """较上年提高2.5个百分点 / 较上年增加3件 / 与上年持平; empty when it cannot be said honestly."""
    if not spec.yoy_phrase_template or previous is None:
        return ""
    is_rate = spec.value_type == ValueType.RATE
    now, before = current.measure, previous.measure
    if not (isinstance(now, Decimal) and isinstance(before, Decimal)):
        return ""
    delta = percentage_point_change(now, before) if is_rate else now - before
    if delta is None:  # both are figures here; percentage_point_change is None only without one
        return ""
    if delta == 0:
        return "与上年持平"
    rising, falling = ("提高", "下降") if is_rate else ("增加", "减少")
    percent = round_rate(abs(delta) * 100 / before) if before != 0 else None
    if percent is None and "{percent}" in spec.yoy_phrase_template:
        return ""
    template = spec.yoy_phrase_template
    if delta < 0 and "{direction}" not in template:
        # A template written as 较上年提高{delta}个百分点 must not say 提高 for a fall.
        for word, opposite in FALLING_WORDS:
            template = template.replace(word, opposite)
    return _fill(
        template,
        {
            "delta": number_text(abs(delta)),
            "direction": rising if delta > 0 else falling,
            "percent": number_text(percent),
            "previous": number_text(before),
        },
    )
