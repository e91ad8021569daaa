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
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import TO_UNITS, ffi, pango, unicode_to_char_p

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


def html_to_pdf(html: str, *, fetcher: AllowListURLFetcher | None = None) -> RenderedPdf:
    fetcher = fetcher or AllowListURLFetcher()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    # The laid-out document goes out of scope on return, so a long-lived worker never holds two
    # reports' boxes at once (research/pdf-fonts.md §3: ~300 MiB peak instead of ~500 MiB).
    return RenderedPdf(content=document.write_pdf(), page_count=len(document.pages))


def render_pdf_document(
    template_name: str, context: dict[str, Any], *, fetcher: AllowListURLFetcher | None = None
) -> RenderedPdf:
    html = render_to_string(template_name, {**context, "is_pdf": True})
    return html_to_pdf(html, fetcher=fetcher)


def render_pdf(template_name: str, context: dict[str, Any], *, fetcher: AllowListURLFetcher | None = None) -> bytes:
    """Render a report template to PDF bytes with the allow-list fetcher (pass one to see what it
    refused)."""
    return render_pdf_document(template_name, context, fetcher=fetcher).content
