"""Table cells laid out with less generic work per cell (WeasyPrint's block_container_layout for the
common table cell: one line box of inline content), same boxes."""

from math import inf
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import block

# --- a table cell's block layout ---------------------------------------------------------------------
# A city congress report lays out ~1,490 table cells (repeated headers and rows moved to the next page
# included). WeasyPrint lays each out with block_container_layout, written for any block container:
# per cell it asked ~10 questions whose answer is fixed for a cell (whether it starts a formatting
# context, three times; margin collapsing through it; first-line and first-letter styles; max-lines;
# out-of-flow and in-flow children; page break and page name between children; relative positioning).
# A cell whose content is a single line box (its inline content: text, <br>, spans) and that is laid
# out from its start is laid out here with the same steps in the same order, calling WeasyPrint's
# own functions for the lines, the formatting context and the page values; any other cell, and any
# other box, still goes through WeasyPrint's block_container_layout. Callgrind, instructions inside
# table_layout during one warm city congress render: 1,557 M → 1,526 M (−2.0 %, −0.4 % of the render).
_block_container_layout = block.block_container_layout


def _is_plain_cell(box: Any) -> bool:
    """A table cell this module lays out: one line box as its only child, no first-line or
    first-letter style, static, not fragmented by force, no max-lines, continue and box decoration
    break at their initial values."""
    if len(box.children) != 1:
        return False
    style = box.style
    return bool(
        box.children[0].__class__ is boxes.LineBox
        and box.first_line_style is None
        and box.first_letter_style is None
        and not box.force_fragmentation
        and style["position"] == "static"
        and style["max_lines"] == "none"
        and style["continue"] == "auto"
        and style["box_decoration_break"] == "slice"
        and box.children[0].is_in_normal_flow()
    )


# --- the rest of a row that cannot stay on the page -------------------------------------------------------
# A row that does not fit at the foot of a page is laid out cell by cell until then dropped: its
# cells' content is cut (a cell returns no box or a resume point) and, as its rows may not break
# inside (the print stylesheet's `tr { break-inside: avoid }`), table_layout drops the whole row and
# lays it out again on the next page. WeasyPrint still laid out every cell after the first cut one,
# then threw them away: ~10 rows per city congress report, ~56 cell layouts. Once a cell of a row
# that avoids breaks is cut on a page that already holds content, the row's later cells get an
# empty stand-in box: table_layout's next step (the row avoids breaks, a cell was cut, the page is
# not empty) drops the row whatever those cells hold, and takes the page break before it. City
# congress report: 51 stand-ins; instructions inside table_layout 1,526 M → 1,494 M (−2.1 %, callgrind).
_table_layout = block.table_layout


def _table_layout_knowing_rows(context: Any, table: Any, *args: Any) -> Any:
    """WeasyPrint's table_layout, with the table's cells' rows noted on the layout context."""
    rows = context.__dict__.setdefault("_report_rows_of_cells", {})
    if table not in rows:
        rows[table] = None
        for group in table.children:
            for row in group.children:
                for index, cell in enumerate(row.children):
                    rows[cell] = (row, index, group.is_header or group.is_footer)
    return _table_layout(context, table, *args)


def _cut_row_stand_in(context: Any, box: Any, page_is_empty: bool, skip_stack: Any) -> tuple[Any, ...] | None:
    """An empty box for a cell after a cut one in the same row, when table_layout will drop the row."""
    place = context.__dict__.get("_report_rows_of_cells", {}).get(box)
    cut = context.__dict__.get("_report_cut_row")
    if place is None or cut is None:  # not one of a table's own cells (an empty copy of a cut one)
        return None
    row, index, _ = place
    if row is not cut[0] or index <= cut[1] or page_is_empty or skip_stack is not None:
        context._report_cut_row = None  # another row, or this row laid out again
        return None
    stand_in = box.copy_with_children([])
    stand_in.height = 0
    return stand_in, None, {"break": "any", "page": None}, [], False, None


def _note_cut_cell(context: Any, box: Any, page_is_empty: bool, result: tuple[Any, ...]) -> None:
    """Note the row of a cell cut on a page with content when the row avoids breaks inside."""
    if page_is_empty or (result[0] is not None and not result[1]):
        return
    place = context.__dict__.get("_report_rows_of_cells", {}).get(box)
    if place is None:
        return
    row, index, _ = place
    if block.avoid_page_break(row.style["break_inside"], context) or any(
        block.avoid_page_break(cell.style["break_inside"], context) for cell in row.children
    ):
        context._report_cut_row = (row, index)


