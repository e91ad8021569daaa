"""The Word file of each of the four report kinds, built from data as a user generates it: explicit
Chinese fonts, zh-CN, the 28 × 22 grid, the PDF's column widths, the charts as pictures."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from reports.document import Chart, Table
from reports.docx_writer import column_widths, document_to_docx
from reports.models import ReportKind

from .builders import document_of_kind

pytestmark = pytest.mark.django_db
KINDS = tuple(ReportKind)


@pytest.fixture
def report(request, cast):
    return document_of_kind(request, cast)


def _blocks(report):
    for section in report.sections:
        yield from section.blocks
        for sub in section.subsections:
            yield from sub.blocks
    for appendix in report.appendices:
        yield from appendix.blocks


@pytest.mark.parametrize("report", KINDS, indirect=True)
def test_every_style_names_chinese_fonts_and_no_theme_font(report):
    document = docx.Document(io.BytesIO(document_to_docx(report)))

    assert "eastAsiaTheme" not in document.styles.element.xml
    east_asian = {
        name: document.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))
        for name in ("Normal", "Title", "Heading 1", "Heading 2")
    }
    assert east_asian == {
        "Normal": "仿宋_GB2312",
        "Title": "方正小标宋简体",
        "Heading 1": "黑体",
        "Heading 2": "楷体_GB2312",
    }


@pytest.mark.parametrize("report", KINDS, indirect=True)
def test_every_kind_is_zh_cn_on_the_28_by_22_grid(report):
    document = docx.Document(io.BytesIO(document_to_docx(report)))
    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))

    assert lang.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    for section in document.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch")), grid.get(qn("w:charSpace"))) == (
            "linesAndChars",
            "579",
            "-848",
        )


@pytest.mark.parametrize("report", KINDS, indirect=True)
def test_every_table_has_the_pdfs_column_widths(report):
    tables = [block for block in _blocks(report) if isinstance(block, Table)]
    document = docx.Document(io.BytesIO(document_to_docx(report)))

    assert len(document.tables) == len(tables) > 0
    for table, written in zip(tables, document.tables, strict=True):
        grid = [int(col.get(qn("w:w"))) for col in written._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert grid == column_widths(table, 8844)
        assert [c.label for c in table.columns] == [cell.text for cell in written.rows[0].cells]


@pytest.mark.parametrize("report", KINDS, indirect=True)
def test_every_chart_is_a_picture(report):
    charts = [block for block in _blocks(report) if isinstance(block, Chart)]
    document = docx.Document(io.BytesIO(document_to_docx(report)))

    assert len(document.inline_shapes) == len(charts)


@pytest.mark.parametrize("report", KINDS, indirect=True)
def test_the_word_file_says_what_the_pdf_says(report):
    document = docx.Document(io.BytesIO(document_to_docx(report)))
    written = "".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )

    for paragraph in (block for block in _blocks(report) if not isinstance(block, (Table, Chart))):
        assert paragraph.text in written
