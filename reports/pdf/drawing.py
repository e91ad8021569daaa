"""Drawing the pages: the same PDF operators as WeasyPrint 70 writes, with fewer Python operations
(issue 19 §4). Each change gives its measurement; tests/reports/test_pdf_drawing.py renders with and
without each one and compares the PDF bytes."""

import threading
import zlib
from concurrent.futures import Future
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

import pydyf
from pydyf import _to_bytes
from tinycss2.color4 import Color
from weasyprint import document, draw
from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.logger import LOGGER
from weasyprint.pdf.stream import Stream
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

# --- colours ----------------------------------------------------------------------------------------
# Stream.set_color converted the colour to sRGB (tinycss2's Color.to, ~3 µs) and formatted its three
# numbers every time it wrote one: 5,000 times per city congress render, most of them a table
# border's stroke colour (each border segment is drawn in a saved graphics state, which forgets the
# current colour). cProfile: set_color ~11 % of the draw phase. The operator of an sRGB colour
# (`r g b rg` / `RG`) is now kept per colour and reused; every other colour space goes WeasyPrint's
# way. The same bytes, and the same bookkeeping of the current colour.
_stream_set_color = Stream.set_color
_RGB_SPACES = frozenset(("srgb", "hsl", "hwb"))
_rgb_operators: dict[tuple[Any, ...], bytes] = {}


def _rgb_operator(key: tuple[Any, ...], color: Any, stroke: bool) -> bytes:
    operator = _rgb_operators.get(key)
    if operator is None:
        r, g, b = color.to("srgb").coordinates
        operator = b" ".join((_to_bytes(r), _to_bytes(g), _to_bytes(b), b"RG" if stroke else b"rg"))
        if len(_rgb_operators) > 4096:  # a bound for a long-lived worker; reports use a few dozen
            _rgb_operators.clear()
        _rgb_operators[key] = operator
    return operator


def _set_color(stream: Any, color: Any, stroke: bool = False) -> None:
    """WeasyPrint's Stream.set_color, the operator of an sRGB colour taken from _rgb_operators."""
    if type(color) is not Color or color.space not in _RGB_SPACES:
        _stream_set_color(stream, color, stroke)
        return
    stream.set_alpha(color.alpha, stroke)
    current = (color.space, *color.coordinates)
    if stroke:
        if current == stream._current_color_stroke:
            return
        stream._current_color_stroke = current
    else:
        if current == stream._current_color:
            return
        stream._current_color = current
    stream.stream.append(_rgb_operator((*current, stroke), color, stroke))


Stream.set_color = _set_color


# --- text: the glyphs of a line ---------------------------------------------------------------------
# draw_first_line wrote each glyph of a line in Python: three cffi reads of its geometry, a dict look-
# up for its Unicode text and one for its width, the kerning computed and formatted, all appended to
# a string: text is half of the draw phase (cProfile: draw_first_line's own time 150 of the draw
# phase's 1,540 profiled ms, city congress report). Here a run's glyphs are read from Pango's array
# in one copy, and a glyph's part of the TJ operand (its offset, its id, its kerning) and its advance
# are computed once per font, size, glyph, width and offset, then reused for every other time the
# same glyph is drawn the same way (CJK text repeats a few hundred glyphs at one or two sizes). A run
# with a raised or lowered glyph, a missing glyph, or a colour (emoji) font is drawn by WeasyPrint's
# own code, as is a line with an ellipsis. The same operators and numbers, computed by the same
# expressions: the same bytes.
_draw_first_line = draw_text.draw_first_line
_GLYPH_INFO_INTS = 5  # PangoGlyphInfo: glyph, width, x_offset, y_offset, attributes (4 bytes each)
_GLYPH_INFO_SIZE = 4 * _GLYPH_INFO_INTS
_EMPTY, _UNKNOWN = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG


def _glyph_infos(glyph_string: Any, count: int) -> tuple[list[int], list[int], list[int], list[int]]:
    """Glyph ids, widths, x and y offsets of a Pango glyph string."""
    data = memoryview(ffi.buffer(glyph_string.glyphs, count * _GLYPH_INFO_SIZE))
    unsigned, signed = data.cast("I").tolist(), data.cast("i").tolist()
    return unsigned[0::5], signed[1::5], signed[2::5], signed[3::5]


