"""Line breaking: a text laid out once per render for the same style, width and start of line
(issue 19 §4)."""

from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import LayoutContext, inline, preferred
from weasyprint.text import line_break

# --- the same first line, laid out again -------------------------------------------------------------
# WeasyPrint lays a text box's first line out with Pango in split_first_line: 2,286 calls in a warm
# city congress render, ~138 ms of its wall time. A third of them lay out a text already laid out in
# this render with the same inputs: a table cell's "—", "百分点" or "≥100%" in a column of the same
# width, a cell laid out again for the table's column widths and its repeated header rows, a <br>'s
# "\n" (2,286 calls, 1,487 distinct). The result depends only on the text, the width, the
# justification spacing, the two flags, the font configuration and the style properties below
# (every one split_first_line, Layout.setup, Layout.set_text and the CJK justification patch read;
# tests/reports/test_pdf_line_breaking.py records the properties read and checks them against this
# list), so within one render (one LayoutContext) each distinct call is made once and its result
# replayed: a new Layout object with the first one's state (the Pango layout itself is freed
# before split_first_line returns, so a Layout carries only its text, widths and font metrics).
_LINE_PROPERTIES = (
    # split_first_line and line_size
    "white_space",
    "font_size",
    "letter_spacing",
    "hyphens",
    "lang",
    "hyphenate_limit_chars",
    "hyphenate_limit_zone",
    "hyphenate_character",
    "overflow_wrap",
    "word_break",
    # Layout.setup, its font description and feature settings
    "direction",
    "font_language_override",
    "text_decoration_line",
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_variant_caps",
    "font_variation_settings",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
    # Layout.set_text (tab_size: texts with a tab are not replayed, see below)
    "word_spacing",
)
_split_first_line = line_break.split_first_line
_Layout = line_break.Layout


def _line_style_key(style: Any, keys: dict[int, tuple[Any, Any]]) -> Any:
    """The properties of a style that a first line depends on (None when one is not hashable),
    worked out once per style object in a render."""
    known = keys.get(id(style))
    if known is not None and known[0] is style:
        return known[1]
    key: Any = (style.font_config, *(style[name] for name in _LINE_PROPERTIES))
    try:
        hash(key)
    except TypeError:
        key = None
    keys[id(style)] = (style, key)  # the style is kept: its id is not reused in this render
    return key


def _split_first_line_once(
    text: str,
    style: Any,
    context: Any,
    max_width: Any,
    justification_spacing: Any,
    is_line_start: bool = True,
    minimum: bool = False,
) -> Any:
    """WeasyPrint's split_first_line, each distinct call made once per render."""
    # SVG text has a dict for a style and no LayoutContext; a tab's width is measured with another
    # layout (Layout.set_tabs) and tab_size is not in the key.
    if not isinstance(context, LayoutContext) or "\t" in text:
        return _split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    state = context.__dict__.get("_report_first_lines")
    if state is None:
        state = context.__dict__["_report_first_lines"] = ({}, {})
    lines, style_keys = state
    style_key = _line_style_key(style, style_keys)
    if style_key is None:
        return _split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
    key = (text, max_width, justification_spacing, is_line_start, minimum, style_key)
    line = lines.get(key)
    if line is None:
        result = _split_first_line(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        # The caller may change its Layout (the justification spacing, the text for an ellipsis):
        # the replayed ones start from a copy of its state as returned.
        lines[key] = (dict(result[0].__dict__), result[1:])
        return result
    layout_state, metrics = line
    layout = _Layout.__new__(_Layout)
    layout.__dict__.update(layout_state)
    return (layout, *metrics)


line_break.split_first_line = _split_first_line_once
inline.split_first_line = _split_first_line_once
preferred.split_first_line = _split_first_line_once


# --- a line box with no float beside it -------------------------------------------------------------
# get_next_linebox places each line box with float.avoid_collisions, three times a line (5,679 calls
# in a warm city congress render), and the reports float nothing: WeasyPrint still measured the box,
# built the float keyword lists and filtered its (empty) list of floats each time (~170 M
# instructions with the block calls, callgrind). With no float on the page, a line box's place is
# the containing block's content box less the line's margins; this is the same arithmetic, in the
# same order, as WeasyPrint's function when its list of floats is empty. Anything else (a float on
# the page, a block-level box) still goes through WeasyPrint's function.
_avoid_collisions = inline.avoid_collisions


def _avoid_collisions_of_line(context: Any, box: Any, containing_block: Any, outer: bool = True) -> Any:
    if outer or box.__class__ is not boxes.LineBox or context.excluded_shapes:
        return _avoid_collisions(context, box, containing_block, outer)
    # Box.border_box_y(), border_height() and is_floated(), containing_block.content_box_x(), written
    # out with the same additions in the same order.
    margin_top = box.margin_top
    position_y = box.position_y + margin_top
    float_ = box.style["float"]
    if (
        box.height + box.padding_top + box.padding_bottom + box.border_top_width + box.border_bottom_width == 0
        and float_ in ("left", "right", "inline-start", "inline-end")
    ):
        return 0, position_y, containing_block.width
    max_left_bound = (
        containing_block.position_x
        + containing_block.margin_left
        + containing_block.padding_left
        + containing_block.border_left_width
    )
    max_right_bound = max_left_bound + containing_block.width
    margin_left = box.margin_left
    max_left_bound += margin_left
    max_right_bound -= box.margin_right
    position_x = max_left_bound
    if float_ == "none" and containing_block.style["direction"] == "rtl":
        # The position of the line is the position of the cursor, at the right bound.
        position_x = max_right_bound
    return position_x - margin_left, position_y - margin_top, max_right_bound - max_left_bound


inline.avoid_collisions = _avoid_collisions_of_line
