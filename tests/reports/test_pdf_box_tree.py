"""The collapsed border grid of a table (reports/pdf/borders.py) is WeasyPrint's: the same grid and the
same border widths on every box, on the report's tables and on tables with every border style,
spans, column borders and right-to-left direction."""

from typing import Any

import pytest
import weasyprint
from weasyprint.formatting_structure import build

from reports.pdf import box_tree
from reports.pdf import box_tree as borders
from reports.pdf.render import BASE_URL, _ReportHTML

_CELLS = "".join(
    f'<td style="border: {w}pt {s} {c}">{s}</td>'
    for w, s, c in (
        (1, "solid", "red"),
        (2, "double", "currentColor"),
        (0.5, "dotted", "#123"),
        (3, "inset", "blue"),
        (3, "outset", "green"),
        (1, "hidden", "black"),
        (1, "none", "black"),
        (2, "groove", "gray"),
    )
)
TABLES = {
    "report": (
        '<table><caption>表1</caption><colgroup><col style="width: 40%"><col></colgroup>'
        "<thead><tr><th>项目</th><th>数</th></tr></thead>"
        '<tbody><tr><td class="text">甲</td><td>1</td></tr><tr><td class="text">乙</td><td>2</td></tr></tbody></table>'
    ),
    "every style": f"<table><tbody><tr>{_CELLS}</tr><tr>{_CELLS[::1]}</tr></tbody></table>",
    "spans": (
        '<table style="border: 2pt solid"><tbody><tr><td rowspan="2" colspan="2">a</td><td>b</td></tr>'
        '<tr><td style="border-left: 4pt double">c</td></tr><tr><td>d</td><td colspan="2">e</td></tr></tbody></table>'
    ),
    "columns and groups": (
        '<table><colgroup style="border: 3pt solid blue"><col style="border: 5pt dashed"><col></colgroup>'
        '<colgroup span="2" style="border-right: 6pt ridge"></colgroup>'
        '<thead style="border-bottom: 4pt solid"><tr><th>a</th><th>b</th><th>c</th><th>d</th></tr></thead>'
        '<tbody style="border: 1pt dotted"><tr style="border-top: 7pt solid red"><td>1</td><td>2</td><td>3</td>'
        "<td>4</td></tr></tbody><tbody></tbody><tfoot><tr><td>f</td></tr></tfoot></table>"
    ),
    "right to left": (
        f'<table style="direction: rtl; border: 1pt solid"><tbody><tr>{_CELLS}</tr>'
        '<tr><td colspan="3" rowspan="2">x</td><td>y</td></tr><tr><td>z</td></tr></tbody></table>'
    ),
    "empty": "<table><caption>空</caption></table><table><tbody></tbody></table>",
}
_SIDES = ("top", "right", "bottom", "left")
_COLLAPSE = weasyprint.CSS(string="table { border-collapse: collapse } body { color: purple }")


def _render(table: str) -> None:
    html = f"<!doctype html><html><body>{table}</body></html>"
    _ReportHTML(string=html, base_url=BASE_URL).render(stylesheets=[_COLLAPSE])


def _widths(table: Any) -> list[Any]:
    boxes = [table, *table.children, *table.column_groups]
    boxes += [row for group in table.children for row in group.children]
    boxes += [cell for group in table.children for row in group.children for cell in row.children]
    boxes += [column for group in table.column_groups for column in group.children]
    return [(type(box).__name__, [box.__dict__.get(f"border_{side}_width") for side in _SIDES]) for box in boxes]


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_the_collapsed_border_grid_and_widths_are_weasyprints(monkeypatch, table):
    compared = []

    def both(table: Any, grid_width: int, grid_height: int) -> Any:
        weasyprints = borders.WEASYPRINT_COLLAPSE_TABLE_BORDERS(table, grid_width, grid_height)
        weasyprints_widths = _widths(table)
        ours = borders.collapse_table_borders(table, grid_width, grid_height)
        compared.append((weasyprints, weasyprints_widths))
        assert (ours, _widths(table)) == (weasyprints, weasyprints_widths)
        return ours

    monkeypatch.setattr(build, "collapse_table_borders", both)
    _render(table)

    assert compared
    if table != TABLES["empty"]:
        assert any(grid != ([], []) for grid, _ in compared)


def test_the_comparison_sees_one_border_changed(monkeypatch):
    """The guard of the test above: a one-point change in one cell's border changes the grid."""
    grids = []
    monkeypatch.setattr(
        build, "collapse_table_borders", lambda *args: grids.append(borders.collapse_table_borders(*args)) or grids[-1]
    )
    for html in TABLES["every style"], TABLES["every style"].replace("3pt inset", "3.5pt inset", 1):
        _render(html)

    assert grids[0] != grids[1]


# --- anonymous table boxes --------------------------------------------------------------------------
_STYLE_SAMPLE = (
    "display",
    "float",
    "position",
    "white_space",
    "border_top_width",
    "margin_top",
    "padding_left",
    "color",
)


def _boxes(box: Any, depth: int = 0) -> list[tuple[Any, ...]]:
    style = [repr(box.style[name]) for name in _STYLE_SAMPLE]
    rows = [(depth, type(box).__name__, box.element_tag, style, getattr(box, "text", None))]
    for child in getattr(box, "children", ()):
        rows += _boxes(child, depth + 1)
    return rows


_IMPROPER = (
    "<p>甲<span>乙</span></p>" + "".join(TABLES.values()) + '<div style="display: table-row"><span>行</span></div>'
    '<span style="display: table-cell">格</span> <p style="display: table-caption">题</p>'
    '<div><div style="display: table-column"></div>文<span style="display: inline-table">'
    '<span style="display: table-cell">内</span></span></div>'
    "<table><tr><td>隐含</td></tr> <div>外</div><col><caption>后</caption></table>"
)


@pytest.mark.parametrize("html", [_IMPROPER, "<p>只有文字</p>"], ids=["table parts everywhere", "no table"])
def test_the_box_tree_is_weasyprints(monkeypatch, html):
    html = f"<!doctype html><html><body>{html}</body></html>"
    document = _ReportHTML(string=html, base_url=BASE_URL)
    context = weasyprint.document.Document._build_layout_context(
        document, None, None, None, {**weasyprint.DEFAULT_OPTIONS, "stylesheets": [_COLLAPSE]}
    )

    def box_tree_with(table_boxes_children: Any) -> list[tuple[Any, ...]]:
        monkeypatch.setattr(build, "table_boxes_children", table_boxes_children)
        return _boxes(
            build.build_formatting_structure(
                document.etree_element,
                context.style_for,
                context.get_image_from_uri,
                document.base_url,
                context.target_collector,
                context.counter_style,
                context.footnotes,
            )
        )

    ours = box_tree_with(box_tree._table_boxes_children)
    assert ours == box_tree_with(box_tree.WEASYPRINT_TABLE_BOXES_CHILDREN)
    assert len(ours) > 4
    if "table" in html:  # the guard: with no anonymous boxes made at all, another tree
        assert ours != box_tree_with(lambda box, children: setattr(box, "children", list(children)) or box)
