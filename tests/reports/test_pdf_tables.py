"""WeasyPrint changes for table layout (issue 19 §4): each gives what WeasyPrint's own code gives, on
a report whose tables break across pages under a repeated header, with cells of several lines."""

import pytest

from reports.document import Column, Paragraph, ReportDocument, Section, Table
from reports.pdf import html_to_pdf, render_html

from .pdf_text import pdf_to_text


def _tables_report() -> str:
    """A long table that breaks across pages (its header repeated, rows that do not fit at a page
    foot moved over), cells with line breaks, then a short table and a paragraph after it."""
    long_table = Table(
        caption="表1 行政执法主要指标",
        columns=(
            Column("序号", width="8%"),
            Column("指标", width="32%", is_text=True),
            Column("2025年"),
            Column("2024年"),
            Column("变化", is_number=True),
        ),
        rows=tuple(
            (
                str(n),
                "规范性文件制定程序完整率（征求意见、集体讨论、统一登记编号印发）" if n % 3 == 0 else f"第{n}项指标",
                f"{90 + n % 10}.{n:02d}%\n（{n * 17}/{n * 18}）",
                f"{80 + n % 7}%",
                "提高0.26个\n百分点" if n % 2 else "—",
            )
            for n in range(1, 71)
        ),
        note="说明：数据截至12月31日。",
    )
    short_table = Table(
        caption="表2 问卷样本情况",
        columns=(Column("调查对象", width="40%", is_text=True), Column("回收问卷"), Column("有效率")),
        rows=tuple((group, "400", "97.25%") for group in ("人大代表", "普通群众", "企业法人", "律师", "合计")),
    )
    blocks = (Paragraph("全年办理行政复议案件71件。" * 6), long_table, short_table, Paragraph("一审应诉案件12件。"))
    return render_html(
        "reports/pdf/base.html",
        {"document": ReportDocument(title="测试报告", sections=(Section("一、测试", blocks=blocks),))},
    )


@pytest.fixture(scope="module")
def tables_html() -> str:
    return _tables_report()


def test_the_tables_report_breaks_its_long_table_across_pages_under_a_repeated_header(tables_html):
    text = pdf_to_text(html_to_pdf(tables_html).content)

    assert text.count("2024年") >= 3  # the header on every page of the table
    assert "97.25%" in text and "一审应诉案件12件。" in text


# --- reports.pdf.percentages -----------------------------------------------------------------------

# Boxes with every kind of length resolve_percentages meets: percentages against a width and a height,
# calc(), auto heights, min/max sizes, border-box and padding-box sizing, collapsed and separate borders.
_LENGTHS_HTML = """
<style>
  @page { size: A5; margin: 10% 5mm }
  body { margin: 2% 3% 4%; padding: 1em }
  .a { width: 50%; height: 20%; min-width: 10%; max-width: 300px; margin: 1em auto 5%; padding: 2% 1pt }
  .b { box-sizing: border-box; width: calc(40% + 10px); min-height: 10px; padding: 3px 5%; border: 2px solid }
  .c { box-sizing: padding-box; height: 50px; max-height: 30%; padding: 4px; border: 1px dotted }
  table { border-collapse: collapse; width: 100%; table-layout: fixed }
  table.s { border-collapse: separate; border-spacing: 2px }
  td, th { border: 0.5pt solid; padding: 2pt 3pt; height: 2em }
</style>
<div class="a">甲<span style="margin: 5%; padding: 1%">乙</span></div>
<div class="b">丙<br>丁</div><p class="c">戊</p>
<table><thead><tr><th>项目</th><th style="width: 30%">数量</th></tr></thead>
<tbody><tr><td>行政<br>复议</td><td class="b">71</td></tr></tbody></table>
<table class="s"><tr><td style="padding: 5%">一</td><td>二</td></tr></table>
"""


def _every_box(html: str) -> list:
    from reports.pdf import render as pdf_module

    document = pdf_module._ReportHTML(string=html, base_url=pdf_module.BASE_URL).render()
    return [box for page in document.pages for box in [page._page_box, *page._page_box.descendants()]]