def _draw_first_line_by_runs(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any) -> Any:
    """WeasyPrint 70's draw_first_line, a run's glyphs written from per-font parts (see above)."""
    if text_overflow == "ellipsis" or block_ellipsis != "none":
        return _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if not textbox.text.strip():
        return []
    if textbox.style["font_size"] < 1e-6:  # default float precision used by pydyf
        return []
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    x_advance = 0
    emojis: list[Any] = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        num_glyphs = glyph_string.num_glyphs

        pango_font = glyph_item.item.analysis.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, font_size = stream.add_font(pango_font)
            if pango.pango_version() < 14802 or font.png:
                font_size = textbox.style["font_size"]
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
            parts = font.__dict__.setdefault("_report_glyph_parts", {}).setdefault(font_size, {})

        glyph_ids, widths, x_offsets, y_offsets = _glyph_infos(glyph_string, num_glyphs)
        if font.svg or font.png or font.colr or any(y_offsets):
            string, x_advance = _run_as_weasyprint(
                stream, textbox, glyph_item, pango_font, font, font_size, string, x_advance, emojis
            )
            continue
        pieces = []
        for i, key in enumerate(zip(glyph_ids, widths, x_offsets, strict=True)):
            part = parts.get(key)
            if part is None:
                part = _glyph_part(textbox, glyph_item, pango_font, font, font_size, i, key, stream)
                if part[2]:
                    parts[key] = part
            pieces.append(part[0])
            if part[1] is not None:
                x_advance += part[1]
        string += "<" + "".join(pieces)
        if string[-1] == "<":
            string = string[:-1]
        else:
            string += ">"

    stream.show_text(string)
    return emojis


def _logical_width(stream: Any, pango_font: Any, font: Any, font_size: float, glyph_id: int) -> Any:
    """A glyph's advance in thousandths of the font size, measured by Pango once per font (WeasyPrint's
    draw_first_line)."""
    if glyph_id in font.widths:
        return font.widths[glyph_id]
    pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
    width = font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    return width


def _glyph_part(
    textbox: Any, glyph_item: Any, pango_font: Any, font: Any, font_size: Any, i: int, key: Any, stream: Any
) -> tuple[str, Any, bool]:
    """A glyph's part of the TJ operand and its advance, as WeasyPrint's loop writes them (the
    glyph is neither raised nor lowered, its font no colour font), and whether both can be reused."""
    glyph_id, width, x_offset = key
    if glyph_id == _EMPTY:
        return f">{-width / font_size}<", None, True
    reusable = True
    if glyph_id & _UNKNOWN:
        codepoint = glyph_id - _UNKNOWN
        LOGGER.warning(
            '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)', chr(codepoint), codepoint
        )
        glyph_id = font.get_unused_glyph_id(codepoint)
        font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
        if 0 not in font.widths:
            font.widths[0] = font.widths[glyph_id]
        reusable = False
    if glyph_id not in font.to_unicode:
        clusters = glyph_item.glyphs.log_clusters
        num_glyphs = glyph_item.glyphs.num_glyphs
        offset = glyph_item.item.offset
        t1 = clusters[i]
        if glyph_item.item.analysis.level % 2:  # rtl
            t2 = glyph_item.item.length if i == 0 else clusters[i - 1]
        else:
            t2 = glyph_item.item.length if i == num_glyphs - 1 else clusters[i + 1]
        utf8_text = textbox.pango_layout.text.encode()
        font.to_unicode[glyph_id] = utf8_text[offset + t1 : offset + t2].decode()
    offset = x_offset / font_size
    part = f">{-offset}<" if offset else ""
    part += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
    logical_width = _logical_width(stream, pango_font, font, font_size, glyph_id)
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    if kerning:
        part += f">{int(kerning)}<"
    return part, (logical_width + offset - kerning) / 1000, reusable


