"""The fingerprint of a report: what its file was made from, so a file is served as current only when
its fingerprint is the one the report would have now (issue 19 §5).

A report's inputs are spread over a dozen tables (the return and its values and narratives, last
year's return, the framework and its relations, score sheets and their publication, the congress
year's surveys, the 报告稿, unit names …), several written by bulk UPDATEs that touch no timestamp.
A fingerprint made of per-table timestamps and counts would have to list every one of them and stay
right as the builders change. So the fingerprint hashes what the file is drawn from instead: the
built `ReportDocument` (every word, figure, table and chart the templates lay out, the 报告稿 laid
over it, and the facts the 报告体检 checks), last year's published figures (the 上年基数 check), and
the version of the code that turns a document into files (templates, print CSS, the reports package,
WeasyPrint, pygal, python-docx). Any input that changes the output changes the document, hence the
fingerprint; an input that does not (a reviewer's comment) leaves it alone. Building costs one
selector and one pure builder (tens of milliseconds at city scale, bench `report_build`), not a render.

A render hashes the very document it renders: data that change while a report renders change the
document a new request builds, so the file keeps the old fingerprint and is never taken as current.
"""

from __future__ import annotations

import functools
import hashlib
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from django.conf import settings

from accounts.models import Department

from .document import ReportDocument
from .kinds import BuildRequest, ReportDataMissing, build_document

# pygal names each chart with a random uuid4 (its id, CSS selectors and config key) and stamps the day
# it drew it in a comment. reports/charts.py names charts by their figures and drops the comment, so
# the same figures draw the same bytes; this stays as a guard for any chart drawn another way: a name
# or a day must never count as a change.
_CHART_NOISE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|<!--Generated with pygal[^>]*-->"
)
_PACKAGES = ("weasyprint", "pygal", "python-docx")


def _code_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    reports = Path(__file__).resolve().parent
    files = [*reports.rglob("*.py"), *(base / "templates" / "reports" / "pdf").rglob("*.html")]
    files += [base / "static" / "css" / "reports-print.css"]
    return sorted(path for path in files if path.is_file() and "migrations" not in path.parts)


@functools.cache
def code_version() -> str:
    """What turns a document into files, read once per process: a deployment changes it."""
    digest = hashlib.sha256()
    for path in _code_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for package in _PACKAGES:
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()


def document_fingerprint(document: ReportDocument, *, published_last_year: dict[str, str] | None) -> str:
    # Frozen dataclasses of text, numbers, dates and tuples: their repr is the content, in order.
    content = _CHART_NOISE.sub("", repr(document))
    digest = hashlib.sha256(code_version().encode())
    digest.update(content.encode())
    digest.update(repr(sorted((published_last_year or {}).items())).encode())
    return digest.hexdigest()


def report_fingerprint(*, kind: str, year: int, department: Department | None, options: dict[str, Any]) -> str | None:
    """The fingerprint the report of this scope would have now; None when its data are missing (a
    request then queues a run, which fails with the reason)."""
    from .selectors import published_snapshot

    try:
        document = build_document(BuildRequest(kind=kind, year=year, department=department, options=dict(options)))
    except ReportDataMissing:
        return None
    return document_fingerprint(
        document, published_last_year=published_snapshot(kind=kind, year=year - 1, department=department)
    )