def _used_values_differ(ours, weasyprints, boxes) -> list:
    """The boxes (and containing blocks) for which the two functions set different used values."""
    differ = []
    for box in boxes:
        for containing_block in ((400.5, "auto"), (400.5, 300.25), (0, 0), box):
            mine, theirs = box.copy(), box.copy()
            try:
                weasyprints(theirs, containing_block)
            except TypeError:  # an auto width to take a percentage of: ours must fail too
                with pytest.raises(TypeError):
                    ours(mine, containing_block)
                continue
            ours(mine, containing_block)
            if mine.__dict__ != theirs.__dict__ or list(mine.__dict__) != list(theirs.__dict__):
                differ.append((box, containing_block))
    return differ


def test_used_lengths_are_weasyprints_for_every_box():
    from reports.pdf import percentages

    boxes = _every_box(_LENGTHS_HTML)

    assert len(boxes) > 40
    assert {box.style["box_sizing"] for box in boxes} == {"content-box", "border-box", "padding-box"}
    assert not _used_values_differ(percentages.resolve_percentages, percentages._weasyprint_resolve_percentages, boxes)


def test_a_used_length_set_otherwise_is_seen():
    """The guard of the test above: a min-width left `auto` instead of 0 is caught."""
    from reports.pdf import percentages

    def auto_min_width(box, containing_block):
        percentages.resolve_percentages(box, containing_block)
        if box.style["min_width"] == "auto":
            box.min_width = "auto"

    boxes = _every_box(_LENGTHS_HTML)

    assert _used_values_differ(auto_min_width, percentages._weasyprint_resolve_percentages, boxes)


def test_every_layout_module_resolves_lengths_with_the_faster_function():
    import sys

    from reports.pdf import percentages

    holders = [
        name
        for name, module in list(sys.modules.items())
        if name.startswith("weasyprint") and getattr(module, "resolve_percentages", None) is not None
    ]
    assert holders
    for name in holders:
        assert sys.modules[name].resolve_percentages is percentages.resolve_percentages, name


def _weasyprints_own_percentages(monkeypatch):
    from reports.pdf import percentages

    for module in percentages._MODULES:
        monkeypatch.setattr(module, "resolve_percentages", percentages._weasyprint_resolve_percentages)


@pytest.mark.parametrize("archival", [False, True])
def test_tables_render_the_same_pdf_bytes_with_weasyprints_own_length_resolution(monkeypatch, tables_html, archival):
    ours = html_to_pdf(tables_html, archival=archival).content
    _weasyprints_own_percentages(monkeypatch)

    assert html_to_pdf(tables_html, archival=archival).content == ours


def test_a_cell_laid_out_a_hair_lower_changes_the_pdf_bytes(monkeypatch, tables_html):
    """The guard of the byte comparisons in this file: a hundredth of a point shows in the bytes."""
    from weasyprint.formatting_structure import boxes

    from reports.pdf import percentages

    ours = html_to_pdf(tables_html).content

    def lower_cells(box, containing_block):
        percentages.resolve_percentages(box, containing_block)
        if isinstance(box, boxes.TableCellBox):
            box.padding_top += 0.01

    for module in percentages._MODULES:
        monkeypatch.setattr(module, "resolve_percentages", lower_cells)

    assert html_to_pdf(tables_html).content != ours


# --- reports.pdf.tables ----------------------------------------------------------------------------

# Cells the plain-cell layout leaves to WeasyPrint (a block inside, nothing inside, a relative or
# max-lines cell), and cells it takes (spans, a line break, a nowrap number, fixed height).
_OTHER_CELLS = """
<table><tr><td><p>段落</p></td><td></td><td style="position: relative; top: 1pt">相对</td>
<td style="max-lines: 1">一<br>二</td></tr>
<tr><td><span class="keep">行政</span>复议</td><td class="number">1,234</td><td style="height: 40pt">高</td>
<td style="vertical-align: bottom">底<br>部</td></tr></table>
"""


def _laid_out(html: str):
    from reports.pdf import render as pdf_module

    renderer = pdf_module._renderer()
    html, stylesheets = renderer.linked_stylesheets(pdf_module.without_table_whitespace(html))
    return pdf_module._ReportHTML(string=html, base_url=pdf_module.BASE_URL).render(
        font_config=renderer.font_config, stylesheets=stylesheets
    )


_GEOMETRY = (
    "position_x",
    "position_y",
    "width",
    "height",
    "baseline",
    "content_height",
    "empty",
    "vertical_align",
    "computed_height",
    *(f"{kind}_{side}" for kind in ("margin", "padding") for side in ("top", "right", "bottom", "left")),
    *(f"border_{side}_width" for side in ("top", "right", "bottom", "left")),
)