def _run_as_weasyprint(
    stream: Any,
    textbox: Any,
    glyph_item: Any,
    pango_font: Any,
    font: Any,
    font_size: Any,
    string: str,
    x_advance: Any,
    emojis: list[Any],
) -> tuple[str, Any]:
    """One run drawn by WeasyPrint 70's own loop (draw_first_line's, unchanged): raised or lowered
    glyphs, colour fonts. Returns the TJ operand so far and the advance."""
    glyph_string = glyph_item.glyphs
    glyphs_info = glyph_string.glyphs
    num_glyphs = glyph_string.num_glyphs
    clusters = glyph_string.log_clusters
    utf8_text = None
    string += "<"
    for i, glyph_info in enumerate(glyphs_info[0:num_glyphs]):
        glyph_id = glyph_info.glyph
        width = glyph_info.geometry.width
        if glyph_id == pango.PANGO_GLYPH_EMPTY:
            string += f">{-width / font_size}<"
            continue
        if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
            codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
            LOGGER.warning(
                '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                chr(codepoint),
                codepoint,
            )
            glyph_id = font.get_unused_glyph_id(codepoint)
            font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
            if 0 not in font.widths:
                font.widths[0] = font.widths[glyph_id]
        if glyph_id not in font.to_unicode:
            offset = glyph_item.item.offset
            t1 = clusters[i]
            if glyph_item.item.analysis.level % 2:  # rtl
                t2 = glyph_item.item.length if i == 0 else clusters[i - 1]
            else:
                t2 = glyph_item.item.length if i == num_glyphs - 1 else clusters[i + 1]
            utf8_text = utf8_text or textbox.pango_layout.text.encode()
            font.to_unicode[glyph_id] = utf8_text[offset + t1 : offset + t2].decode()
        offset = glyph_info.geometry.x_offset / font_size
        rise = glyph_info.geometry.y_offset / 1000
        if rise:
            if string[-1] == "<":
                string = string[:-1]
            else:
                string += ">"
            if string:
                stream.show_text(string)
            stream.set_text_rise(-rise)
            string = ""
            if offset:
                string = f"{-offset}"
            string += f"<{glyph_id:02x}>" if font.bitmap else f"<{glyph_id:04x}>"
            stream.show_text(string)
            stream.set_text_rise(0)
            string = "<"
        else:
            if offset:
                string += f">{-offset}<"
            string += f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
        logical_width = _logical_width(stream, pango_font, font, font_size, glyph_id)
        kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
        if kerning:
            string += f">{int(kerning)}<"
        emoji = _emoji(stream, textbox, pango_font, font, font_size, glyph_id, logical_width, kerning, x_advance)
        if emoji is not None:
            emojis.append(emoji)
        x_advance += (logical_width + offset - kerning) / 1000
    if string[-1] == "<":
        string = string[:-1]
    else:
        string += ">"
    return string, x_advance


def _emoji(
    stream: Any,
    textbox: Any,
    pango_font: Any,
    font: Any,
    font_size: Any,
    glyph_id: int,
    logical_width: Any,
    kerning: Any,
    x_advance: Any,
) -> list[Any] | None:
    """WeasyPrint 70's emoji of a glyph of a colour font (draw_first_line's code, unchanged)."""
    get_hb_object_data = draw_text.get_hb_object_data
    if font.svg:
        svg_data = get_hb_object_data(font.hb_face, "svg", glyph_id)
        if svg_data:
            tree = ElementTree.fromstring(svg_data)  # noqa: S314  (WeasyPrint's code: a font's own glyph table)
            if tree.get("id") != f"glyph{glyph_id}":
                defs = ElementTree.Element("defs")
                for child in list(tree):
                    defs.append(child)
                    tree.remove(child)
                tree.append(defs)
                ElementTree.SubElement(tree, "use", attrib={"href": f"#glyph{glyph_id}"})
            if "viewBox" not in tree.attrib:
                tree.attrib["viewBox"] = f"0 0 {font.upem} {font.upem}"
            image = draw_text.SVGImage(tree, None, None, None)
            a = d = 1
            return [image, font, a, d, x_advance, 0]
    elif font.png:
        png_data = get_hb_object_data(font.hb_font, "png", glyph_id)
        if png_data:
            pillow_image = draw_text.Image.open(BytesIO(png_data))
            image_id = f"{font.hash}{glyph_id}"
            image = draw_text.RasterImage(pillow_image, image_id, png_data)
            d = logical_width / 1000
            a = pillow_image.width / pillow_image.height * d
            pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
            f = -stream.logical_rect.y
            f = f * FROM_UNITS / font_size - font_size
            return [image, font, a, d, x_advance, f]
    elif font.colr:
        svg_data = get_hb_object_data(font.hb_font, "colr", glyph_id)
        if svg_data:
            tree = ElementTree.fromstring(svg_data)  # noqa: S314  (WeasyPrint's code: a font's own glyph table)
            image = draw_text.SVGImage(tree, None, None, None)
            a = d = 1
            e = x_advance - kerning
            return [image, font, a, d, e, -textbox.baseline]
    return None


draw_text.draw_first_line = _draw_first_line_by_runs


# --- saved graphics states and marked content -------------------------------------------------------
# Stream.stacked (q … Q), Stream.artifact and Stream.marked (the tagged PDF's marked content) were
# generator context managers (contextlib): a generator and a wrapper object made, and both entered and
# left through several Python calls, ~14,000 times per city congress render (twice per collapsed
# border segment, once per text box, background and drawn box). They are now plain objects with
# __enter__ and __exit__ doing the same calls in the same order, the second also when the body raises.
_stream_stacked, _stream_artifact, _stream_marked = Stream.stacked, Stream.artifact, Stream.marked


class _Stacked:
    __slots__ = ("stream",)

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> None:
        self.stream.push_state()

    def __exit__(self, *exc_info: object) -> None:
        self.stream.pop_state()


class _Artifact:
    __slots__ = ("stream",)

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> None:
        if self.stream._tags is not None:
            pydyf.Stream.begin_marked_content(self.stream, "Artifact")

    def __exit__(self, *exc_info: object) -> None:
        if self.stream._tags is not None:
            pydyf.Stream.end_marked_content(self.stream)


