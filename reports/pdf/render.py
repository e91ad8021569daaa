"""HTML → PDF bytes: the renderer a thread keeps between renders, and the entry points."""

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import weasyprint
from django.template.loader import render_to_string
from weasyprint import html as weasyprint_html
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import ensure_url

from assessments.excel.collector import collector_paused

from .cascade import ReportElementWrapper, stylesheet_with_guarded_selectors
from .cycles import cycles_broken_at_the_end
from .fetcher import BASE_URL, AllowListURLFetcher, RefusedURL, static_file_for
from .parsing import parse_html


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


_REPORT_UA = stylesheet_with_guarded_selectors(string=report_user_agent_css(), counter_style=CounterStyle())


class _ReportHTML(weasyprint.HTML):  # type: ignore[misc]  # WeasyPrint has no type hints
    def __init__(self, *, string: str, base_url: str, url_fetcher: AllowListURLFetcher | None = None) -> None:
        """WeasyPrint's HTML(string=…), parsed by parse_html: the tree tinyhtml5 would build, most
        often built by expat (reports/pdf/parsing.py), its elements wrapped once (cascade.py)."""
        root = parse_html(string)
        self.base_url = weasyprint._find_base_url(root, ensure_url(base_url))
        self.url_fetcher = url_fetcher or AllowListURLFetcher()
        self.media_type = "print"
        self.wrapper_element = ReportElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

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


# Python's cyclic garbage collector ran full collections over the whole heap during a render
# (11 % of a congress render): a render builds ~1M short-lived objects and keeps none. Automatic
# collection is paused while WeasyPrint renders and the render's own objects (the youngest
# generation) are collected when it ends, so a render still leaves no cyclic garbage behind.
def html_to_pdf(html: str, *, fetcher: AllowListURLFetcher | None = None, archival: bool = False) -> RenderedPdf:
    """`archival`: a tagged PDF/A (ARCHIVAL_PDF_VARIANT) instead of a plain PDF."""
    fetcher = fetcher or AllowListURLFetcher()
    renderer = _renderer()
    html, stylesheets = renderer.linked_stylesheets(without_table_whitespace(html))
    options: dict[str, Any] = {"pdf_variant": ARCHIVAL_PDF_VARIANT, "pdf_tags": True} if archival else {}
    with collector_paused(), cycles_broken_at_the_end():
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
