"""HTML → PDF bytes. The only module that imports WeasyPrint.

Report templates are rendered by Django (autoescaped) and then laid out by WeasyPrint. Everything
that reaches a report — a department's narrative, a survey answer, a unit's name — is treated as
hostile: WeasyPrint's default fetcher reads `file://` and `http://` URLs and even embeds local files
as attachments (research/reliability.md §1.8, §4.5). So the fetcher here never touches the network
and serves only files under the project's static directories and `data:` URLs.

Templates link their stylesheet as `{% static 'css/reports-print.css' %}`, so the same HTML works
in the browser preview (served by the web server) and here, where `BASE_URL` stands in for the site:
a host under the reserved `.invalid` domain (RFC 2606) that can never resolve, mapped to the disk.
"""

import logging
import re
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import html as weasyprint_html
from weasyprint import pdf as weasyprint_pdf
from weasyprint.css.counters import CounterStyle
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, TO_UNITS, ffi, gobject, harfbuzz, pango, unicode_to_char_p
from weasyprint.text.fonts import FontConfiguration, font_features, get_font_description

from assessments.excel.collector import collector_paused

logger = logging.getLogger(__name__)

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

# --- two costs of WeasyPrint 70 that do not depend on the report -----------------------------------
# Measured with a sampling profiler on the city reports (bench/baselines/city-render-*.md):
# - Every font a PDF uses was copied whole from its file into Python before subsetting: Noto CJK
#   and AR PL UKai are 17–27 MB each, ~100 MB copied per report (~5 % of the render, and the peak
#   memory). HarfBuzz subsets from the font's face, not from that copy, so the copy is made only
#   when something reads it (WeasyPrint's fontTools fallback, variable or colour fonts).
# - ParentBox.page_values listed every child to find the first and the last one in flow (for
#   named pages), on every block laid out: ~6 % of the render of a long table. It now looks from
#   each end for them; same values.
_get_hb_object_data = pdf_fonts.get_hb_object_data


class _FontFile:
    """A font's file as HarfBuzz holds it (a reference to its blob), read into bytes on demand."""

    def __init__(self, hb_face: Any) -> None:
        self._blob = ffi.gc(harfbuzz.hb_face_reference_blob(hb_face), harfbuzz.hb_blob_destroy)

    def __bool__(self) -> bool:
        return bool(harfbuzz.hb_blob_get_length(self._blob))

    def read(self) -> bytes | None:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(self._blob, length)
        return None if data == ffi.NULL else bytes(ffi.unpack(data, int(length[0])))


def _hb_object_data(hb_object: Any, ot_color: str | None = None, glyph: Any = None) -> Any:
    if ot_color is None:
        return _FontFile(hb_object)
    return _get_hb_object_data(hb_object, ot_color, glyph)


def _file_content(font: Any) -> bytes | None:
    content = font.__dict__.get("_file_content")
    if isinstance(content, _FontFile):
        content = font.__dict__["_file_content"] = content.read()
    return content  # type: ignore[no-any-return]


def _set_file_content(font: Any, content: Any) -> None:
    font.__dict__["_file_content"] = content


pdf_fonts.get_hb_object_data = _hb_object_data
pdf_fonts.Font.file_content = property(_file_content, _set_file_content)


def _flows(box: Any) -> bool:
    return bool(box.is_in_normal_flow() or box.is_floated())


def _parent_page_values(box: Any) -> tuple[Any, Any]:
    """WeasyPrint's ParentBox.page_values: the page names a block starts and ends on, from its
    first and last child in flow (or floated), else its own."""
    start_value, end_value = boxes.Box.page_values(box)
    first = next((child for child in box.children if _flows(child)), None)
    if first is None:
        return start_value, end_value
    last = next(child for child in reversed(box.children) if _flows(child))
    if first is last:
        values = first.page_values()
        return values[0] or start_value, values[1] or end_value
    return first.page_values()[0] or start_value, last.page_values()[1] or end_value


boxes.ParentBox.page_values = _parent_page_values