class _Marked:
    __slots__ = ("box", "stream", "tag")

    def __init__(self, stream: Any, box: Any, tag: str) -> None:
        self.stream, self.box, self.tag = stream, box, tag

    def __enter__(self) -> None:
        stream = self.stream
        if stream._tags is not None:
            mcid = len(stream._tags)
            assert self.box not in stream._tags  # WeasyPrint's own check
            stream._tags[self.box] = {"tag": self.tag, "mcid": mcid}
            pydyf.Stream.begin_marked_content(stream, self.tag, pydyf.Dictionary({"MCID": mcid}))

    def __exit__(self, *exc_info: object) -> None:
        if self.stream._tags is not None:
            pydyf.Stream.end_marked_content(self.stream)


def _stacked(stream: Any) -> _Stacked:
    return _Stacked(stream)


def _artifact(stream: Any) -> _Artifact:
    return _Artifact(stream)


def _marked(stream: Any, box: Any, tag: str) -> _Marked:
    return _Marked(stream, box, tag)


Stream.stacked = _stacked
Stream.artifact = _artifact
Stream.marked = _marked


# --- outlines -----------------------------------------------------------------------------------------
# draw_outline went down every box of a page (~6,000 per city congress render) reading its outline's
# width, offset, colour (get_color) and style, to draw the outlines of none of them: reports have no
# outlines. A box whose outline width is 0 draws none in WeasyPrint's code either; such boxes are now
# passed over with that one look-up, and a box with an outline is drawn, with its descendants, by
# WeasyPrint's own function.
_draw_outline = draw.draw_outline


def _draw_outlines(stream: Any, box: Any) -> None:
    if box.style["outline_width"]:
        _draw_outline(stream, box)
        return
    for child in box.children:
        if isinstance(child, boxes.Box):
            _draw_outlines(stream, child)


draw.draw_outline = _draw_outlines


# --- page streams compressed in the background ----------------------------------------------------------
# pydyf compresses each page's content stream (zlib, level 9) when the PDF is written, one page after
# the other: ~500 KB of operators and ~15 ms of the city congress render, on the render's thread. A
# page's stream is complete once the page is painted, so its bytes are now joined then and compressed
# in a thread of their own (zlib lets go of Python's lock) while the next pages are drawn: the same
# call on the same bytes, so the same PDF byte for byte. CPU is unchanged; the render's wall time is
# shorter when a second core is free. A stream that grew after its page was painted is written
# WeasyPrint's way.
_page_paint = document.Page.paint


class _FlatedPageStream(Stream):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A page's content stream whose compressed bytes were made in the background."""

    flated: Future[bytes]
    flated_items: int

    @property
    def data(self) -> bytes:
        if len(self.stream) != self.flated_items:
            return super().data  # type: ignore[no-any-return]
        content = self.flated.result()
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(content)
        return b"\n".join((extra.data, b"stream", content, b"endstream"))


def _flate_into(future: Future[bytes], content: bytes) -> None:
    try:
        compressor = zlib.compressobj(level=9)  # pydyf's Stream.data
        future.set_result(compressor.compress(content) + compressor.flush())
    except BaseException as error:  # handed to the thread that writes the PDF
        future.set_exception(error)


def _paint_and_flate(page: Any, stream: Any, scale: Any = 1) -> None:
    """WeasyPrint's Page.paint, the page's stream then compressed in a thread."""
    _page_paint(page, stream, scale)
    if type(stream) is not Stream or not stream.compress:
        return
    to_bytes = pydyf._to_bytes  # pydyf's Stream.data joins _to_bytes(item) of every item; most are bytes
    content = b"\n".join([item if item.__class__ is bytes else to_bytes(item) for item in stream.stream])
    future: Future[bytes] = Future()
    threading.Thread(target=_flate_into, args=(future, content), name="pdf-page-flate", daemon=True).start()
    stream.__class__ = _FlatedPageStream
    stream.flated, stream.flated_items = future, len(stream.stream)


document.Page.paint = _paint_and_flate

# What each change replaced (owner, attribute, WeasyPrint's own), for the tests that render with and
# without it.
REPLACED: dict[str, list[tuple[Any, str, Any]]] = {
    "colours": [(Stream, "set_color", _stream_set_color)],
    "glyphs": [(draw_text, "draw_first_line", _draw_first_line)],
    "page streams": [(document.Page, "paint", _page_paint)],
    "outlines": [(draw, "draw_outline", _draw_outline)],
    "states": [
        (Stream, "stacked", _stream_stacked),
        (Stream, "artifact", _stream_artifact),
        (Stream, "marked", _stream_marked),
    ],
}
