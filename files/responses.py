"""Every file the application hands out goes through `file_response`.

Django's FileResponse writes Content-Disposition per RFC 6266/5987 (`filename*=utf-8''…` for a
Chinese name, which every current browser and the WPS/Office download managers read), so the user
saves 《…报告》 under its own title. On top of that, each response carries:
- the type we decided (detected from the content at upload, or the one we generated), never one a
  browser guesses: `X-Content-Type-Options: nosniff`;
- `Content-Security-Policy: sandbox`, so even a file shown inline cannot run scripts or reach our
  origin. Chromium will not show a PDF inside a sandbox, so an inline PDF gets a policy that forbids
  everything but the viewer instead;
- no caching (`private, no-store`): these are a unit's documents, not public assets;
- `Cross-Origin-Resource-Policy: same-origin`, so other sites cannot embed them.
"""

import io

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .kinds import KNOWN_TYPES, PDF, XLSX, is_previewable

DOWNLOAD_ONLY = "application/octet-stream"
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self'"
INLINE_PDF_POLICY = "default-src 'none'; object-src 'self'"


def file_response(file, *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """`file` (an open binary file, or bytes) as a download named `filename`; shown in the browser
    instead only when `inline` is asked and the type is one a browser may show (PDF, PNG, JPG)."""
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    is_inline = inline and is_previewable(content_type)
    response = FileResponse(file, as_attachment=not is_inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        INLINE_PDF_POLICY if is_inline and content_type == PDF.content_type else SANDBOX_POLICY
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def stored_file_response(
    field_file: FieldFile, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """An uploaded file kept in storage (evidence of a return, an adjustment, an appeal). Its type is
    the one detected at upload; a type we do not know (a row stored before detection) downloads as
    bytes. 404 when there is no file, or storage lost it."""
    if not field_file:
        raise Http404("没有文件")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    content_type = content_type if content_type in KNOWN_TYPES else DOWNLOAD_ONLY
    return file_response(handle, filename=filename, content_type=content_type, inline=inline)


def xlsx_response(content: bytes, filename: str) -> FileResponse:
    """A workbook we generated (a template, an export), as a download."""
    return file_response(content, filename=filename, content_type=XLSX.content_type)