# --- a table's header on each of its pages ----------------------------------------------------------------
# A table's header and footer rows are laid out again on every page the table goes on (the print
# stylesheet's `thead { display: table-header-group }`): 7 header cells laid out on each of 8 pages for
# the city congress report's longest table. On each page after its first, the table starts at the top
# of the page, so the header's cells are laid out with the same inputs as on the page before: the same
# cell in the same state (position, size, style), the same space left and page. A header or footer
# cell laid out without being cut and without out-of-flow descendants is kept, and a copy of it is
# the layout of the same cell laid out again with the same inputs (each copy its own boxes, as each
# layout makes new ones; its text boxes share the laid-out text, which drawing only reads). City
# congress report: 42 of 128 header cell layouts given again; instructions inside table_layout
# 1,346 M → 1,331 M (−1.2 %, callgrind, this module's changes undone in turn in one tree at fdb25c2;
# the repeated layouts cost less since line_breaking.py keeps each line's Pango layout per render).
def _copy_of_laid_out(box: Any) -> Any:
    """A copy of a laid-out box and its descendants, each with its own removed decoration sides."""
    copy = box.deepcopy()
    for descendant in copy.descendants():
        descendant.remove_decoration_sides = set(descendant.remove_decoration_sides)
    return copy


def _layout_inputs(context: Any, box: Any, bottom_space: Any, page_is_empty: bool) -> tuple[Any, ...]:
    """What a plain cell's layout depends on: the cell's state (position, size, style, children),
    the space left, whether the page is empty, the page's bottom, whether in columns."""
    return dict(box.__dict__), bottom_space, page_is_empty, context.page_bottom, context.in_column


def _repeated_cell_layout(
    context: Any, box: Any, bottom_space: Any, page_is_empty: bool, absolute_boxes: list[Any], fixed_boxes: list[Any]
) -> tuple[Any, ...]:
    """The plain-cell layout, kept for a header or footer cell and given again for the same inputs."""
    place = context.__dict__.get("_report_rows_of_cells", {}).get(box)
    if place is None or not place[2] or context.footnotes:
        return _plain_cell_layout(context, box, bottom_space, page_is_empty, absolute_boxes, fixed_boxes)
    kept = context.__dict__.setdefault("_report_repeated_cells", {})
    inputs = _layout_inputs(context, box, bottom_space, page_is_empty)
    if box in kept and kept[box][0] == inputs:
        laid_out = _copy_of_laid_out(kept[box][1])
        return laid_out, None, _NextPage(laid_out, 1), [], kept[box][2], None
    placeholders = (len(absolute_boxes), len(fixed_boxes))
    result = _plain_cell_layout(context, box, bottom_space, page_is_empty, absolute_boxes, fixed_boxes)
    new_box, resume_at, _, _, collapsing_through, _ = result
    if new_box is not None and resume_at is None and placeholders == (len(absolute_boxes), len(fixed_boxes)):
        kept[box] = (inputs, _copy_of_laid_out(new_box), collapsing_through)
    else:
        kept.pop(box, None)
    return result


def _block_container_layout_of_cells(
    context: Any,
    box: Any,
    bottom_space: Any,
    skip_stack: Any,
    page_is_empty: bool,
    absolute_boxes: list[Any],
    fixed_boxes: list[Any],
    adjoining_margins: Any,
    first_letter_style: Any,
    first_line_style: Any,
    discard: bool,
    max_lines: Any,
) -> tuple[Any, ...]:
    """WeasyPrint's block_container_layout; for a table cell, the plain-cell layout or a stand-in."""
    arguments = (
        context,
        box,
        bottom_space,
        skip_stack,
        page_is_empty,
        absolute_boxes,
        fixed_boxes,
        adjoining_margins,
        first_letter_style,
        first_line_style,
        discard,
        max_lines,
    )
    if box.__class__ is not boxes.TableCellBox:
        return _block_container_layout(*arguments)  # type: ignore[no-any-return]
    stand_in = _cut_row_stand_in(context, box, page_is_empty, skip_stack)
    if stand_in is not None:
        return stand_in
    if (
        skip_stack is None
        and adjoining_margins is None
        and first_letter_style is None
        and first_line_style is None
        and not discard
        and max_lines is None
        and _is_plain_cell(box)
    ):
        result = _repeated_cell_layout(context, box, bottom_space, page_is_empty, absolute_boxes, fixed_boxes)
    else:
        result = _block_container_layout(*arguments)
    _note_cut_cell(context, box, page_is_empty, result)
    return result


