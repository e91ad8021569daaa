"""The same `ReportDocument` as a Word file (python-docx), because staff finish documents in Word/WPS.

Styles follow GB/T 9704-2012 as offices set them up in Word:
- body 仿宋_GB2312 3号 on a 28-character × 22-line document grid (版心 156 × 225 mm, 天头 37 mm,
  订口 28 mm on every page — the standard's 订口 is the left margin, 5.2.1), the same page as the PDF;
- title 方正小标宋简体 2号; 一、 headings 黑体, （一） headings 楷体_GB2312 (7.3.3);
- page numbers "— N —" 4号 宋体 at the outer edge (odd right, even left), none on the cover.
These are the font names Chinese offices have installed. Every style names its east-Asian font
itself (`w:eastAsia`, never a theme font: Word would show the theme's font instead), the font table
names the usual substitutes (仿宋, 楷体) for machines without the _GB2312 fonts, and the language is
zh-CN so Word applies Chinese line-breaking rules. Latin letters and digits use Times New Roman.
Charts are the PDF's SVG rendered to PNG (cairosvg), so both files show the same picture.
"""

import io
import math
import re
from collections.abc import Iterable
from typing import Any

import cairosvg
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import ATTACHMENT_HANG, Chart, Cover, Paragraph, ReportDocument, Section, Table, text_width

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
# What Word/WPS use when a font above is not installed (w:altName in the font table), the same
# roles the PDF's fallbacks play: 仿宋 for 仿宋_GB2312, 楷体 for 楷体_GB2312, 宋体 for 小标宋.
FONT_SUBSTITUTES = {BODY_FONT: "仿宋", KAI_FONT: "楷体", TITLE_FONT: "宋体", HEI_FONT: "SimHei"}
LANGUAGE = "zh-CN"

TYPE_AREA_WIDTH = Mm(156)
TYPE_AREA_HEIGHT = Mm(225)
BODY_SIZE = Pt(16)
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines, what offices type into Word's 固定值
# w:charSpace is the pitch's difference from the body font size in 1/4096 pt (ECMA-376 17.6.5):
# 156 mm / 28 = 15.793 pt a character, 0.207 pt less than 16 pt.
CHAR_SPACE = round((TYPE_AREA_WIDTH.pt / CHARS_PER_LINE - BODY_SIZE.pt) * 4096)
# Body text does not snap to the character grid but is condensed to 28 a line by itself: Word and
# WPS would honour the grid, but LibreOffice gives each 16 pt character two cells of a grid pitch
# under 16 pt (14 a line). 0.4 pt less per character fits 28 (not 29) on 156 mm in all three.
BODY_CONDENSING = Pt(-0.4)
CHART_WIDTH = Mm(150)  # as `figure svg` in the print CSS
CHART_PIXELS = 1200  # 150 mm at about 200 dpi

TABLE_STYLE = "报告表格"
CAPTION_STYLE = "报告表题"


# --- fonts and styles ----------------------------------------------------------------------------


def _element(tag: str) -> Any:
    """A new WordprocessingML element. Raw XML is where python-docx's own types and lxml's part ways
    (its element classes are made by a lookup at parse time), so the elements edited here are Any."""
    return OxmlElement(tag)


def _r_fonts(r_pr: Any) -> Any:
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = _element("w:rFonts")
        r_pr.insert(0, r_fonts)
    return r_fonts


def _set_east_asian(r_pr: Any, east_asian: str) -> None:
    """Explicit fonts for every script; theme references would override them, so they go."""
    r_fonts = _r_fonts(r_pr)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        r_fonts.set(qn(attribute), LATIN_FONT)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _set_language(r_pr: Any) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _set_fonts(target: Any, east_asian: str, size: Pt, *, bold: bool = False) -> None:
    """Sets the font of a style or run; `w:eastAsia` is what Word uses for Chinese characters."""
    font = target.font
    font.size = size
    font.bold = bold
    _set_east_asian(target.element.get_or_add_rPr(), east_asian)


def _paragraph_style(style: Any, east_asian: str, size: Pt, *, indent: bool = True, bold: bool = False) -> None:
    _set_fonts(style, east_asian, size, bold=bold)
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = True


