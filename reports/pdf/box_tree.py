"""Two steps of WeasyPrint's box tree with less repeated work; the same box tree (issue 19 §4).

1. A collapsing table's border grid (WeasyPrint's collapse_table_borders), with each box's four
   borders read once instead of once per grid cell they cover; the same grid and widths. WeasyPrint
   resolved the border conflicts by calling a function per grid cell a box covers, per side, which
   imported the colour helper, read the box's style three times, and built the border's score and
   value again: 12,684 calls for the city congress report's 12 tables (1,300 cells, every row and
   row group across all its columns), the third of its box tree's cProfile. A box's four borders
   (score and value) are now made once per style, and the grid cells it covers are compared with
   them in WeasyPrint's order: collapse_table_borders 35.4 -> 10.4 ms CPU per congress render
   (same-process A/B, 6 renders each, alternating, load 7.6).
2. Anonymous table boxes (CSS 2.1 §17.2.1) looked for only where there can be some. WeasyPrint's
   table_boxes_children runs every rule of the table model on every parent box of the document,
   each through list copies and generator chains, and for almost all of them (table cells,
   paragraphs, inline boxes: 2,062 calls for the city congress report) none applies. A box that is
   no table part itself and has no table part among its children gets its children back as they
   are from every rule (what each rule tests: `_table_boxes_children`), so it now gets them without
   running the rules: the anonymous boxes step (which also holds the border grid) 33.6 -> 30.3 ms
   CPU per congress render (same-process A/B, 6 renders each, alternating, load 8).
"""

from typing import Any

from weasyprint.draw.color import get_color
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import table as table_layout

WEASYPRINT_COLLAPSE_TABLE_BORDERS = table_layout.collapse_table_borders

_STYLE_SCORES = {
    style: score
    for score, style in enumerate(
        reversed(["hidden", "double", "solid", "dashed", "dotted", "ridge", "outset", "groove", "inset", "none"])
    )
}
_STYLE_MAP = {"inset": "ridge", "outset": "groove"}


def _border(box_style: Any, side: str) -> tuple[Any, Any]:
    """WeasyPrint's set_one_border, up to the comparison: (score, (style, width, color))."""
    style = box_style[f"border_{side}_style"]
    width = box_style[f"border_{side}_width"]
    color = get_color(box_style, f"border_{side}_color")
    score = ((1 if style == "hidden" else 0), width, _STYLE_SCORES[style])
    style = _STYLE_MAP.get(style, style)
    return score, (style, width, color)


