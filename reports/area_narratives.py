"""The department's own words for each area (一级指标) of 一、主要举措和成效.

The 2019 rules' first section is written per area in real reports (domain notes §b.4–b.5: 静海 2020
numbers its subsections by area), and the generator puts the department's narrative for an area
beside the sentences made from that area's figures. A return stores one 主要举措和成效 text
(assessments.NarrativeSection), not one per area, so the per-area narrative is read from two places
that already exist, without a new model:

1. The 主要举措和成效 text, split where the department wrote an area's name as a heading line, the
   way the report itself heads its subsections: "（五）行政执法", "五、行政执法", "行政执法方面：…".
   Paragraphs before the first such heading stay at the top of the section; paragraphs after one
   belong to that area until the next.
2. The area's free-text indicators (文字说明, e.g. 涉企行政检查规范), which are a department's
   description of its work on one topic of that area and have no figure to phrase.

Pure functions: no queries.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from indicators.models import ValueType

from . import wording

if TYPE_CHECKING:  # the department report reads this module
    from .kinds.department_annual import Figure

# （一） (一) 一、 1. 1、 （1） (1) ①: the enumerators Chinese documents put before a heading.
_ENUMERATOR = r"(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、．]|[①-⑳])"
_PARENTHESISED = re.compile(r"[（(][^（）()]*[）)]")


def _name_variants(name: str) -> list[str]:
    """An area's name as a department may write it: whole, or without its bracketed note
    ("依法行政制度体系（规范性文件）" → "依法行政制度体系")."""
    short = _PARENTHESISED.sub("", name).strip()
    return [name] if not short or short == name else [name, short]


def _heading_pattern(names: list[str]) -> re.Pattern[str]:
    """A heading line: an enumerator (optional if the name is followed by a colon or stands alone),
    the area's name, optionally 方面, then the end of the line or a punctuation mark and the text
    that follows on the same line. Longest names first, so one area's name that begins another's
    does not capture it."""
    alternatives = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:(?P<enum>{_ENUMERATOR})\s*)?(?P<name>{alternatives})(?:方面)?\s*"
        rf"(?:$|(?P<mark>[：:。．.，,])\s*(?P<rest>.*)$)"
    )


@dataclass(frozen=True)
class AreaNarratives:
    lead: tuple[str, ...] = ()  # paragraphs before any area heading
    by_area: dict[str, tuple[str, ...]] = field(default_factory=dict)  # area name → paragraphs

    def of(self, area: str) -> tuple[str, ...]:
        return self.by_area.get(area, ())


def split_by_area(text: str, area_names: Iterable[str]) -> AreaNarratives:
    """The 主要举措和成效 text cut at the lines that name an area (see the module docstring)."""
    paragraphs = wording.paragraphs_of(text)
    variants = {variant: name for name in area_names for variant in _name_variants(name)}
    if not variants:
        return AreaNarratives(lead=tuple(paragraphs))
    heading = _heading_pattern(list(variants))
    lead: list[str] = []
    by_area: dict[str, list[str]] = {}
    current: list[str] = lead
    for paragraph in paragraphs:
        match = heading.match(paragraph)
        # Without an enumerator only "行政执法" alone or "行政执法：…" is a heading; "行政执法，…"
        # is an ordinary sentence that happens to start with the area's name.
        if match is None or not (match["enum"] or match["mark"] in (None, "：", ":")):
            current.append(paragraph)
            continue
        current = by_area.setdefault(variants[match["name"]], [])
        if match["rest"]:
            current.append(match["rest"])
    return AreaNarratives(lead=tuple(lead), by_area={name: tuple(texts) for name, texts in by_area.items()})


def text_indicator_paragraphs(figures: "Iterable[Figure]") -> tuple[str, ...]:
    """What a department wrote in an area's free-text indicators, each led by the indicator's short
    name ("涉企行政检查规范：…"). An indicator with a phrase template is phrased with the figures
    instead, so it is not repeated here."""
    paragraphs: list[str] = []
    for figure in figures:
        indicator = figure.indicator
        if indicator.value_type != ValueType.TEXT or indicator.phrase_template or figure.current is None:
            continue
        texts = wording.paragraphs_of(str(figure.current.value or ""))
        if not texts:
            continue
        label = _PARENTHESISED.sub("", indicator.name).strip() or indicator.name
        paragraphs.append(f"{label}：{texts[0]}")
        paragraphs.extend(texts[1:])
    return tuple(paragraphs)
