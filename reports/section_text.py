"""The plain-text form in which a report section is edited on the 报告稿 page (pure, no queries).

One paragraph per line. A line that starts with a second-level number — （一）, （二）… or (一) as
seed 000 types it — starts a sub-heading. A heading may run into its paragraph as the seeds write
it, "（一）法治意识有待进一步强化。一是……": the heading ends at the first "。". The numbers are
assigned again in order when the report is made, so deleting or inserting a part never leaves a gap.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .document import second_level_heading

MAX_LENGTH = 20000
_HEADING = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]\s*")


@dataclass(frozen=True)
class Part:
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class SectionText:
    intro: tuple[str, ...]  # paragraphs before the first sub-heading
    parts: tuple[Part, ...]


def parse_section_text(text: str) -> SectionText:
    """The text's paragraphs and parts; ValidationError naming the line when a heading is empty."""
    if not text.strip():
        raise ValidationError({"text": "请填写内容；如需使用系统生成稿，请点击“恢复系统生成稿”。"})
    if len(text) > MAX_LENGTH:
        raise ValidationError({"text": f"内容过长：最多{MAX_LENGTH}字，现有{len(text)}字。"})
    intro: list[str] = []
    parts: list[tuple[str, list[str]]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        heading = _HEADING.match(line)
        if heading is None:
            (parts[-1][1] if parts else intro).append(line)
            continue
        title, _, rest = line[heading.end() :].partition("。")
        title = title.strip()
        if not title:
            raise ValidationError({"text": f"第{number}行的小标题“{heading.group(0).strip()}”后面没有标题文字。"})
        parts.append((title, [rest.strip()] if rest.strip() else []))
    return SectionText(tuple(intro), tuple(Part(title, tuple(paragraphs)) for title, paragraphs in parts))


def compose_section_text(section: SectionText) -> str:
    """The editable text of a section: the inverse of parse_section_text, headings numbered in order."""
    lines = list(section.intro)
    for n, part in enumerate(section.parts, start=1):
        lines.append(second_level_heading(n, part.title))
        lines.extend(part.paragraphs)
    return "\n".join(lines)
