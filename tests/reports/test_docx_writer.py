import io
import re
import shutil
import subprocess

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reports.document import Appendix, Chart, Column, Cover, Paragraph, ReportDocument, Section, Table
from reports.docx_writer import column_widths, document_to_docx


def _open(report: ReportDocument):
    return docx.Document(io.BytesIO(document_to_docx(report)))


REPORT = ReportDocument(
    title="测试市甲局关于2025年度法治政府建设情况的报告",
    addressee="测试市人民政府：",
    sections=(
        Section(
            "一、主要举措和成效",
            blocks=(Paragraph("全年办理行政复议案件71件。"),),
            subsections=(Section("（一）依法行政", blocks=(Paragraph("正文。"),)),),
        ),
    ),
    issuer="测试市甲局",
    date_text="2026年2月20日",
    cover=Cover("测试市甲局关于2025年度法治政府建设情况的报告", "测试市甲局", "2026年2月"),
    appendices=(),
)


def test_body_text_is_fangsong_3hao_on_a_fixed_line_pitch():
    normal = _open(REPORT).styles["Normal"]

    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)


def test_headings_use_hei_and_kai_and_the_title_xiaobiaosong():
    styles = _open(REPORT).styles

    def east_asian(name):
        return styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert (east_asian("Heading 1"), east_asian("Heading 2"), east_asian("Title")) == (
        "黑体",
        "楷体_GB2312",
        "方正小标宋简体",
    )
    assert styles["Title"].font.size == Pt(22)


def test_pages_have_the_official_margins_and_numbering_restarts_after_the_cover():
    document = _open(REPORT)
    body = document.sections[-1]

    assert len(document.sections) == 2
    margins = (body.top_margin, body.bottom_margin, body.left_margin, body.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]  # Word stores twips: 37 mm is 2098 twips
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in body.footer._element.xml
    assert "PAGE" not in document.sections[0].footer._element.xml


def test_tables_repeat_their_header_and_never_split_rows():
    report = ReportDocument(
        title="表格",
        sections=(
            Section("一、表", blocks=(Table("表1", (Column("指标"), Column("值")), (("甲", "1"), ("乙", "2"))),)),
        ),
    )

    table = _open(report).tables[0]

    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    assert [c.text for c in table.rows[1].cells] == ["甲", "1"]


def _styles_xml(document) -> str:
    return document.styles.element.xml


def test_no_style_names_a_theme_font_and_every_style_names_its_east_asian_font():
    document = _open(REPORT)
    styles = document.styles.element

    assert "Theme=" not in _styles_xml(document)
    for style in styles.findall(qn("w:style")):
        fonts = style.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), style.get(qn("w:styleId"))


def test_the_document_language_is_simplified_chinese():
    document = _open(REPORT)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))

    assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
    assert document.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_the_page_has_a_28_character_by_22_line_grid():
    grid = _open(REPORT).sections[-1]._sectPr.find(qn("w:docGrid"))

    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"  # 28.95 pt: 225 mm / 22 lines
    # 16 pt + charSpace/4096 pt is the character pitch: 28 of them fill the 156 mm measure.
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert int(Mm(156).pt / pitch) == 28


def test_odd_and_even_pages_share_the_28_mm_left_margin_with_no_mirroring():
    document = _open(REPORT)

    assert document.settings.element.find(qn("w:mirrorMargins")) is None
    assert {round(section.left_margin.mm) for section in document.sections} == {28}


def test_table_columns_take_the_widths_the_pdf_gives_them():
    report = ReportDocument(
        title="表格",
        sections=(
            Section(
                "一、表",
                blocks=(
                    Table("表1", (Column("序号", "10%"), Column("指标", "60%"), Column("值")), (("1", "甲", "2"),)),
                ),
            ),
        ),
    )

    table = _open(report).tables[0]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]

    assert widths == [884, 5306, 2653]  # 10 %, 60 % and the remaining 30 % of 156 mm in twips
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert [int(c._tc.tcPr.tcW.get(qn("w:w"))) for c in table.rows[1].cells] == widths


