"""The same `ReportDocument` as a Word file (python-docx), because staff finish documents in Word/WPS.

Styles follow GB/T 9704 as offices set them up in Word: body 仿宋_GB2312 3号 at a fixed 28.95 pt
line pitch, title 方正小标宋简体 2号, 一、 headings 黑体, （一） headings 楷体_GB2312, page numbers
"— N —" at the outer edge (odd right, even left), none on the cover. These are the font names
Chinese offices have installed; Word substitutes its own if one is missing. Latin letters and
digits use Times New Roman, the usual pairing. Charts are left to the PDF: their figures are in the
appendix tables anyway.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .document import Paragraph, ReportDocument, Section, Table

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"
LINE_PITCH = Pt(28.95)


def _set_fonts(target, east_asian: str, size: Pt, *, bold: bool = False) -> None:
    """Sets the font of a style or run; `w:eastAsia` is what Word uses for Chinese characters."""
    font = target.font
    font.name = LATIN_FONT
    font.size = size
    font.bold = bold
    r_pr = target.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph_style(style, east_asian: str, size: Pt, *, indent: bool = True, bold: bool = False) -> None:
    _set_fonts(style, east_asian, size, bold=bold)
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32) if indent else Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _setup_styles(doc) -> None:
    _paragraph_style(doc.styles["Normal"], BODY_FONT, Pt(16))
    title = doc.styles["Title"]
    _paragraph_style(title, TITLE_FONT, Pt(22), indent=False)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(32)
    title.paragraph_format.space_after = Pt(28.95)
    title.element.get_or_add_pPr()  # python-docx's Title has a bottom border; drop it
    borders = title.element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        title.element.pPr.remove(borders)
    heading1 = doc.styles["Heading 1"]
    _paragraph_style(heading1, HEI_FONT, Pt(16))
    heading1.paragraph_format.keep_with_next = True
    heading2 = doc.styles["Heading 2"]
    _paragraph_style(heading2, KAI_FONT, Pt(16))
    heading2.paragraph_format.keep_with_next = True
    table_text = doc.styles.add_style("报告表格", 1)
    table_text.base_style = doc.styles["Normal"]
    _paragraph_style(table_text, BODY_FONT, Pt(12), indent=False)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_geometry(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the number's dashes sit ~7 mm below the type area


def _add_page_number(paragraph, alignment) -> None:
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
            element = OxmlElement(tag)
            if attr:
                element.set(qn("w:fldCharType"), attr)
            else:
                element.set(qn("xml:space"), "preserve")
                element.text = "PAGE"
            run._r.append(element)


def _number_pages(doc, section) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _add_page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _add_page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    page_numbers = OxmlElement("w:pgNumType")
    page_numbers.set(qn("w:start"), "1")
    section._sectPr.append(page_numbers)


def _add_table(doc, table: Table) -> None:
    caption = doc.add_paragraph(table.caption, style="报告表格")
    _set_fonts(caption.runs[0], HEI_FONT, Pt(14))
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    header_pr = header._tr.get_or_add_trPr()
    header_pr.append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, column in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.label)
        cell.paragraphs[0].style = "报告表格"
        _set_fonts(run, HEI_FONT, Pt(11))
    for values in table.rows:
        row = grid.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # never split a row
        for cell, value, column in zip(row.cells, values, table.columns, strict=True):
            cell.text = value
            paragraph = cell.paragraphs[0]
            paragraph.style = "报告表格"
            if column.is_text:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            elif column.is_number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        doc.add_paragraph(table.note, style="报告表格").alignment = WD_ALIGN_PARAGRAPH.LEFT


def _add_blocks(doc, blocks) -> None:
    for block in blocks:
        if isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
        elif isinstance(block, Table):
            _add_table(doc, block)


def _add_section(doc, section: Section, level: int) -> None:
    doc.add_paragraph(section.heading, style=f"Heading {level}")
    _add_blocks(doc, section.blocks)
    for sub in section.subsections:
        _add_section(doc, sub, level + 1)


def _add_cover(doc, report: ReportDocument) -> None:
    cover = report.cover
    for _ in range(4):
        doc.add_paragraph()
    title = doc.add_paragraph(cover.title, style="Title")
    _set_fonts(title.runs[0], TITLE_FONT, Pt(26))
    for _ in range(8):
        doc.add_paragraph()
    for text in (cover.issuer, cover.date_text):
        line = doc.add_paragraph(text)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.first_line_indent = Pt(0)
    body = doc.add_section(WD_SECTION.ODD_PAGE)  # the body starts on a right-hand page
    _page_geometry(body)


def document_to_docx(report: ReportDocument) -> bytes:
    doc = Document()
    _setup_styles(doc)
    _page_geometry(doc.sections[0])
    doc.core_properties.title = report.title
    doc.core_properties.author = report.issuer or "lawgov"
    if report.cover:
        _add_cover(doc, report)
    _number_pages(doc, doc.sections[-1])
    doc.add_paragraph(report.title, style="Title")
    if report.addressee:
        doc.add_paragraph(report.addressee).paragraph_format.first_line_indent = Pt(0)
    _add_blocks(doc, report.opening)
    for section in report.sections:
        _add_section(doc, section, 1)
    for text in (report.issuer, report.date_text):
        if text:
            line = doc.add_paragraph(text)
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            line.paragraph_format.right_indent = Pt(64)  # 右空四字
    for appendix in report.appendices:
        doc.add_page_break()
        label = doc.add_paragraph(appendix.label)
        label.paragraph_format.first_line_indent = Pt(0)
        _set_fonts(label.runs[0], HEI_FONT, Pt(16))
        doc.add_paragraph(appendix.title, style="Title")
        _add_blocks(doc, appendix.blocks)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
