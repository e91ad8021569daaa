"""GB/T 9704 typesetting of the PDF, measured on the laid-out pages (pdftotext -bbox-layout):
both edges flush, no one-character line in titles, headings and table headers, the 订口 on every
page, the signature with the last lines of text, no table row alone on a page."""

import pytest

from reports.document import Appendix, Column, Paragraph, ReportDocument, Section, Table
from reports.pdf import render_pdf

from .pdf_lines import LEFT_MARGIN, MEASURE, body_lines, one_character_lines, pdf_lines, short_mid_paragraph_lines

TEMPLATE = "reports/pdf/department_annual.html"
# Chinese with half-width figures and punctuation that the line-start rules push down: the lines
# that came out short before the text was justified between characters.
MIXED = (
    "全年办理行政复议案件71件，行政复议决定书履行率97.84%，较上年提高3.5个百分点；组织全区537名"
    "行政执法人员和126名申领执法证件人员参加公共法律知识培训，开展“八五”普法中期评估。"
)


def _pdf(**fields) -> bytes:
    return render_pdf(TEMPLATE, {"document": ReportDocument(**{"title": "测试", **fields})})


def test_every_line_of_a_paragraph_but_its_last_reaches_the_right_edge():
    document_pdf = _pdf(sections=(Section("一、正文", blocks=tuple(Paragraph(MIXED * 3) for _ in range(8))),))

    lines = body_lines(document_pdf)
    short, total = short_mid_paragraph_lines(lines)

    assert total > 60
    assert short == []
    assert max(line.x_max for line in lines) <= LEFT_MARGIN + MEASURE + 1  # and none runs past it


def test_a_heading_never_ends_on_a_line_of_one_character():
    # 27 characters after the 2-character indent: one would be left alone on the second line.
    heading = "一、" + "推进法治政府建设的主要举措和成效及存在的不足和原" + "因"
    subheading = "（一）" + "深入学习贯彻习近平法治思想全面落实法治政府建设实施纲" + "要"

    lines = pdf_lines(_pdf(sections=(Section(heading, subsections=(Section(subheading, (Paragraph("正文。"),)),)),)))

    assert one_character_lines(lines) == []
    assert any(line.text.endswith("原因") for line in lines)


def test_a_long_title_breaks_into_balanced_lines_without_a_lone_character():
    title = "云州市发展和改革委员会关于2024年度法治政府建设情况和党政主要负责人履行第一责任人职责情况的报告"

    lines = [line for line in pdf_lines(_pdf(title=title)) if line.height > 25]  # 2号 (22 pt)

    assert len(lines) >= 3
    assert one_character_lines(lines) == []
    assert "".join(line.text for line in lines) == title


def test_a_table_header_breaks_between_words_not_inside_one():
    table = Table(
        "表1 各单位达标情况",
        (Column("单位", "76%", is_text=True), Column("完成情况", "8%"), Column("达标单位", "8%"), Column("序号", "8%")),
        (("甲局", "完成", "1", "1"),),
    )

    lines = pdf_lines(_pdf(sections=(Section("一、表", blocks=(table,)),)))

    texts = [line.text for line in lines]
    assert "完成" in texts and "情况" in texts and "达标" in texts and "单位" in texts
    assert one_character_lines(lines) == []


def test_even_pages_keep_the_28_mm_left_margin():
    lines = body_lines(_pdf(sections=(Section("一、正文", blocks=tuple(Paragraph(MIXED * 2) for _ in range(20))),)))

    for page in (1, 2, 3):
        assert min(line.x_min for line in lines if line.page == page) == pytest.approx(LEFT_MARGIN, abs=0.5)


@pytest.mark.parametrize("paragraphs", range(9, 15))
def test_the_signature_is_on_the_page_of_the_last_lines_of_text(paragraphs):
    """Whatever the length of the text, the issuer and date never open a page of their own."""
    document_pdf = _pdf(
        sections=(Section("一、正文", blocks=tuple(Paragraph(MIXED) for _ in range(paragraphs))),),
        issuer="云州市人民政府",
        date_text="2025年3月1日",
        appendices=(Appendix("附件1", "主要指标汇总", (Paragraph("表。"),)),),
    )

    lines = body_lines(document_pdf)
    issuer = next(line for line in lines if line.text == "云州市人民政府")
    same_page = [line for line in lines if line.page == issuer.page and line.y_min < issuer.y_min]
    assert any(line.text.startswith("附件：") for line in same_page)
    assert any(len(line.text) > 10 and not line.text.startswith("附件") for line in same_page)


def test_the_signature_is_set_as_the_standard_places_it():
    """GB/T 9704 7.3.5.2: the date starts two characters right of the issuer's first character; a
    date that would then come closer than two characters to the edge keeps two, and the issuer
    moves left with it."""
    lines = body_lines(
        _pdf(sections=(Section("一、正文", (Paragraph("正文。"),)),), issuer="云州市司法局", date_text="2025年3月1日")
    )
    issuer = next(line for line in lines if line.text == "云州市司法局")
    date = next(line for line in lines if line.text == "2025年3月1日")
    char = MEASURE / 28

    assert LEFT_MARGIN + MEASURE - date.x_max == pytest.approx(2 * char, abs=1.5)
    assert date.x_min - issuer.x_min == pytest.approx(2 * char, abs=1.5)


@pytest.mark.parametrize("rows", range(24, 34))
def test_no_table_row_is_left_alone_on_a_page(rows):
    table = Table(
        "表1 测试",
        (Column("序号", "20%"), Column("单位", "80%", is_text=True)),
        tuple((str(n), f"单位{n}") for n in range(1, rows + 1)),
    )

    lines = pdf_lines(_pdf(sections=(Section("一、表", blocks=(Paragraph(MIXED), table)),)))

    pages_of_rows = [line.page for line in lines if line.text.startswith("单位") and line.text[2:].isdigit()]
    for page in set(pages_of_rows):
        assert pages_of_rows.count(page) >= 2