SUMMARY = Table(
    "2024年度法治政府建设主要指标汇总",
    (
        Column("序号", "7%"),
        Column("指标", "30%", is_text=True),
        Column("2024年", "20%"),
        Column("2023年", "11%"),
        Column("变化", "13%"),
        Column("目标", "10%"),
        Column("达标单位", "9%"),
    ),
    (("3", "领导干部年终述法覆盖率", "98.24%（2740/2789）", "97.5%", "提高0.74个百分点", "≥100%", "14/20"),),
)


def test_a_column_is_widened_so_that_no_header_word_or_figure_breaks_inside_it():
    widths = column_widths(SUMMARY, 8844)
    twips_per_em, margins = 210, 2 * 108
    assert widths[0] >= 2 * twips_per_em + margins  # 序号
    assert widths[5] >= 3 * twips_per_em + margins  # ≥100%
    assert widths[6] >= 4 * twips_per_em + margins  # 达标单位
    assert sum(widths) == 8844 and widths[1] < round(8844 * 0.30)  # the text column gave the room


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_sets_each_header_word_on_one_line(tmp_path):
    report = ReportDocument(title="表格", sections=(Section("一、表", blocks=(SUMMARY,)),))
    (tmp_path / "table.docx").write_bytes(document_to_docx(report))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "table.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "table.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = re.sub(r"(\d) 年", r"\1年", text)  # pdftotext spaces a Latin run from the CJK after it
    header = next(line for line in text.splitlines() if "指标" in line and "变化" in line)
    assert all(word in header for word in ("序号", "2024年", "2023年", "目标", "达标单位")), header
    assert any("≥100%" in line for line in text.splitlines())


def test_a_chart_is_included_as_a_picture_of_the_pdfs_svg():
    from reports.charts import bar_chart

    svg = bar_chart(labels=["甲", "乙"], series=[("2025年", [1, 2])], unit="件")
    report = ReportDocument(title="图", sections=(Section("一、图", blocks=(Chart("图1 测试", svg),)),))

    document = _open(report)

    assert len(document.inline_shapes) == 1
    assert round(document.inline_shapes[0].width.mm) == 150
    image = document.part.related_parts[
        document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    ].blob
    assert image.startswith(b"\x89PNG")
    assert "图1 测试" in [p.text for p in document.paragraphs]


def test_the_attachment_note_lists_the_appendices_before_the_signature():
    report = ReportDocument(
        title="报告",
        sections=(Section("一、正文", blocks=(Paragraph("正文。"),)),),
        issuer="测试市人民政府",
        date_text="2026年3月1日",
        appendices=(Appendix("附件1", "主要指标汇总"), Appendix("附件2", "各单位年度填报情况")),
    )

    texts = [p.text for p in _open(report).paragraphs]

    start = texts.index("附件：1. 主要指标汇总")
    assert texts[start : start + 4] == [
        "附件：1. 主要指标汇总",
        "2. 各单位年度填报情况",
        "测试市人民政府",
        "2026年3月1日",
    ]


def test_the_last_body_paragraph_keeps_with_the_signature():
    paragraphs = _open(REPORT).paragraphs
    issuer = max(i for i, p in enumerate(paragraphs) if p.text == "测试市甲局")  # not the cover's

    assert paragraphs[issuer - 1].paragraph_format.keep_with_next
    assert paragraphs[issuer].paragraph_format.keep_with_next


def test_a_heading_that_would_leave_one_character_alone_is_set_tighter():
    from reports.docx_writer import heading_condensing

    lone = "一、" + "推进法治政府建设的主要举措和成效及存在的不足和原" + "因"  # 27 characters + indent
    report = ReportDocument(title="标题", sections=(Section(lone, blocks=(Paragraph("正文。"),)),))

    heading = next(p for p in _open(report).paragraphs if p.text == lone)
    spacing = int(heading.runs[0]._r.rPr.find(qn("w:spacing")).get(qn("w:val"))) / 20

    assert heading_condensing("一、存在的不足和原因") is None
    # 29 characters (indent included) must fit the 28 a line: each gives up what the last one needs.
    assert 29 * (16 + spacing) <= Mm(156).pt