# Element order matters to Word (ECMA-376 sequences); these are the successors of what we add.
_AFTER_SNAP_TO_GRID = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")
_AFTER_PAGE_NUMBERS: tuple[str, ...] = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
)
_AFTER_PAGE_NUMBERS += ("w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _condensed(style: Any) -> None:
    r_pr = style.element.get_or_add_rPr()
    spacing = _element("w:spacing")
    spacing.set(qn("w:val"), str(round(BODY_CONDENSING.pt * 20)))
    r_pr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:lang")


def _off_grid(style: Any) -> None:
    """Text keeps its own line height and character pitch instead of snapping to the document grid."""
    p_pr = style.element.get_or_add_pPr()
    snap = _element("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p_pr.insert_element_before(snap, *_AFTER_SNAP_TO_GRID)


def _document_defaults(doc: DocxDocument) -> None:
    """The defaults every style inherits: 仿宋 3号 zh-CN. The grid's character pitch is counted
    from the default size (LibreOffice reads it there), and no automatic gap between Chinese and
    Latin/digits (autoSpaceDE/DN), which would push lines off the 28-character grid as in the PDF."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_east_asian(r_pr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        r_pr.find(qn(tag)).set(qn("w:val"), str(round(BODY_SIZE.pt * 2)))
    _set_language(r_pr)
    _no_auto_space(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")))


def _no_auto_space(p_pr: Any) -> None:
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        element = _element(tag)
        element.set(qn("w:val"), "0")
        p_pr.insert_element_before(element, "w:bidi", "w:adjustRightInd", "w:snapToGrid", *_AFTER_SNAP_TO_GRID)


def _explicit_fonts_on_every_style(doc: DocxDocument) -> None:
    """python-docx's template gives ~70 styles (and their table parts) theme fonts; each gets a
    real one: 黑体 where the theme said a heading font (major), 仿宋_GB2312 elsewhere."""
    styles = doc.styles.element
    for r_fonts in list(styles.iter(qn("w:rFonts"))):
        theme = r_fonts.get(qn("w:eastAsiaTheme")) or r_fonts.get(qn("w:asciiTheme")) or ""
        if theme:
            _set_east_asian(r_fonts.getparent(), HEI_FONT if theme.startswith("major") else BODY_FONT)
    for style in styles.findall(qn("w:style")):
        r_pr = style.find(qn("w:rPr"))
        if r_pr is None:
            r_pr = _element("w:rPr")
            style.append(r_pr)
        r_fonts = r_pr.find(qn("w:rFonts"))
        _set_east_asian(r_pr, (r_fonts.get(qn("w:eastAsia")) if r_fonts is not None else None) or BODY_FONT)
        _set_language(r_pr)


def _drop_styles_with_effects(doc: DocxDocument) -> None:
    """Word 2010's copy of the styles (stylesWithEffects.xml) still names theme fonts; later Words
    ignore it and older ones would prefer it, so it goes."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)


def _font_table(doc: DocxDocument) -> None:
    """Declares the Chinese fonts (GB2312 charset) with the substitute Word uses when one is missing."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
            break
    else:
        return
    from docx.oxml import parse_xml

    fonts = parse_xml(part.blob)
    for name, substitute in FONT_SUBSTITUTES.items():
        font = _element("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", substitute), ("w:charset", "86"), ("w:family", "modern")):
            child = _element(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        fonts.append(font)
    from lxml import etree

    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_styles(doc: DocxDocument) -> None:
    _document_defaults(doc)
    _explicit_fonts_on_every_style(doc)
    normal = doc.styles["Normal"]
    _paragraph_style(normal, BODY_FONT, BODY_SIZE)
    _condensed(normal)
    _off_grid(normal)
    _no_auto_space(normal.element.get_or_add_pPr())
    title = doc.styles["Title"]
    _paragraph_style(title, TITLE_FONT, Pt(22), indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(35)
    title.paragraph_format.space_after = LINE_PITCH
    title.paragraph_format.keep_with_next = True
    title.element.get_or_add_pPr()  # python-docx's Title has a bottom border; drop it
    borders = title.element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        title.element.pPr.remove(borders)
    heading1 = doc.styles["Heading 1"]
    _paragraph_style(heading1, HEI_FONT, BODY_SIZE)
    heading1.paragraph_format.keep_with_next = True
    heading2 = doc.styles["Heading 2"]
    _paragraph_style(heading2, KAI_FONT, BODY_SIZE)
    heading2.paragraph_format.keep_with_next = True
    table_text = doc.styles.add_style(TABLE_STYLE, 1)
    table_text.base_style = doc.styles["Normal"]
    _paragraph_style(table_text, BODY_FONT, Pt(10.5), indent=False)  # 五号, as in the PDF
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    table_text.paragraph_format.line_spacing = 1.2
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _off_grid(table_text)
    caption = doc.styles.add_style(CAPTION_STYLE, 1)
    caption.base_style = table_text
    _paragraph_style(caption, HEI_FONT, Pt(14), indent=False)
    caption.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    caption.paragraph_format.line_spacing = 1.5
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _off_grid(caption)
    for style in (table_text, caption):
        _set_language(style.element.get_or_add_rPr())


# --- page ------------------------------------------------------------------------------------------


def _page_geometry(section: DocxSection) -> None:
    """A4, 天头 37 mm, 订口 (left) 28 mm on odd and even pages alike: the PDF's page."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the number's dashes sit ~7 mm below the type area
    _document_grid(section)


def _document_grid(section: DocxSection) -> None:
    """28 characters a line, 22 lines a page (Word's 文档网格 "指定行和字符网格")."""
    sect_pr: Any = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = _element("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _add_page_number(paragraph: DocxParagraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(14)  # one character in from the edge
    for text, is_field in (("— ", False), ("PAGE", True), (" —", False)):
        run = paragraph.add_run()
        _set_fonts(run, PAGE_NUMBER_FONT, Pt(14))
        if not is_field:
            run.text = text
            continue
        for tag, attr in (("w:fldChar", "begin"), ("w:instrText", None), ("w:fldChar", "end")):
            element = _element(tag)
            if attr:
                element.set(qn("w:fldCharType"), attr)
            else:
                element.set(qn("xml:space"), "preserve")
                element.text = "PAGE"
            run._r.append(element)


def _number_pages(doc: DocxDocument, section: DocxSection) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _add_page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _add_page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    page_numbers = _element("w:pgNumType")
    page_numbers.set(qn("w:start"), "1")
    section._sectPr.insert_element_before(page_numbers, *_AFTER_PAGE_NUMBERS)


# --- blocks ----------------------------------------------------------------------------------------


TABLE_FONT_TWIPS = 210  # 五号 (10.5 pt) in twips: one CJK character
CELL_MARGINS_TWIPS = 2 * 108 + 30  # Word's default left and right cell margins, and a little air
# Where a cell's text may break: before and after each CJK character (and full-width punctuation);
# a run of other characters (98.24%, ≥100%, 2740/2789) is one word that must not break.
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\uffff]+")  # \s: a line break in the cell (cell_lines)


def _em(char: str) -> float:
    """A character's advance in em as the fallback fonts set it: CJK and symbols such as ≥ are full
    width; Latin digits about half; the per-cent sign wider (Times New Roman's % is 0.83 em)."""
    if char == "%":
        return 0.85
    return 0.55 if ord(char) < 0x2000 else 1.0


def _word_width(text: str) -> float:
    """The widest part of `text` that may not break across lines, in em (a CJK character is one)."""
    words = [sum(_em(char) for char in word) for word in _UNBREAKABLE.findall(text)]
    return max([1.0 if any(ord(char) >= 0x2E80 for char in text) else 0.0, *words])


_FRACTION = re.compile(r"(?<=\S)（(?=[\d.]+/[\d.]+）)")


def cell_lines(value: str) -> str:
    """A figure and its fraction on two lines, as the PDF sets them ("98.24%" over "（2740/2789）"):
    Unicode line breaking forbids a break between "%" and "（", so Word would otherwise break
    inside the numbers."""
    return _FRACTION.sub("\n（", value)


def _least_widths(table: Table) -> list[int]:
    """What each column needs so that no word breaks: its whole header (short labels such as 序号,
    达标单位, 2024年), and in a column of figures the widest figure (98.24%, ≥100%)."""
    least = []
    for index, column in enumerate(table.columns):
        ems = text_width(column.label)
        if not column.is_text:
            ems = max([ems, *(_word_width(cell_lines(row[index])) for row in table.rows if index < len(row))])
        least.append(math.ceil(ems * TABLE_FONT_TWIPS) + CELL_MARGINS_TWIPS)
    return least


def column_widths(table: Table, total: int) -> list[int]:
    """The columns' widths in twips, as the PDF shares them (a column's CSS percentage of the type
    area, the columns without one sharing what is left equally), widened where a header word or a
    figure would otherwise break inside it, the width coming from the columns with room to spare
    (text columns first, whose words may wrap)."""
    given = [float(c.width.rstrip("%")) / 100 if c.width.endswith("%") else None for c in table.columns]
    rest = max(0.0, 1 - sum(w for w in given if w is not None))
    open_columns = sum(1 for w in given if w is None)
    shares = [w if w is not None else rest / open_columns for w in given]
    scale = sum(shares) or 1
    widths = [round(total * share / scale) for share in shares]
    least = _least_widths(table)
    if sum(least) > total:
        return widths  # the table cannot hold every word whole: keep the PDF's shares
    needed = sum(max(0, low - width) for low, width in zip(least, widths, strict=True))
    if not needed:
        return widths
    widths = [max(low, width) for low, width in zip(least, widths, strict=True)]
    for donors in ([i for i, c in enumerate(table.columns) if c.is_text], list(range(len(widths)))):
        spare = {i: widths[i] - least[i] for i in donors if widths[i] > least[i]}
        room = sum(spare.values())
        if not needed or not room:
            continue
        taken = min(needed, room)
        for i, slack in spare.items():
            widths[i] -= math.floor(taken * slack / room)
        needed -= taken
    widths[max(range(len(widths)), key=widths.__getitem__)] += total - sum(widths)  # rounding
    return widths


def _fixed_layout(grid: DocxTable, widths: list[int]) -> None:
    grid.autofit = False  # w:tblLayout fixed: Word keeps the widths instead of fitting the content
    tbl_pr: Any = grid._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = _element("w:tblW")
        tbl_pr.insert_element_before(tbl_w, "w:jc", "w:tblInd", "w:tblBorders", "w:tblLayout", "w:tblLook")
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    for grid_col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(width))


def _cell_width(cell: _Cell, width: int) -> None:
    tc_w = cell._tc.get_or_add_tcPr().get_or_add_tcW()
    tc_w.set(qn("w:type"), "dxa")
    tc_w.set(qn("w:w"), str(width))


def _add_table(doc: DocxDocument, table: Table) -> None:
    doc.add_paragraph(table.caption, style=CAPTION_STYLE)
    widths = column_widths(table, round(TYPE_AREA_WIDTH.pt * 20))
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_layout(grid, widths)
    header = grid.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.append(_element("w:cantSplit"))
    header_pr.append(_element("w:tblHeader"))  # repeat on every page
    for cell, column, width in zip(header.cells, table.columns, widths, strict=True):
        _cell_width(cell, width)
        cell.text = ""
        paragraph = cell.paragraphs[0]
        paragraph.style = TABLE_STYLE
        paragraph.paragraph_format.keep_with_next = True  # a header never ends a page alone
        _set_fonts(paragraph.add_run(column.label), HEI_FONT, Pt(10.5))
    for number, values in enumerate(table.rows, start=1):
        row = grid.add_row()
        row._tr.get_or_add_trPr().append(_element("w:cantSplit"))  # never split a row
        for cell, value, column, width in zip(row.cells, values, table.columns, widths, strict=True):
            _cell_width(cell, width)
            cell.text = value if column.is_text else cell_lines(value)
            paragraph = cell.paragraphs[0]
            paragraph.style = TABLE_STYLE
            if number < min(2, len(table.rows)):
                paragraph.paragraph_format.keep_with_next = True  # header + first row together
            if column.is_text:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif column.is_number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        note = doc.add_paragraph(table.note, style=TABLE_STYLE)
        note.alignment = WD_ALIGN_PARAGRAPH.LEFT
        note.paragraph_format.space_before = Pt(3)


def chart_png(chart: Chart) -> bytes:
    """The chart's own SVG as a PNG (the fonts are named on the <svg>, so CJK labels render)."""
    png: bytes = cairosvg.svg2png(bytestring=chart.svg.encode(), output_width=CHART_PIXELS, background_color="white")
    return png


def _add_chart(doc: DocxDocument, chart: Chart) -> None:
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = picture.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would crop the picture
    fmt.keep_with_next = True
    picture.add_run().add_picture(io.BytesIO(chart_png(chart)), width=CHART_WIDTH)
    caption = doc.add_paragraph(chart.caption, style=CAPTION_STYLE)
    _set_fonts(caption.runs[0], HEI_FONT, Pt(12))
    caption.paragraph_format.keep_with_next = False


def _add_blocks(doc: DocxDocument, blocks: Iterable[Paragraph | Table | Chart]) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
        elif isinstance(block, Table):
            _add_table(doc, block)
        elif isinstance(block, Chart):
            _add_chart(doc, block)


def heading_condensing(text: str) -> Pt | None:
    """Extra condensing that pulls a heading's lone last character back onto the line before.

    Word has no unbreakable span; GB/T 9704 allows fitting a line by adjusting character spacing
    (7.3.5.1: 调整行距、字距). A heading whose last line would hold one character (counting from its
    two-character indent, 28 a line) is set just tight enough to end a line earlier."""
    pitch = TYPE_AREA_WIDTH.pt / CHARS_PER_LINE
    width = text_width(text) + 2  # the first line's indent
    last = width % CHARS_PER_LINE
    if width <= CHARS_PER_LINE or not 0 < last <= 1:
        return None
    return Pt(BODY_CONDENSING.pt - (last * pitch) / (width - last) - 0.05)


def _add_section(doc: DocxDocument, section: Section, level: int) -> None:
    heading = doc.add_paragraph(section.heading, style=f"Heading {level}")
    condensing = heading_condensing(section.heading)
    if condensing is not None:
        for run in heading.runs:
            spacing = _element("w:spacing")
            spacing.set(qn("w:val"), str(math.floor(condensing.pt * 20)))
            run._r.get_or_add_rPr().insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:lang")
    _add_blocks(doc, section.blocks)
    for sub in section.subsections:
        _add_section(doc, sub, level + 1)


def _add_cover(doc: DocxDocument, report: ReportDocument, cover: Cover) -> None:
    for _ in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph("\n".join(report.cover_title_lines), style="Title")
    _set_fonts(title.runs[0], TITLE_FONT, Pt(26))
    for _ in range(8):
        doc.add_paragraph()
    for text in (cover.issuer, cover.date_text):
        line = doc.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.first_line_indent = Pt(0)
    body = doc.add_section(WD_SECTION.ODD_PAGE)  # the body starts on a right-hand page
    _page_geometry(body)


def _add_closing(doc: DocxDocument, report: ReportDocument) -> None:
    """附件说明 and the signature (GB/T 9704 7.3.4, 7.3.5.2), kept on the page of the text's last
    lines: the paragraph before them keeps with the next, so the signature never stands alone."""
    body = doc.paragraphs
    if body:
        body[-1].paragraph_format.keep_with_next = True
    char = TYPE_AREA_WIDTH.pt / CHARS_PER_LINE
    first = True
    if report.appendices:
        for line in report.attachment_lines:
            paragraph = doc.add_paragraph(line)
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT
            fmt.first_line_indent = Pt(0)
            fmt.left_indent = Pt(char * (2 + (0 if first else ATTACHMENT_HANG)))
            fmt.keep_with_next = True
            if first:
                fmt.space_before = LINE_PITCH  # 正文下空一行
            first = False
    issuer_indent, date_indent = report.signature_indents
    for text, indent in ((report.issuer, issuer_indent), (report.date_text, date_indent)):
        if not text:
            continue
        signature = doc.add_paragraph(text)
        fmt = signature.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = Pt(char * indent)
        fmt.keep_with_next = text == report.issuer
        if text == report.issuer:
            fmt.space_before = LINE_PITCH  # 空一行
        signature.paragraph_format.keep_together = True


def _add_heading_block(doc: DocxDocument, report: ReportDocument) -> None:
    if report.document_number:
        number = doc.add_paragraph(report.document_number)
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        number.paragraph_format.first_line_indent = Pt(0)
        number.paragraph_format.space_after = LINE_PITCH
    doc.add_paragraph("\n".join(report.title_lines), style="Title")
    if report.addressee:
        doc.add_paragraph(report.addressee).paragraph_format.first_line_indent = Pt(0)


def document_to_docx(report: ReportDocument) -> bytes:
    doc = Document()
    _setup_styles(doc)
    _drop_styles_with_effects(doc)
    _font_table(doc)
    _page_geometry(doc.sections[0])
    doc.core_properties.title = report.title
    doc.core_properties.author = report.issuer or "lawgov"
    doc.core_properties.language = LANGUAGE
    if report.cover is not None:
        _add_cover(doc, report, report.cover)
    _number_pages(doc, doc.sections[-1])
    _add_heading_block(doc, report)
    _add_blocks(doc, report.opening)
    for section in report.sections:
        _add_section(doc, section, 1)
    _add_closing(doc, report)
    for appendix in report.appendices:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # Document.add_page_break, which is untyped
        label = doc.add_paragraph(appendix.label)
        label.paragraph_format.first_line_indent = Pt(0)
        _set_fonts(label.runs[0], HEI_FONT, BODY_SIZE)
        doc.add_paragraph(appendix.title, style="Title")
        _add_blocks(doc, appendix.blocks)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
