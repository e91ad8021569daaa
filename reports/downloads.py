"""File responses for reports: attachment only, with the Chinese file name per RFC 6266/5987."""

import re
from urllib.parse import quote

from django.http import FileResponse

UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def content_disposition(filename: str) -> str:
    """`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.

    Old clients read the plain ASCII name; every current browser (and WPS/Office download managers)
    reads `filename*`, so the user saves 《…报告》 under its Chinese title.
    """
    filename = UNSAFE_IN_FILENAME.sub("_", filename)
    stem, dot, extension = filename.rpartition(".")
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("_") or "report"
    return f"attachment; filename=\"{fallback}{dot}{extension}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_response(file, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(file, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