def collapse_table_borders(table: Any, grid_width: int, grid_height: int) -> Any:
    """WeasyPrint 70's collapse_table_borders, line for line but for set_borders (see above)."""
    if not (grid_width and grid_height):
        # Don’t bother with empty tables.
        return [], []

    transparent = table_layout.TRANSPARENT
    weak_null_border = ((0, 0, _STYLE_SCORES["none"]), ("none", 0, transparent))

    # Borders are always stored left to right, top to bottom.
    vertical_borders = [[weak_null_border] * (grid_width + 1) for _ in range(grid_height)]
    horizontal_borders = [[weak_null_border] * grid_width for _ in range(grid_height + 1)]
    ltr = table.style["direction"] == "ltr"
    # A style's borders, read in WeasyPrint's order: left and right, then top and bottom.
    vertical_sides: dict[int, tuple[Any, Any]] = {}
    horizontal_sides: dict[int, tuple[Any, Any]] = {}

    def set_borders(box: Any, x: int, y: int, w: int, h: int) -> None:
        style = box.style
        if h:
            sides = vertical_sides.get(id(style))
            if sides is None:
                sides = vertical_sides[id(style)] = (_border(style, "left"), _border(style, "right"))
            left, right = sides
            left_score, right_score = left[0], right[0]
            left_x, right_x = (x, x + w) if ltr else (-1 - w - x, -1 - x)
            for yy in range(y, y + h):
                row = vertical_borders[yy]
                # Strict < so that the earlier call wins in case of a tie.
                if row[left_x][0] < left_score:
                    row[left_x] = left
                if row[right_x][0] < right_score:
                    row[right_x] = right
        if w:
            sides = horizontal_sides.get(id(style))
            if sides is None:
                sides = horizontal_sides[id(style)] = (_border(style, "top"), _border(style, "bottom"))
            top, bottom = sides
            top_score, bottom_score = top[0], bottom[0]
            top_row, bottom_row = horizontal_borders[y], horizontal_borders[y + h]
            for xx in range(x, x + w) if ltr else range(-1 - x, -1 - x - w, -1):
                if top_row[xx][0] < top_score:
                    top_row[xx] = top
                if bottom_row[xx][0] < bottom_score:
                    bottom_row[xx] = bottom

    # Set cell borders. The order is important here:
    # "A style set on a cell wins over one on a row, which wins over a
    #  row group, column, column group and, lastly, table"
    # See https://www.w3.org/TR/CSS21/tables.html#border-conflict-resolution.
    strong_null_border = ((1, 0, _STYLE_SCORES["hidden"]), ("hidden", 0, transparent))
    grid_y = 0
    for row_group in table.children:
        for row in row_group.children:
            for cell in row.children:
                # Force null border inside of a cell with rowspan or colspan.
                grid_x, colspan, rowspan = cell.grid_x, cell.colspan, cell.rowspan
                if ltr:
                    vertical_x_range = range(grid_x + 1, grid_x + colspan)
                    horizontal_x_range = range(grid_x, grid_x + colspan)
                else:
                    vertical_x_range = range(-2 - grid_x, -1 - grid_x - colspan, -1)
                    horizontal_x_range = range(-1 - grid_x, -1 - grid_x - colspan, -1)
                for xx in vertical_x_range:
                    for yy in range(grid_y, grid_y + rowspan):
                        vertical_borders[yy][xx] = strong_null_border
                for xx in horizontal_x_range:
                    for yy in range(grid_y + 1, grid_y + rowspan):
                        horizontal_borders[yy][xx] = strong_null_border
                # Set cell border.
                set_borders(cell, grid_x, grid_y, colspan, rowspan)
            grid_y += 1

    # Set row borders.
    grid_y = 0
    for row_group in table.children:
        for row in row_group.children:
            set_borders(row, 0, grid_y, grid_width, 1)
            grid_y += 1

    # Set row group borders.
    grid_y = 0
    for row_group in table.children:
        rowspan = len(row_group.children)
        set_borders(row_group, 0, grid_y, grid_width, rowspan)
        grid_y += rowspan

    # Set column borders.
    for column_group in table.column_groups:
        for column in column_group.children:
            set_borders(column, column.grid_x, 0, 1, grid_height)

    # Set column group group borders.
    for column_group in table.column_groups:
        set_borders(column_group, column_group.grid_x, 0, column_group.span, grid_height)

    # Set table borders.
    set_borders(table, 0, 0, grid_width, grid_height)

    # Now that all conflicts are resolved, set transparent borders of the
    # correct widths on each box. The actual border grid will be painted
    # separately.
    def set_border_used_width(box: Any, side: str, twice_width: Any) -> None:
        setattr(box, f"border_{side}_width", twice_width / 2)

    def remove_borders(box: Any) -> None:
        set_border_used_width(box, "top", 0)
        set_border_used_width(box, "right", 0)
        set_border_used_width(box, "bottom", 0)
        set_border_used_width(box, "left", 0)

    def max_vertical_width(x: int, y1: int, y2: int) -> Any:
        return max(grid_row[x][1][1] for grid_row in vertical_borders[y1:y2])

    def max_horizontal_width(x1: int, y: int, x2: int | None) -> Any:
        return max(width for _, (_, width, _) in horizontal_borders[y][x1:x2])

    grid_y = 0
    for row_group in table.children:
        remove_borders(row_group)
        for row in row_group.children:
            remove_borders(row)
            for cell in row.children:
                x, y = cell.grid_x, grid_y
                colspan, rowspan = cell.colspan, cell.rowspan
                if ltr:
                    top = max_horizontal_width(x, y, x + colspan)
                    bottom = max_horizontal_width(x, y + rowspan, x + colspan)
                    left = max_vertical_width(x, y, y + rowspan)
                    right = max_vertical_width(x + colspan, y, y + rowspan)
                else:
                    top = max_horizontal_width(-colspan - x, y, -x or None)
                    bottom = max_horizontal_width(-colspan - x, y + rowspan, -x or None)
                    left = max_vertical_width(-1 - colspan - x, y, y + rowspan)
                    right = max_vertical_width(-1 - x, y, y + rowspan)
                set_border_used_width(cell, "top", top)
                set_border_used_width(cell, "bottom", bottom)
                set_border_used_width(cell, "left", left)
                set_border_used_width(cell, "right", right)
            grid_y += 1

    for column_group in table.column_groups:
        remove_borders(column_group)
        for column in column_group.children:
            remove_borders(column)

    set_border_used_width(table, "top", max_horizontal_width(0, 0, grid_width))
    set_border_used_width(table, "bottom", max_horizontal_width(0, grid_height, grid_width))
    # "UAs must compute an initial left and right border width for the table
    #  by examining the first and last cells in the first row of the table."
    # https://www.w3.org/TR/CSS21/tables.html#collapsing-borders
    # ... so h=1, not grid_height:
    set_border_used_width(table, "left", max_vertical_width(0, 0, 1))
    set_border_used_width(table, "right", max_vertical_width(grid_width, 0, 1))

    return vertical_borders, horizontal_borders


build.collapse_table_borders = collapse_table_borders


# --- 2. anonymous table boxes ----------------------------------------------------------------------
WEASYPRINT_TABLE_BOXES_CHILDREN = build.table_boxes_children

# Boxes some rule changes the children of whatever they are: columns and column groups (1.1, 1.2),
# tables, row groups (2.1, 2.2) and rows (2.3), inline tables being tables.
_TABLE_PARTS = (
    boxes.TableBox,
    boxes.TableRowGroupBox,
    boxes.TableRowBox,
    boxes.TableColumnGroupBox,
    boxes.TableColumnBox,
)


def _table_boxes_children(box: Any, children: list[Any]) -> Any:
    """WeasyPrint's table_boxes_children, which for any other box and children that are no table
    parts (no proper table child, no internal table box or caption: cells are internal) keeps them:
    rule 1.3 is for tabular containers only, 1.4 drops whitespace between internal table boxes, 3.1
    wraps cells, 3.2 wraps proper table children."""
    if not box.tabular_container and not isinstance(box, _TABLE_PARTS):
        for child in children:
            if child.internal_table_or_caption or child.proper_table_child:
                break
        else:
            box.children = list(children)
            return box
    return WEASYPRINT_TABLE_BOXES_CHILDREN(box, children)


build.table_boxes_children = _table_boxes_children
