"""HTML → PDF bytes. The only package that imports WeasyPrint.

- `fetcher`: what a report may load (the project's static files and `data:` URLs, nothing else);
- `render`: the entry points and what a thread keeps between renders;
- `parsing`: the HTML parsed into the tree WeasyPrint's parser builds, by expat when that is proved
  to give the same tree;
- `box_tree`, `cascade`, `cycles`, `justification`, `text_layout`, `line_breaking`, `layout_boxes`, `percentages`,
  `tables`, `fonts`, `drawing`: changes to WeasyPrint 70, each with the measurement or the typesetting
  rule that asked for it. They take effect when this package is imported, before any report is
  rendered.
"""

# Importing these modules installs their changes to WeasyPrint.
from . import (  # noqa: F401
    box_tree,
    cycles,
    drawing,
    fonts,
    justification,
    layout_boxes,
    line_breaking,
    percentages,
    tables,
    text_layout,
)
from .fetcher import BASE_URL, AllowListURLFetcher, RefusedURL, static_file_for, static_roots
from .render import (
    ARCHIVAL_PDF_VARIANT,
    RenderedPdf,
    html_to_pdf,
    render_html,
    render_pdf,
    render_pdf_document,
    report_user_agent_css,
    without_table_whitespace,
)

__all__ = [
    "ARCHIVAL_PDF_VARIANT",
    "BASE_URL",
    "AllowListURLFetcher",
    "RefusedURL",
    "RenderedPdf",
    "html_to_pdf",
    "render_html",
    "render_pdf",
    "render_pdf_document",
    "report_user_agent_css",
    "static_file_for",
    "static_roots",
    "without_table_whitespace",
]
