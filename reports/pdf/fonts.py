"""Fonts in the PDF: read from HarfBuzz's blob on demand, subset in one HarfBuzz pass where one
is enough, subset and compressed in two threads beside the render (issue 19 §4)."""

import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pydyf
from weasyprint import pdf as weasyprint_pdf
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, harfbuzz

# --- the font file, read only when asked for --------------------------------------------------------
# Measured with a sampling profiler on the city reports (bench/baselines/city-render-*.md): every
# font a PDF uses was copied whole from its file into Python before subsetting: Noto CJK and AR PL
# UKai are 17–27 MB each, ~100 MB copied per report (~5 % of the render, and the peak memory).
# HarfBuzz subsets from the font's face, not from that copy, so the copy is made only when something
# reads it (WeasyPrint's fontTools fallback, variable or colour fonts).
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