def _geometry(document) -> list:
    """Every laid-out box of every page: its page, kind, text and used geometry."""
    return [
        (number, type(box).__name__, getattr(box, "text", None), [getattr(box, name, None) for name in _GEOMETRY])
        for number, page in enumerate(document.pages)
        for box in page._page_box.descendants()
    ]


@pytest.fixture(scope="module")
def cells_html(tables_html) -> str:
    return tables_html.replace("</body>", _OTHER_CELLS + "</body>")


def _weasyprints_own_cell_layout(monkeypatch):
    from weasyprint.layout import block

    from reports.pdf import tables

    monkeypatch.setattr(block, "block_container_layout", tables._block_container_layout)
    monkeypatch.setattr(block, "table_layout", tables._table_layout)


def test_cells_are_laid_out_in_the_same_boxes_as_weasyprint_lays_them_out(monkeypatch, cells_html):
    from reports.pdf import tables

    plain, stand_ins = [], []
    plain_cell_layout, cut_row_stand_in = tables._plain_cell_layout, tables._cut_row_stand_in
    monkeypatch.setattr(tables, "_plain_cell_layout", lambda *args: plain.append(args[1]) or plain_cell_layout(*args))
    monkeypatch.setattr(
        tables, "_cut_row_stand_in", lambda *args: stand_ins.append(cut_row_stand_in(*args)) or stand_ins[-1]
    )
    ours = _geometry(_laid_out(cells_html))
    _weasyprints_own_cell_layout(monkeypatch)
    weasyprints = _geometry(_laid_out(cells_html))

    assert len(plain) > 300  # the long table's cells, its header on every page, rows moved over
    assert sum(stand_in is not None for stand_in in stand_ins) >= 5  # cells of rows that were moved over
    assert sum(kind == "TableCellBox" for _, kind, _, _ in ours) > len({id(cell) for cell in plain}) / 2
    assert ours == weasyprints


def test_a_cell_laid_out_otherwise_is_seen(monkeypatch, cells_html):
    """The guard of the test above: a plain cell a hundredth of a point taller is caught."""
    from reports.pdf import tables

    ours = _geometry(_laid_out(cells_html))
    plain_cell_layout = tables._plain_cell_layout

    def taller(*args):
        new_box, *rest = plain_cell_layout(*args)
        if new_box is not None:
            new_box.height += 0.01
        return (new_box, *rest)

    monkeypatch.setattr(tables, "_plain_cell_layout", taller)

    assert _geometry(_laid_out(cells_html)) != ours


def test_a_stand_in_for_a_cell_of_a_row_that_stays_is_seen(monkeypatch, cells_html):
    """The guard of the stand-ins: rows noted as cut when they are not lose their cells' content."""
    from reports.pdf import tables

    ours = _geometry(_laid_out(cells_html))
    note_cut_cell = tables._note_cut_cell

    def every_cell_cut(context, box, page_is_empty, result):
        note_cut_cell(context, box, page_is_empty, (None, None))

    monkeypatch.setattr(tables, "_note_cut_cell", every_cell_cut)

    assert _geometry(_laid_out(cells_html)) != ours


