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
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings

logger = logging.getLogger(__name__)

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
