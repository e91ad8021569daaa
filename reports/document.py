"""The shape of a generated report, independent of the output format.

Context builders turn selector data into a `ReportDocument`; the HTML/PDF templates and the DOCX
writer both render this one structure, so the PDF and the Word file say the same thing. Every field
is plain text: templates escape it, so nothing a user typed can become markup. The only markup is
`Chart.svg`, which our own chart code generates.
"""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:  # health reads documents
    from .health import ReportFacts

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


TITLE_CHARS_PER_LINE = 20  # 2号 (22 pt) characters on the 156 mm measure
COVER_TITLE_CHARS_PER_LINE = 16  # the cover's 26 pt title, with room to spare
ATTACHMENT_HANG = 3  # "附件：" — later attachment names align with the first one's first character
# Where a title may break by preference: after these words the line reads as a whole phrase.
_TITLE_BREAK_AFTER: tuple[str, ...] = ("关于", "年度", "建设", "工作", "情况", "负责人", "责任人", "职责", "履行")
_TITLE_BREAK_AFTER += ("的", "和", "与", "及", "、")
# Characters a line may not start with (GB/T 9704 follows the usual 禁则).
_NO_LINE_START = "，。、；：！？）》」』】”’%"


def text_width(text: str) -> float:
    """Width in em: half-width Latin letters and digits count half (GB/T 9704 uses half-width
    Arabic digits in dates and figures)."""
    return sum(0.5 if ord(char) < 0x2000 else 1.0 for char in text)


_MID_PHRASE_COST = 50  # a break that is not after a whole phrase, in em of unevenness
_EXTRA_LINE_COST = 20


def balanced_lines(text: str, measure: int) -> tuple[str, ...]:
    """`text` cut into lines of at most `measure` em, as even as the break points allow and
    preferring breaks after whole phrases (关于…/…年度/…的), never inside a number nor before closing
    punctuation, never a line of one character. One line more than needed only when that keeps
    phrases whole. Dynamic programming over the break points: cost = Σ |line − mean| + penalties."""
    total = text_width(text)
    if total <= measure:
        return (text,)
    fewest = int(-(-total // measure))
    points = [0]
    points += [
        i
        for i in range(2, len(text) - 1)
        if text[i] not in _NO_LINE_START and not (text[i - 1].isascii() and text[i].isascii())
    ]
    points.append(len(text))
    best: tuple[float, list[int]] | None = None
    for count in (fewest, fewest + 1):
        mean = total / count
        # layouts[(lines, j)]: the cheapest way to set text[:points[j]] in that many lines
        layouts: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [0])}
        for lines in range(1, count + 1):
            for j in range(1, len(points)):
                if (j == len(points) - 1) != (lines == count):
                    continue
                for i in range(j):
                    if (lines - 1, i) not in layouts:
                        continue
                    width = text_width(text[points[i] : points[j]])
                    if width > measure or width < 2:
                        continue
                    cost = layouts[(lines - 1, i)][0] + abs(width - mean)
                    if lines < count and not text[: points[j]].endswith(_TITLE_BREAK_AFTER):
                        cost += _MID_PHRASE_COST
                    if (lines, j) not in layouts or cost < layouts[(lines, j)][0]:
                        layouts[(lines, j)] = (cost, [*layouts[(lines - 1, i)][1], points[j]])
        found = layouts.get((count, len(points) - 1))
        if found is not None:
            cost = found[0] + _EXTRA_LINE_COST * (count - fewest)
            if best is None or cost < best[0]:
                best = (cost, found[1])
    if best is None:
        return (text,)
    return tuple(text[a:b] for a, b in itertools.pairwise(best[1]))


def keep_tail(text: str) -> tuple[str, str]:
    """`text` split before its last two characters (and any closing punctuation after them), so a
    layout can keep that tail on one line: a heading never ends on a line of one character."""
    end = len(text)
    while end > 0 and text[end - 1] in _NO_LINE_START:
        end -= 1
    cut = max(0, end - 2)
    return text[:cut], text[cut:]


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
    facts: "ReportFacts | None" = None  # what the 报告体检 checks; never printed
    document_number: str = ""  # 发文字号, e.g. 云法考办〔2025〕3号
    # 附件说明 as the user wrote it, one attachment name a line; empty: the appendices' titles.
    attachment_note: str = ""

    @property
    def title_lines(self) -> tuple[str, ...]:
        """The title broken the way official titles are: the issuer on its own line before 关于…
        (seed 002: 攀枝花市人民政府 / 关于2021年度法治政府建设工作情况报告), and a line too long for
        the measure cut into balanced lines (GB/T 9704 7.2.4: 梯形或菱形, no one-word last line)."""
        return self.title_lines_within(TITLE_CHARS_PER_LINE)

    @property
    def cover_title_lines(self) -> tuple[str, ...]:
        return self.title_lines_within(COVER_TITLE_CHARS_PER_LINE)

    def title_lines_within(self, measure: int) -> tuple[str, ...]:
        issuer, keyword, rest = self.title.partition("关于")
        lines = (issuer, keyword + rest) if keyword and issuer and len(self.title) > measure else (self.title,)
        return tuple(piece for line in lines for piece in balanced_lines(line, measure))

    @property
    def attachment_names(self) -> tuple[str, ...]:
        """The names the 附件说明 lists: the user's wording, else the appendices' titles."""
        if self.attachment_note.strip():
            return tuple(line.strip() for line in self.attachment_note.splitlines() if line.strip())
        return tuple(appendix.title for appendix in self.appendices)

    @property
    def attachment_lines(self) -> tuple[str, ...]:
        """附件说明 (GB/T 9704 7.3.4): "附件：名称", or numbered "附件：1. 名称" with the later names
        aligned under the first (the caller indents them by `ATTACHMENT_HANG` characters)."""
        names = self.attachment_names
        if len(names) == 1:
            return (f"附件：{names[0]}",)
        return tuple(("附件：" if n == 1 else "") + f"{n}. {name}" for n, name in enumerate(names, start=1))

    @property
    def signature_indents(self) -> tuple[float, float]:
        """Right indents (in characters) of the issuer and the date (GB/T 9704 7.3.5.2): the issuer
        two characters from the right edge, the date starting two characters right of the issuer's
        first character; a date longer than that keeps two characters and pushes the issuer left."""
        issuer, date = text_width(self.issuer), text_width(self.date_text)
        if issuer - date >= 2:
            return (2.0, issuer - date)
        return (4 + date - issuer, 2.0)

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


def _blocks_text(blocks: Iterable[Block]) -> list[str]:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(block.caption)
            parts.extend("\t".join(row) for row in block.rows)
        elif isinstance(block, Chart):
            parts.append(block.caption)
    return parts