def test_rows_that_may_break_inside_are_split_across_pages_as_weasyprint_splits_them(monkeypatch):
    """No stand-in for a row that may break: its cut cells' first lines stay on the page."""
    rows = "".join(
        f"<tr><td>{n}</td><td>{'<br>'.join(['第一行', '第二行', '第三行'] * (n % 4 + 1))}</td>"
        f"<td class='text'>{'说明文字' * (n % 9 + 1)}</td></tr>"
        for n in range(40)
    )
    html = (
        '<link rel="stylesheet" href="/static/css/reports-print.css"><style>tr { break-inside: auto }</style>'
        f"<table><thead><tr><th>序号</th><th>内容</th><th>说明</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    ours = _geometry(_laid_out(html))
    _weasyprints_own_cell_layout(monkeypatch)

    assert len({number for number, *_ in ours}) >= 3
    assert _geometry(_laid_out(html)) == ours


@pytest.mark.parametrize("archival", [False, True])
def test_tables_render_the_same_pdf_bytes_with_weasyprints_own_cell_layout(monkeypatch, cells_html, archival):
    ours = html_to_pdf(cells_html, archival=archival).content
    _weasyprints_own_cell_layout(monkeypatch)

    assert html_to_pdf(cells_html, archival=archival).content == ours


def _cell_key(cell) -> tuple:
    """A cell the same in two renders of the same HTML: its tag, text and column."""
    return cell.element.tag, "".join(cell.element.itertext()), cell.position_x


def _cells_end_pages(monkeypatch, html: str, weasyprints: bool) -> dict:
    """Each cell's end page names, as the layouts of the cell say them when read."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import block

    from reports.pdf import tables

    pages: dict = {}
    if weasyprints:
        _weasyprints_own_cell_layout(monkeypatch)
        layout = tables._block_container_layout

        def recording(context, box, *args, **kwargs):
            result = layout(context, box, *args, **kwargs)
            if isinstance(box, boxes.TableCellBox) and result[0] is not None:
                pages.setdefault(_cell_key(box), set()).add(result[2]["page"])
            return result

        monkeypatch.setattr(block, "block_container_layout", recording)
    else:
        plain_cell_layout = tables._plain_cell_layout

        def recording(context, box, *args):
            result = plain_cell_layout(context, box, *args)
            if result[0] is not None:
                pages.setdefault(_cell_key(box), set()).add(result[2]["page"])
            return result

        monkeypatch.setattr(tables, "_plain_cell_layout", recording)
    _laid_out(html)
    return pages


_NAMED_PAGES = "<style>@page wide { size: A4 landscape } td.wide { page: wide }</style>"


def test_a_cells_end_page_name_read_after_its_layout_is_weasyprints(monkeypatch, cells_html):
    html = cells_html.replace('<td class="text">', '<td class="text wide">', 3).replace(
        "</head>", _NAMED_PAGES + "</head>"
    )
    ours = _cells_end_pages(monkeypatch, html, weasyprints=False)
    weasyprints = _cells_end_pages(monkeypatch, html, weasyprints=True)

    assert len(ours) > 200
    assert {page for pages in ours.values() for page in pages} == {"", "wide"}  # "": page auto
    assert all(ours[element] <= weasyprints[element] for element in ours)


def test_a_wrong_end_page_name_is_seen(monkeypatch, cells_html):
    """The guard of the test above: a cell's page name read from elsewhere is caught."""
    from reports.pdf import tables

    html = cells_html.replace('<td class="text">', '<td class="text wide">', 3).replace(
        "</head>", _NAMED_PAGES + "</head>"
    )
    weasyprints = _cells_end_pages(monkeypatch, html, weasyprints=True)
    monkeypatch.undo()
    monkeypatch.setattr(tables._NextPage, "__missing__", lambda self, key: "wide")
    ours = _cells_end_pages(monkeypatch, html, weasyprints=False)

    assert not all(ours[element] <= weasyprints[element] for element in ours)


def test_a_header_laid_out_again_with_the_same_inputs_is_a_copy_of_its_first_layout(monkeypatch, cells_html):
    from reports.pdf import tables

    laid_out_headers = []
    plain_cell_layout = tables._plain_cell_layout
    monkeypatch.setattr(
        tables,
        "_plain_cell_layout",
        lambda context, box, *args: (
            laid_out_headers.extend([box] * (box.element.tag == "th")) or plain_cell_layout(context, box, *args)
        ),
    )
    document = _laid_out(cells_html)
    drawn_headers = [box for page in document.pages for box in page._page_box.descendants() if box.element_tag == "th"]

    assert len({id(box) for box in drawn_headers}) == len(drawn_headers)  # each page its own boxes
    assert len(drawn_headers) >= len(laid_out_headers) + 5  # the header of the long table's later pages


def test_a_header_given_again_without_a_copy_is_seen(monkeypatch, cells_html):
    """The guard of the test above: the kept layout itself, given to every page, is caught."""
    from reports.pdf import tables

    monkeypatch.setattr(tables, "_copy_of_laid_out", lambda box: box)
    document = _laid_out(cells_html)
    drawn_headers = [box for page in document.pages for box in page._page_box.descendants() if box.element_tag == "th"]

    assert len({id(box) for box in drawn_headers}) < len(drawn_headers)


def test_a_header_given_again_for_other_inputs_is_seen(monkeypatch, cells_html):
    """The guard of the geometry comparison for headers: a header kept from the table's first page
    (another height on the page) and given to its later pages is caught."""
    from reports.pdf import tables

    monkeypatch.setattr(tables, "_layout_inputs", lambda context, box, *args: box.style)
    ours = _geometry(_laid_out(cells_html))
    _weasyprints_own_cell_layout(monkeypatch)

    assert _geometry(_laid_out(cells_html)) != ours
