"""Text layout: one Pango context per font configuration, direction and language, and the font
description of a style made once (issue 19 §4)."""

from typing import Any

from weasyprint.text import line_break
from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
from weasyprint.text.fonts import font_features, get_font_description

# --- a cost per text box (issue 19 §4, the congress report's ~1,300 table cells) -------------------
# Profiled on the city congress report (py-spy, native frames; bench/baselines/city-render-*.md):
# - WeasyPrint 70 made a new Pango context for every layout of a text box, once to lay it out and
#   once more to draw it. A context holds only the font map, the base direction and the language, so
#   layouts of the same direction and language now share one per font configuration, as a GTK
#   widget's layouts share its context (never changed after it is made; the font configuration
#   belongs to one thread, see _Renderer).


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


# Layout.setup runs for every first line laid out and again for every text box drawn (~3,500 times
# in a warm city congress render, for ~170 style objects): working out the context, language, font
# description and feature settings from the style's properties each time (two tuples of 7 and 8
# properties built and hashed, four dictionaries) was two thirds of its instructions (callgrind,
# libpython 118 M of Layout.setup's 178 M). They are worked out once per style object and kept on it:
# a computed style's values do not change once read, and WeasyPrint copies a style before changing
# one (::first-line, ::first-letter, character_ratio).
def _style_layout(style: Any) -> tuple[Any, Any, Any, bytes]:
    """The Pango context, PangoLanguage, font description and feature settings of a style."""
    if style["font_language_override"] != "normal":
        override = style["font_language_override"]
        language = LST_TO_ISO.get(override.lower(), override)
    else:
        language = style["lang"] or None
    pango_context, pango_language = _pango_context(style.font_config, style["direction"], language)
    return pango_context, pango_language, _font_description(style), _feature_settings(style)


def _layout_setup(self: Any, style: Any) -> None:
    """WeasyPrint 70's Layout.setup with the Pango context taken from _pango_context, and the font
    description and feature settings from _font_description and _feature_settings, once per style."""
    self.style = style
    self.first_line_direction = 0
    known = style.__dict__.get("_report_layout")
    if known is None:
        known = style.__dict__["_report_layout"] = _style_layout(style)
    pango_context, self.language, font_description, settings = known
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
    if settings:
        attribute = style.font_config.font_features.setdefault(settings, pango.pango_attr_font_features_new(settings))
        attributes = pango.pango_attr_list_new()
        pango.pango_attr_list_insert(attributes, attribute)
        pango.pango_layout_set_attributes(self.layout, attributes)


line_break.Layout.setup = _layout_setup