# Box.is_in_normal_flow asked five methods in turn for one style's float and position: ~27,000 calls
# per city congress render (page values above, each block's children), ~30 ms. The same test reads
# the two properties once. A flex item's is_floated is replaced on the box itself
# (WeasyPrint's build.flex_children): such a box is asked WeasyPrint's way.
_box_is_in_normal_flow = boxes.Box.is_in_normal_flow
_FLOATS = ("left", "right", "inline-start", "inline-end")


def _is_in_normal_flow(box: Any) -> bool:
    if "is_floated" in box.__dict__:
        in_flow: bool = _box_is_in_normal_flow(box)
        return in_flow
    style = box.style
    floated, position = style["float"], style["position"]
    return not (
        floated in _FLOATS
        or position in ("absolute", "fixed")
        or position[0] in ("running()", "note()")
        or floated == "footnote"
    )


boxes.Box.is_in_normal_flow = _is_in_normal_flow

# --- font subsetting, the second HarfBuzz pass only when it changes something (issue 19 §4) ---------
# WeasyPrint 70 subsets each font twice: first keeping the glyph ids it drew with (RETAIN_GIDS) and
# the hinting, then the result again without hinting, keeping every glyph id up to the last one used
# (all but the used ones empty by then) and renumbering what lies beyond. With RETAIN_GIDS HarfBuzz
# already ends the font at the last glyph it keeps, so the second pass mostly redid a CJK font of up
# to ~60,000 glyph slots to the same bytes: ~60 % of the subsetting time. Here the first pass drops
# the hinting too, and the second runs only when HarfBuzz kept a glyph past the last one used (a
# variation selector's form of a used character, by Noto CJK's cmap format 14), which it trims as
# before. The same font bytes for the fonts of the city and demo reports, except that a table the
# second pass used to drop (FontForge's FFTM timestamp, 44 bytes in AR PL UKai) now stays.
_harfbuzz_subset_twice = pdf_fonts.Font._harfbuzz_subset
_DROPPED_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def _add_sorted(hb_set: Any, values: list[int]) -> None:
    harfbuzz.hb_set_add_sorted_array(hb_set, ffi.new("hb_codepoint_t[]", values), len(values))


