"""The shape of a generated report, independent of the output format.

Context builders turn selector data into a `ReportDocument`; the HTML/PDF templates and the DOCX
writer both render this one structure, so the PDF and the Word file say the same thing. Every field
is plain text: templates escape it, so nothing a user typed can become markup. The only markup is
`Chart.svg`, which our own chart code generates.
"""

from dataclasses import dataclass, field
from typing import ClassVar

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (enough for headings and list items)."""
    if n < 1 or n > 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[ones] if ones else "")


def first_level_heading(n: int, text: str) -> str:
    return f"{chinese_number(n)}、{text}"


def second_level_heading(n: int, text: str) -> str:
    return f"（{chinese_number(n)}）{text}"


@dataclass(frozen=True)
class Paragraph:
    text: str
    block_type: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Column:
    label: str
    width: str = ""  # a CSS width such as "30%"; empty lets the table share the rest
    is_number: bool = False
    is_text: bool = False

    @property
    def css_class(self) -> str:
        return "number" if self.is_number else ("text" if self.is_text else "")


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    block_type: ClassVar[str] = "table"

    @property
    def body(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """Rows as (cell text, CSS class of its column) pairs, for templates."""
        classes = [column.css_class for column in self.columns]
        return tuple(tuple(zip(row, classes, strict=True)) for row in self.rows)


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str
    block_type: ClassVar[str] = "chart"


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple["Section", ...] = ()


@dataclass(frozen=True)
class Appendix:
    label: str  # 附件1
    title: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class Cover:
    title: str
    issuer: str
    date_text: str


@dataclass(frozen=True)
class ReportDocument:
    title: str
    addressee: str = ""
    opening: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    issuer: str = ""
    date_text: str = ""
    appendices: tuple[Appendix, ...] = ()
    cover: Cover | None = None
    notes: tuple[str, ...] = field(default=())  # shown in the preview only: what data is missing

    @property
    def title_lines(self) -> tuple[str, ...]:
        """The title broken the way official titles are: the issuer on its own line before 关于…
        (seed 002: 攀枝花市人民政府 / 关于2021年度法治政府建设工作情况报告)."""
        issuer, keyword, rest = self.title.partition("关于")
        if keyword and issuer and len(self.title) > 20:
            return (issuer, keyword + rest)
        return (self.title,)

    def all_text(self) -> str:
        """The document's words in reading order (used by tests and by the DOCX check)."""
        parts = [self.title, self.addressee, *(p.text for p in self.opening)]
        for section in self.sections:
            parts.extend(_section_text(section))
        parts += [self.issuer, self.date_text]
        for appendix in self.appendices:
            parts += [appendix.label, appendix.title, *_blocks_text(appendix.blocks)]
        return "\n".join(p for p in parts if p)


def _section_text(section: Section) -> list[str]:
    parts = [section.heading, *_blocks_text(section.blocks)]
    for sub in section.subsections:
        parts.extend(_section_text(sub))
    return parts


def _blocks_text(blocks) -> list[str]:
    parts = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(block.caption)
            parts.extend("\t".join(row) for row in block.rows)
        elif isinstance(block, Chart):
            parts.append(block.caption)
    return parts
