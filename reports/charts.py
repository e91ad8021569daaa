"""Charts for reports: SVG from pygal, embedded inline (never fetched by URL).

WeasyPrint does not apply the page's stylesheet to inline SVG text, so the CJK font is set as an
attribute on the <svg> element itself (research/pdf-fonts.md §4.8). pygal's default output links
JavaScript from a CDN for tooltips; `js=[]` and `disable_xml_declaration` keep it static.

A chart carries only what is drawn. pygal adds, for its JavaScript tooltips, a <desc> per value
(four per bar), a <title> per guide and bar, and a <script> with its whole configuration; no
renderer draws them (SVG 1.1 §5.4), and with `js=[]` nothing reads them. The chart's own <title>
(the first child after <defs>) stays: a tagged PDF takes the figure's alternate text from it. WeasyPrint parsed each of
these ~200 elements twice (the HTML parser, then its SVG tree, with the chart's CSS matched on each):
about a tenth of the city congress report's render (issue 19 §4). They are dropped; the picture is
the same pixels (PDF page images compared before and after).

The same figures draw the same bytes: pygal names a chart with a random uuid4 (its id, the CSS
selectors scoped to it, its config key) and stamps the day in a comment; here the name is derived
from what the chart shows and the comment is dropped. So a chart is kept by its figures (drawing one
is ~13 ms of the congress report's build at city scale, and every click on 生成 builds the report to
fingerprint it): a report whose figures have not changed reuses the drawing.
"""

import functools
import hashlib
import re
import uuid
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import cssselect2
import pygal
import tinycss2
from defusedxml import ElementTree
from pygal.style import Style

CHART_FONT = "Noto Sans CJK SC"

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#000",
    foreground_strong="#000",
    foreground_subtle="#666",
    colors=("#1f3b73", "#b22222", "#5b7f3a", "#8a6d3b", "#555555"),
    font_family=CHART_FONT,
    label_font_family=CHART_FONT,
    major_label_font_family=CHART_FONT,
    value_font_family=CHART_FONT,
    value_label_font_family=CHART_FONT,
    title_font_family=CHART_FONT,
    legend_font_family=CHART_FONT,
    tooltip_font_family=CHART_FONT,
    label_font_size=18,
    major_label_font_size=18,
    legend_font_size=18,
    value_font_size=16,
    title_font_size=20,
)

_CONFIG = {
    "style": _STYLE,
    "js": [],
    "disable_xml_declaration": True,
    "width": 720,
    "height": 420,
    "show_legend": True,
    "legend_at_bottom": True,
    "print_values": True,
    "truncate_label": -1,
    "truncate_legend": -1,
}

_SVG_OPEN = re.compile(r"<svg\b")
_DATED_COMMENT = re.compile(r"<!--Generated with pygal[^>]*-->")
# Elements that are never drawn: tooltips' texts and the tooltips' script (text only, no child
# elements: pygal escapes what it writes in them). Not the chart's own title, right after <defs>.
_UNDRAWN = re.compile(r"<desc\b[^>]*>[^<]*</desc>|(?<!</defs>)<title>[^<]*</title>|<script\b[^>]*>[^<]*</script>")
CACHED_CHARTS = 32  # a few KiB each: the charts of the reports last built

Values = tuple[float | None, ...]
Series = tuple[tuple[str, Values], ...]


def _name(*drawn: object) -> str:
    """A chart's pygal name (uuid-shaped, as pygal's own) derived from everything it draws."""
    return str(uuid.UUID(bytes=hashlib.sha256(repr(drawn).encode()).digest()[:16], version=4))


def _finish(chart: Any, *drawn: object) -> str:  # a pygal chart (pygal has no type hints)
    chart.uuid = _name(*drawn)
    svg: str = _UNDRAWN.sub("", _DATED_COMMENT.sub("", chart.render(is_unicode=True), count=1))
    return _SVG_OPEN.sub(f'<svg font-family="{CHART_FONT}"', _without_unused_css(svg), count=1)


_STYLE_TEXT = re.compile(r'(<style type="text/css">)([^<]*)(</style>)')