def _harfbuzz_subset_once(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's Font._harfbuzz_subset with its second pass run only when it trims a glyph."""
    subset = pdf_fonts.harfbuzz_subset
    subset_input = ffi.gc(subset.hb_subset_input_create_or_fail(), subset.hb_subset_input_destroy)
    last_used = max(to_unicode)
    _add_sorted(subset.hb_subset_input_glyph_set(subset_input), sorted(to_unicode))
    _add_sorted(
        subset.hb_subset_input_set(subset_input, subset.HB_SUBSET_SETS_DROP_TABLE_TAG),
        sorted(harfbuzz.hb_tag_from_string(name, -1) for name in _DROPPED_TABLES),
    )
    flags = subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED | subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    if not hinting:
        flags |= subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    subset.hb_subset_input_set_flags(subset_input, flags | subset.HB_SUBSET_FLAGS_RETAIN_GIDS)
    face = ffi.gc(subset.hb_subset_or_fail(font.hb_face, subset_input), harfbuzz.hb_face_destroy)
    if face != ffi.NULL and harfbuzz.hb_face_get_glyph_count(face) > last_used + 1:
        _add_sorted(subset.hb_subset_input_glyph_set(subset_input), list(range(last_used + 1)))
        subset.hb_subset_input_set_flags(subset_input, flags)
        face = ffi.gc(subset.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)
    content = _FontFile(face) if face != ffi.NULL else None
    if content:
        font.file_content = content.read()
    else:
        _harfbuzz_subset_twice(font, to_unicode, hinting)  # WeasyPrint's own, with its warning


pdf_fonts.Font._harfbuzz_subset = _harfbuzz_subset_once


# --- the fonts' subsets made and compressed in two threads beside the render (issue 19 §4) ----------
# Subsetting (HarfBuzz) and compressing (zlib, level 9 as pydyf) the five or six fonts of a report is
# C code that runs without Python's lock: ~90 ms of the city congress report's render, done one after
# the other while the rest waited. The fonts are now subset two at a time before WeasyPrint builds
# their dictionaries, and their streams are compressed in the background while the pages' streams
# are written: the same calls on the same bytes, so the same PDF, byte for byte. CPU is unchanged;
# the render's wall time is shorter when a second core is free (the case on an idle machine, and
# the one Chromium's several processes are compared in), about the same on a busy one.
_build_fonts_dictionary = weasyprint_pdf.build_fonts_dictionary
_FONT_THREADS = 2


def _flate(content: bytes) -> bytes:
    """pydyf's Stream compression (level 9) of a stream of one item."""
    compressor = zlib.compressobj(level=9)
    return compressor.compress(content) + compressor.flush()


class _FlatedStream(pydyf.Stream):  # type: ignore[misc]  # pydyf has no type hints
    """A stream of one item whose compressed bytes are made in the background."""

    flated: Future[bytes]

    @property
    def data(self) -> bytes:
        stream = self.flated.result()
        extra = pydyf.Dictionary(self.extra.copy())
        extra["Filter"] = "/FlateDecode"
        extra["Length"] = len(stream)
        return b"\n".join((extra.data, b"stream", stream, b"endstream"))


def _already_clean(to_unicode: Any, hinting: bool) -> None:
    """Font.clean of a font cleaned by _build_fonts_dictionary_in_threads."""


def _build_fonts_dictionary_in_threads(
    pdf: Any, fonts: dict[str, Any], compress: bool, subset: bool, options: Any
) -> Any:
    """WeasyPrint's build_fonts_dictionary, each font file's clean() (subsetting) run in a thread
    first, with the font's glyphs as WeasyPrint gathers them, and its stream compressed after."""
    by_file: dict[str, list[Any]] = {}
    for font in fonts.values():
        by_file.setdefault(font.hash, []).append(font)
    cleaned = []
    for file_fonts in by_file.values():
        font, to_unicode = file_fonts[0], dict[int, str]()
        if font.bitmap:
            continue
        if subset and not font.used_in_forms:
            for file_font in file_fonts:
                to_unicode = {**to_unicode, **file_font.to_unicode}
        cleaned.append((font, to_unicode))
    workers = ThreadPoolExecutor(max_workers=_FONT_THREADS, thread_name_prefix="pdf-fonts")
    try:
        list(workers.map(lambda job: job[0].clean(job[1], options["hinting"]), cleaned))
        contents = {id(font.file_content): font.file_content for font, _ in cleaned}
        flated = {key: workers.submit(_flate, content) for key, content in contents.items()} if compress else {}
    finally:
        workers.shutdown(wait=False)
    for font, _ in cleaned:
        font.clean = _already_clean
    try:
        dictionary = _build_fonts_dictionary(pdf, fonts, compress, subset, options)
    finally:
        for font, _ in cleaned:
            del font.clean
    for stream in pdf.objects:  # the fonts' streams, each holding one font's bytes
        if type(stream) is pydyf.Stream and stream.compress and len(stream.stream) == 1:
            content = stream.stream[0]
            if id(content) in flated and content is contents[id(content)]:
                stream.__class__ = _FlatedStream
                stream.flated = flated[id(content)]
    return dictionary


weasyprint_pdf.build_fonts_dictionary = _build_fonts_dictionary_in_threads

# --- two costs per text box and per render (issue 19 §4, the congress report's ~1,300 table cells) -
# Profiled on the city congress report (py-spy, native frames; bench/baselines/city-render-*.md):
# - WeasyPrint 70 made a new Pango context for every layout of a text box, once to lay it out and
#   once more to draw it. A context holds only the font map, the base direction and the language, so
#   layouts of the same direction and language now share one per font configuration, as a GTK
#   widget's layouts share its context (never changed after it is made; the font configuration
#   belongs to one thread, see _Renderer).
# - Python's cyclic garbage collector ran full collections over the whole heap during a render
#   (11 % of a congress render): a render builds ~1M short-lived objects and keeps none. Automatic
#   collection is paused while WeasyPrint renders and the render's own objects (the youngest
#   generation) are collected when it ends, so a render still leaves no cyclic garbage behind.


def _pango_context(font_config: Any, direction: str, language: str | None) -> tuple[Any, Any]:
    """The shared Pango context of a font configuration for a direction and a language (BCP 47),
    with the PangoLanguage it carries."""
    contexts = font_config.__dict__.setdefault("_report_pango_contexts", {})
    key = (direction, language)
    if key not in contexts:
        context = ffi.gc(pango.pango_font_map_create_context(font_config.font_map), gobject.g_object_unref)
        pango.pango_context_set_round_glyph_positions(context, False)
        pango.pango_context_set_base_dir(context, PANGO_DIRECTION[direction])
        if language:
            language_p, _ = unicode_to_char_p(language)
            pango_language = pango.pango_language_from_string(language_p)
            pango.pango_context_set_language(context, pango_language)
        else:
            pango_language = pango.pango_language_get_default()
        contexts[key] = (context, pango_language)
    return contexts[key]  # type: ignore[no-any-return]


# A text box's layout was set up with a font description and OpenType feature settings built anew
# from its style's font properties (4,200 layouts, a few dozen distinct fonts in the city congress
# report: ~3 % of the render). They are kept per font configuration, by the properties they are
# built from; a Pango layout copies the description it is given, so one can serve every layout.
_FONT_PROPERTIES = (
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
)
_FEATURE_PROPERTIES = (
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_caps",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)


def _style_key(style: Any, names: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The values of these properties as a dictionary key; None when one cannot be (the styles of
    SVG text hold lists)."""
    key = tuple(style[name] for name in names)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _font_description(style: Any) -> Any:
    key = _style_key(style, _FONT_PROPERTIES)
    if key is None:
        return get_font_description(style)
    descriptions = style.font_config.__dict__.setdefault("_report_font_descriptions", {})
    if key not in descriptions:
        descriptions[key] = get_font_description(style)
    return descriptions[key]


def _feature_settings(style: Any) -> bytes:
    """The OpenType feature settings of a style for Pango (b"" when there are none)."""
    key = _style_key(style, _FEATURE_PROPERTIES)
    cache = style.font_config.__dict__.setdefault("_report_feature_settings", {})
    if key is None or key not in cache:
        features = font_features(*(style[name] for name in _FEATURE_PROPERTIES))
        settings = ",".join(f"{name} {value}" for name, value in features.items()).encode()
        if key is None:
            return settings
        cache[key] = settings
    return cache[key]  # type: ignore[no-any-return]


def _layout_setup(self: Any, style: Any) -> None:
    """WeasyPrint 70's Layout.setup with the Pango context taken from _pango_context, and the font
    description and feature settings from _font_description and _feature_settings."""
    self.style = style
    self.first_line_direction = 0
    if style["font_language_override"] != "normal":
        override = style["font_language_override"]
        language = LST_TO_ISO.get(override.lower(), override)
    else:
        language = style["lang"] or None
    pango_context, self.language = _pango_context(style.font_config, style["direction"], language)
    font_description = _font_description(style)
    self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
    pango.pango_layout_set_auto_dir(self.layout, False)
    pango.pango_layout_set_font_description(self.layout, font_description)
    if style["text_decoration_line"] != "none":
        metrics = ffi.gc(
            pango.pango_context_get_metrics(pango_context, font_description, self.language),
            pango.pango_font_metrics_unref,
        )
        self.ascent = FROM_UNITS * pango.pango_font_metrics_get_ascent(metrics)
        self.underline_position = FROM_UNITS * pango.pango_font_metrics_get_underline_position(metrics)
        self.strikethrough_position = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_position(metrics)
        self.underline_thickness = FROM_UNITS * pango.pango_font_metrics_get_underline_thickness(metrics)
        self.strikethrough_thickness = FROM_UNITS * pango.pango_font_metrics_get_strikethrough_thickness(metrics)
    else:
        self.ascent = self.underline_position = self.strikethrough_position = None
    settings = _feature_settings(style)
    if settings:
        attribute = style.font_config.font_features.setdefault(settings, pango.pango_attr_font_features_new(settings))
        attributes = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)


line_break.Layout.setup = _layout_setup

BASE_URL = "https://lawgov.invalid/"
_STATIC_HOST = urlsplit(BASE_URL).netloc


class RefusedURL(ValueError):
    """A resource a report asked for that is not on the allow-list."""


def static_roots() -> list[Path]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots if root.is_dir()]


def static_file_for(url: str) -> Path:
    """The file behind `https://lawgov.invalid/static/…`, or RefusedURL.

    The path must resolve (symlinks and `..` included) to a regular file inside a static root.
    """
    parts = urlsplit(url)
    prefix = settings.STATIC_URL
    if parts.scheme != "https" or parts.netloc != _STATIC_HOST or not parts.path.startswith(prefix):
        raise RefusedURL(f"报告只能引用本系统的静态文件 (refused: {url[:200]})")
    relative = unquote(parts.path[len(prefix) :])
    for root in static_roots():
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    raise RefusedURL(f"静态文件不存在或不在允许的目录中 (refused: {url[:200]})")


class AllowListURLFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """Serves `data:` URLs and the project's static files; refuses every other URL.

    No redirects are followed and nothing is opened through urllib except `data:`, so neither
    `file:///etc/passwd` nor `http://169.254.169.254/` can be read, whatever the HTML says.
    """

    def __init__(self) -> None:
        super().__init__(timeout=3, allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        try:
            path = static_file_for(url)
        except RefusedURL:
            self.refused.append(url)
            logger.warning("PDF renderer refused a resource: %s", url[:200])
            raise
        return weasyprint.urls.URLFetcherResponse(url=url, body=path.read_bytes(), headers=_content_type_for(path))


def _content_type_for(path: Path) -> dict[str, str]:
    types = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}
    return {"Content-Type": types.get(path.suffix.lower(), "application/octet-stream")}


def render_html(template_name: str, context: dict[str, Any]) -> str:
    """The report as HTML: what the browser preview shows and what WeasyPrint lays out."""
    return render_to_string(template_name, {**context, "is_pdf": False})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


# --- render time ----------------------------------------------------------------------------------
# Measured on the city reports (bench/measure/pdf.py, baseline bench/baselines/city-render-*.md), three
# costs of a warm render did not depend on the report at all:
# - WeasyPrint's user-agent stylesheet gives every element the pseudo-elements ::marker,
#   ::footnote-call, ::footnote-marker, ::note-call, ::note-marker and ::note-callback, each of
#   which then gets a computed style: two thirds of the style computations of a report. Reports
#   have no footnotes (the print stylesheet floats nothing to `footnote`) and no list items, so
#   the renderer uses WeasyPrint's own sheet with those six rules dropped (markers kept for li
#   and summary); everything else is the same sheet, so the same HTML lays out the same.
# - A new FontConfiguration per render loads fontconfig's configuration and a new Pango font map
#   that knows no font yet; one per thread keeps fonts, metrics and shaping caches warm (a
#   thread, because Pango font maps are not thread-safe and reports render in worker threads).
# - The print stylesheet was fetched and parsed for every render; it is parsed once per thread
#   and file version, and passed to WeasyPrint as parsed (the <link> stays in the HTML for the
#   browser preview and is taken out of the copy WeasyPrint parses).
_UNUSED_UA_RULES = re.compile(
    r"^::(?:marker|footnote-call|footnote-marker|note-call|note-marker|note-callback) \{.*\}$", re.M
)
_MARKER_RULE = re.compile(r"^::marker (\{.*\})$", re.M)


def report_user_agent_css() -> str:
    """WeasyPrint's HTML user-agent stylesheet without the pseudo-element rules that match every
    element: ::marker only for li and summary, no footnote or note calls and markers."""
    text = _MARKER_RULE.sub(r"li::marker, summary::marker \1", weasyprint_html.UA, count=1)
    return _UNUSED_UA_RULES.sub("", text)


_REPORT_UA = weasyprint.CSS(string=report_user_agent_css(), counter_style=CounterStyle())


class _ReportHTML(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        return [_REPORT_UA]


# A <link> to one of our static stylesheets, as the report templates write it.
_STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="(/[^"<>]+\.css)">')


@dataclass
class _Renderer:
    """What one thread keeps between renders: its font configuration and parsed stylesheets."""

    font_config: Any = field(default_factory=FontConfiguration)
    stylesheets: dict[tuple[Path, int, int], Any] = field(default_factory=dict)

    def stylesheet(self, path: Path, url: str) -> Any:
        stat = path.stat()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self.stylesheets:
            self.stylesheets = {k: v for k, v in self.stylesheets.items() if k[0] != path}
            self.stylesheets[key] = weasyprint.CSS(
                string=path.read_text(encoding="utf-8"),
                base_url=url,
                url_fetcher=AllowListURLFetcher(),
                font_config=self.font_config,
            )
        return self.stylesheets[key]

    def linked_stylesheets(self, html: str) -> tuple[str, list[Any]]:
        """The HTML without its links to our static stylesheets, and those stylesheets parsed. A
        link the fetcher would refuse stays in the HTML for WeasyPrint to refuse (and log)."""
        sheets: list[Any] = []

        def take(link: re.Match[str]) -> str:
            url = BASE_URL.rstrip("/") + link.group(1)
            try:
                path = static_file_for(url)
            except RefusedURL:
                return link.group(0)
            sheets.append(self.stylesheet(path, url))
            return ""

        return _STYLESHEET_LINK.sub(take, html), sheets


_local = threading.local()


def _renderer() -> _Renderer:
    renderer: _Renderer | None = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


# The published edition of a report (publication app): PDF/A-2a, the archival format whose level A
# requires a tagged structure (headings, paragraphs, tables, reading order) for screen readers.
ARCHIVAL_PDF_VARIANT = "pdf/a-2a"


# Whitespace before a table's own tags (rows, cells, caption, the table's parts): never drawn. CSS
# drops whitespace-only text between table parts (CSS 2.1 §17.2.1), and a cell's trailing spaces
# collapse at the end of its last line (no report style keeps spaces: no `pre`, `pre-wrap`). The HTML
# parser, though, handles each such run in its slowest state ("in table text", foster parenting
# checks), and the city congress report has ~1,300 cells: ~2 % of its render (issue 19 §4).
_WHITESPACE_BEFORE_TABLE_TAG = re.compile(r">\s+(</?(?:table|caption|colgroup|col|thead|tbody|tfoot|tr|td|th)\b)")


def without_table_whitespace(html: str) -> str:
    return _WHITESPACE_BEFORE_TABLE_TAG.sub(r">\1", html)


def html_to_pdf(html: str, *, fetcher: AllowListURLFetcher | None = None, archival: bool = False) -> RenderedPdf:
    """`archival`: a tagged PDF/A (ARCHIVAL_PDF_VARIANT) instead of a plain PDF."""
    fetcher = fetcher or AllowListURLFetcher()
    renderer = _renderer()
    html, stylesheets = renderer.linked_stylesheets(without_table_whitespace(html))
    options: dict[str, Any] = {"pdf_variant": ARCHIVAL_PDF_VARIANT, "pdf_tags": True} if archival else {}
    with collector_paused():
        return _render(html, fetcher, renderer, stylesheets, options)


def _render(
    html: str, fetcher: AllowListURLFetcher, renderer: _Renderer, stylesheets: list[Any], options: dict[str, Any]
) -> RenderedPdf:
    # The laid-out document goes out of scope on return, so a long-lived worker never holds two
    # reports' boxes at once (research/pdf-fonts.md §3: ~300 MiB peak instead of ~500 MiB).
    document = _ReportHTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        font_config=renderer.font_config, stylesheets=stylesheets
    )
    return RenderedPdf(content=document.write_pdf(**options), page_count=len(document.pages))


def render_pdf_document(
    template_name: str, context: dict[str, Any], *, fetcher: AllowListURLFetcher | None = None, archival: bool = False
) -> RenderedPdf:
    html = render_to_string(template_name, {**context, "is_pdf": True})
    return html_to_pdf(html, fetcher=fetcher, archival=archival)


def render_pdf(template_name: str, context: dict[str, Any], *, fetcher: AllowListURLFetcher | None = None) -> bytes:
    """Render a report template to PDF bytes with the allow-list fetcher (pass one to see what it
    refused)."""
    return render_pdf_document(template_name, context, fetcher=fetcher).content