# The laid-out cell's next-page values carried its end page name: a page_values() walk down the cell,
# its line box and its text boxes. table_layout, the only code that lays out table cells, never reads
# it; the name is now found only if read (the same value). Callgrind, instructions inside table_layout
# during one warm city congress render: 1,423 M → 1,346 M (−5.4 %, undone in turn in one tree at fdb25c2).
class _NextPage(dict[str, Any]):
    """A layout's next-page values, {"break": "any", "page": …}, whose page name, one of a box's
    page values, is looked up when first read."""

    def __init__(self, box: Any, end: int) -> None:
        super().__init__(**{"break": "any"})
        self._box_end = (box, end)

    def __missing__(self, key: str) -> Any:
        if key != "page":
            raise KeyError(key)
        box, end = self._box_end
        value = self["page"] = box.page_values()[end]
        return value


def _plain_cell_layout(
    context: Any, box: Any, bottom_space: Any, page_is_empty: bool, absolute_boxes: list[Any], fixed_boxes: list[Any]
) -> tuple[Any, ...]:
    """WeasyPrint 70's block_container_layout, its steps for a plain cell (see _is_plain_cell) laid
    out from its start: a table cell establishes a block formatting context, so its margins never
    collapse with its content's; its line box is in normal flow and is its first child, so there is
    no break or page name before it; no decoration is cloned or discarded."""
    collapse_margin = block.collapse_margin
    context.create_block_formatting_context(box)
    # box.remove_decoration(start=False, end=False) does nothing.
    box.position_y += collapse_margin([box.margin_top]) - box.margin_top
    position_y = box.content_box_y()
    position_x = box.content_box_x()
    new_children: list[Any] = []
    child = box.children[0]
    child.position_x = position_x
    child.position_y = position_y
    abort, stop, resume_at, position_y, new_footnotes, _ = block._linebox_layout(
        context,
        box,
        0,
        child,
        new_children,
        page_is_empty,
        absolute_boxes,
        fixed_boxes,
        [],
        bottom_space,
        position_y,
        None,
        None,
        None,
        False,
        None,
    )
    if abort:
        block.remove_placeholders(context, box.children, absolute_boxes, fixed_boxes)
        for footnote in new_footnotes:
            context.unlayout_footnote(footnote)
        context.finish_block_formatting_context()
        return None, None, _NextPage(child, 0), [], False, None
    if stop:
        if box.height != "auto":
            box_bottom = box.position_y + box.border_height()
            if context.overflows(box_bottom, position_y - collapse_margin([])):
                # Box height is fixed and it overflows the page, forget overflowing children.
                resume_at = None
    else:
        resume_at = None

    box_is_fragmented = resume_at is not None
    if box_is_fragmented and block.avoid_page_break(box.style["break_inside"], context) and not page_is_empty:
        block.remove_placeholders(context, [*new_children, *box.children], absolute_boxes, fixed_boxes)
        context.finish_block_formatting_context()
        return None, None, {"break": "any", "page": None}, [], False, None

    adjoining_margins: list[Any] = []
    collapsing_through = False
    if block.find_last_in_flow_child(new_children) is None:
        # No in-flow child in box, collapse its top and bottom margins.
        collapsed_margin = collapse_margin(adjoining_margins)
        if (
            box.height in ("auto", 0)
            and block.get_clearance(context, box, box.style["direction"], collapsed_margin) is None
            and all(
                value == 0
                for value in (
                    box.min_height,
                    box.border_top_width,
                    box.padding_top,
                    box.border_bottom_width,
                    box.padding_bottom,
                )
            )
        ):
            collapsing_through = True
        else:
            position_y += collapsed_margin
    position_y += collapse_margin(adjoining_margins)

    if box_is_fragmented and new_children:
        last_child = new_children[-1]
        if isinstance(last_child, boxes.LineBox):
            last_child.block_ellipsis = box.style["block_ellipsis"]

    new_box = box.copy_with_children(new_children)
    new_box.remove_decoration(start=False, end=box_is_fragmented)
    if new_box.height == "auto":
        new_box.height = max(0, position_y - new_box.content_box_y())
    for line in new_box.children:
        block.relative_positioning(line, (new_box.width, new_box.height))
    context.finish_block_formatting_context(new_box)

    if not box_is_fragmented:
        new_box.height = max(min(new_box.height, new_box.max_height), new_box.min_height)
    elif bottom_space > -inf and not new_box.is_column:
        # Make the box fill the blank space at the bottom of the page.
        new_box_height = (
            context.page_bottom - bottom_space - new_box.position_y - (new_box.margin_height() - new_box.height)
        )
        if new_box_height > new_box.height:
            new_box.height = new_box_height

    return new_box, resume_at, _NextPage(new_box, 1), adjoining_margins, collapsing_through, None


block.block_container_layout = _block_container_layout_of_cells
block.table_layout = _table_layout_knowing_rows