def _applies(rule: Any, tree: Any) -> bool:
    """Whether an SVG renderer would apply any of `rule` to an element of `tree`, by the rules
    WeasyPrint's SVG styling uses (weasyprint/svg/css.py): declarations whose names start with "-"
    are ignored, selectors with a pseudo-element or that can never match are skipped."""
    declarations = [
        item
        for item in tinycss2.parse_blocks_contents(rule.content)
        if item.type == "declaration" and not item.name.startswith("-")
    ]
    if not declarations:
        return False
    matcher = cssselect2.Matcher()
    for selector in cssselect2.compile_selector_list(rule.prelude):
        if selector.pseudo_element is None and not selector.never_matches:
            matcher.add_selector(selector, None)
    return any(matcher.match(element) for element in tree.iter_subtree())


def _without_unused_css(svg: str) -> str:
    """The chart's stylesheet with only the rules that style one of its elements.

    pygal writes the same ~9 KB stylesheet into every chart: rules for hover, "no data" texts and
    graph kinds the chart is not, declarations only browsers read. The renderers (WeasyPrint for the
    PDF, cairosvg for the Word file's picture) parse all of it and match every selector against
    every element of the chart, twice per render with the HTML parser's pass; the stylesheet is ~4 %
    of the city congress report's render, and half its rules style nothing (issue 19 §4). A rule is
    kept if it would style an element of this chart, in its order; the drawing is the same (PDF
    bytes and the Word picture compared). At-rules, and everything from a rule
    whose selector the parser refuses onwards (the renderer stops there too), are kept as written."""
    found = _STYLE_TEXT.search(svg)
    if found is None:
        return svg
    tree = cssselect2.ElementWrapper.from_xml_root(ElementTree.fromstring(svg))
    css = ElementTree.fromstring(f"<style>{found.group(2)}</style>").text or ""
    kept: list[Any] = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    for index, rule in enumerate(rules):
        if rule.type != "qualified-rule":
            kept.append(rule)
            continue
        try:
            if _applies(rule, tree):
                kept.append(rule)
        except cssselect2.SelectorError:
            kept.extend(rules[index:])
            break
    text = xml_escape(tinycss2.serialize(kept))
    return svg[: found.start(2)] + text + svg[found.end(2) :]


def _float(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _series(series: list[tuple[str, list[Decimal | int | None]]]) -> Series:
    return tuple((name, tuple(_float(v) for v in values)) for name, values in series)


def bar_chart(
    *,
    labels: list[str],
    series: list[tuple[str, list[Decimal | int | None]]],
    unit: str = "",
    print_values: bool = True,
) -> str:
    """Vertical bars, one group per label, one colour per series (e.g. 上年 / 本年). Many narrow bars
    cannot carry their values legibly; pass print_values=False and print the figures in a table."""
    return _bar_chart(tuple(labels), _series(series), unit, print_values)


@functools.lru_cache(maxsize=CACHED_CHARTS)
def _bar_chart(labels: tuple[str, ...], series: Series, unit: str, print_values: bool) -> str:
    chart = pygal.Bar(**{**_CONFIG, "print_values": print_values}, x_label_rotation=0 if len(labels) <= 6 else 30)
    chart.x_labels = list(labels)
    chart.value_formatter = lambda v: f"{v:g}{unit}"
    for name, values in series:
        chart.add(name, list(values))
    return _finish(chart, "bar", labels, series, unit, print_values)


def horizontal_bar_chart(
    *, labels: list[str], series: list[tuple[str, list[Decimal | int | None]]], unit: str = ""
) -> str:
    """Horizontal bars: long Chinese indicator names stay readable on the left."""
    return _horizontal_bar_chart(tuple(labels), _series(series), unit)


@functools.lru_cache(maxsize=CACHED_CHARTS)
def _horizontal_bar_chart(labels: tuple[str, ...], series: Series, unit: str) -> str:
    height = 90 + 34 * len(labels) * max(1, len(series))
    # pygal measures label width with Latin metrics; CJK labels are about twice as wide.
    widest = max((len(label) for label in labels), default=0)
    chart = pygal.HorizontalBar(**{**_CONFIG, "height": height, "print_values": False, "margin_left": 9 * widest})
    # pygal draws the first label at the bottom; reversed, the chart reads top-down like the table.
    chart.x_labels = list(labels[::-1])
    chart.value_formatter = lambda v: f"{v:g}{unit}"
    for name, values in series:
        chart.add(name, list(values[::-1]))
    return _finish(chart, "horizontal bar", labels, series, unit)
