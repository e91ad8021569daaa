"""Used values of a box's margins, paddings, sizes and borders (WeasyPrint's
`layout.percent.resolve_percentages`), set with fewer calls: the same values, in the same order."""

from math import inf
from typing import Any

from weasyprint.css.functions import check_math
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes
from weasyprint.layout import absolute, block, column, grid, inline, page, percent, table
from weasyprint.layout import float as float_layout

# WeasyPrint resolves a box's 14 lengths and 4 border widths each time it lays the box out: ~7,000
# calls per warm city congress render (every table cell, line box and text box, again when a row is
# laid out a second time). Each length went through two functions (resolve_one_percentage, then
# percentage) and a setattr by name: 6.6–7.3 µs a call, ~3 µs here (one render's calls replayed in
# one process). One warm congress render: 7,244 M → 7,001 M instructions (−3.4 %, callgrind).
# Values that are not a plain length or `auto` (math functions) still go through WeasyPrint's
# `percentage`.
_weasyprint_resolve_percentages = percent.resolve_percentages
_percentage = percent.percentage
_adjust_box_sizing = percent.adjust_box_sizing


def _used(value: Any, style: Any, refer_to: Any) -> Any:
    """WeasyPrint's `percentage`: a computed length's used value."""
    if value.__class__ is Dimension:
        unit = value.unit
        if unit == "px":
            return value.value
        if unit == "%":
            return refer_to * value.value / 100
    elif value == "auto":
        return value
    return _percentage(value, style, refer_to)


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """Set used values as attributes of the box, as WeasyPrint's resolve_percentages does."""
    if isinstance(containing_block, boxes.Box):
        cb_width = containing_block.width
        cb_height = containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, boxes.PageBox) else cb_width
    style = box.style
    box.margin_left = _used(style["margin_left"], style, cb_width)
    box.margin_right = _used(style["margin_right"], style, cb_width)
    box.margin_top = _used(style["margin_top"], style, maybe_height)
    box.margin_bottom = _used(style["margin_bottom"], style, maybe_height)
    box.padding_left = _used(style["padding_left"], style, cb_width)
    box.padding_right = _used(style["padding_right"], style, cb_width)
    box.padding_top = _used(style["padding_top"], style, maybe_height)
    box.padding_bottom = _used(style["padding_bottom"], style, maybe_height)
    box.width = _used(style["width"], style, cb_width)
    value = _used(style["min_width"], style, cb_width)
    box.min_width = 0 if value == "auto" else value
    box.max_width = _used(style["max_width"], style, cb_width)
    if cb_height == "auto":
        # The containing block's height depends on its content: a percentage height is auto.
        height = style["height"]
        if height == "auto" or check_math(height) or height.unit == "%":
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"
            box.height = height.value
        value = _used(style["min_height"], style, 0)
        box.min_height = 0 if value == "auto" else value
        box.max_height = _used(style["max_height"], style, inf)
    else:
        box.height = _used(style["height"], style, cb_height)
        value = _used(style["min_height"], style, cb_height)
        box.min_height = 0 if value == "auto" else value
        box.max_height = _used(style["max_height"], style, cb_height)
    # A collapsed border's width was set by the border conflict resolution: kept.
    collapse = style["border_collapse"] == "collapse"
    if not (collapse and hasattr(box, "border_top_width")):
        box.border_top_width = style["border_top_width"]
    if not (collapse and hasattr(box, "border_right_width")):
        box.border_right_width = style["border_right_width"]
    if not (collapse and hasattr(box, "border_bottom_width")):
        box.border_bottom_width = style["border_bottom_width"]
    if not (collapse and hasattr(box, "border_left_width")):
        box.border_left_width = style["border_left_width"]
    if style["box_sizing"] != "content-box":  # content-box: nothing to take off
        _adjust_box_sizing(box, "width")
        _adjust_box_sizing(box, "height")


# Every layout module that imported the function by name, and `percent` itself (flex calls it there).
_MODULES = (absolute, block, column, float_layout, grid, inline, page, percent, table)
for _module in _MODULES:
    _module.resolve_percentages = resolve_percentages
