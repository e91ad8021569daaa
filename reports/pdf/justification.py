"""CJK justification: a justified line of Chinese text spreads its slack over every gap between
characters (WeasyPrint 70 widens spaces only)."""

import re
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango, unicode_to_char_p

# --- CJK justification ------------------------------------------------------------------------------
# GB/T 9704 text is flush on both edges. WeasyPrint 70 justifies by widening spaces only ("we don't
# support text-justify", Kozea/WeasyPrint#2269), and Chinese has none, so a line holding half-width
# digits, or one whose last character was pushed down by the line-start rules, ended up to 16 pt
# short (54 of 83 lines in a department report). Here a justified line of Chinese text spreads its
# slack over every gap between characters, as `text-justify: inter-character` would: the line's
# gap count replaces its space count, and drawing adds the per-gap amount as Pango letter spacing
# (which Pango puts between characters, n - 1 gaps for n). Text without Chinese keeps WeasyPrint's
# own justification. tests/reports/test_pdf_typesetting.py measures the result from the PDF.
_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_count_expandable_spaces = inline.count_expandable_spaces
_set_text = line_break.Layout.set_text


def _count_expandable_gaps(box: Any) -> int:  # WeasyPrint boxes and layouts (no type hints) are Any here
    if isinstance(box, boxes.TextBox) and _CHINESE.search(box.text):
        return max(len(box.text) - 1, 0)
    spaces: int = _count_expandable_spaces(box)
    return spaces


def _set_text_spreading_gaps(layout: Any, text: str, justify: bool = False) -> None:
    spacing = layout.justification_spacing
    spread = bool(justify and spacing and _CHINESE.search(text))
    if spread:
        layout.justification_spacing = 0  # spaces are gaps like any other: no extra word spacing
    _set_text(layout, text, justify)
    if not spread:
        return
    layout.justification_spacing = spacing
    letter_spacing = layout.style["letter_spacing"]
    letter_spacing = 0 if letter_spacing == "normal" else letter_spacing
    _, bytestring = unicode_to_char_p(layout.text)
    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    attribute = pango.pango_attr_letter_spacing_new(int((letter_spacing + spacing) * TO_UNITS))
    attribute.start_index, attribute.end_index = 0, len(bytestring)
    pango.pango_attr_list_change(attributes, attribute)
    pango.pango_layout_set_attributes(layout.layout, attributes)


_add_word_spacing = inline.add_word_spacing


def _add_gap_spacing(context: Any, box: Any, justification_spacing: float, x_advance: float) -> float:
    """As WeasyPrint's add_word_spacing, without laying a justified Chinese line out a second time:
    the line's own layout takes the spacing, applied when it is drawn (keeps render time flat)."""
    if not (isinstance(box, boxes.TextBox) and _CHINESE.search(box.text)):
        advanced: float = _add_word_spacing(context, box, justification_spacing, x_advance)
        return advanced
    box.justification_spacing = justification_spacing
    box.position_x += x_advance
    gaps = _count_expandable_gaps(box)
    if gaps > 0:
        box.pango_layout.justification_spacing = justification_spacing
        x_advance += justification_spacing * gaps
        box.width += justification_spacing * gaps
    return x_advance


inline.count_expandable_spaces = _count_expandable_gaps
inline.add_word_spacing = _add_gap_spacing
line_break.Layout.set_text = _set_text_spreading_gaps
