import io

import docx
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.document import Column, Cover, Paragraph, ReportDocument, Section, Table
from reports.docx_writer import document_to_docx


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
