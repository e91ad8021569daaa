"""Helpers shared by the review views: role gates, the Chinese refusal, file responses."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseForbidden

from assessments.file_types import ALLOWED_KINDS
from assessments.services.errors import ReturnActionError

from ..permissions import can_use_workbench


def require_workbench(request) -> None:
    if not can_use_workbench(request.user):
        raise PermissionDenied("审核工作台仅供审核员和系统管理员使用。")


def refuse(request, error: ReturnActionError):
    """A refused action: 403 with the message (htmx shows it), or a flash message for a redirect."""
    messages.error(request, error.message)


def forbidden(message: str) -> HttpResponseForbidden:
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def form_errors(form) -> str:
    return "；".join(str(error) for errors in form.errors.values() for error in errors)


# Shown in the browser when asked (?inline=1); everything else, and every file stored before its
# type was detected (empty type), only downloads. Never HTML, SVG or anything a browser would run.
PREVIEWABLE_TYPES = frozenset(kind.content_type for kind in ALLOWED_KINDS if kind.is_previewable)
DOWNLOAD_ONLY = "application/octet-stream"


def stored_file_response(field_file, *, filename: str, content_type: str, inline: bool) -> FileResponse:
    """A file of ours (adjustment or appeal evidence) through an authorising view, typed by what its
    content was detected to be at upload: nosniff, a sandbox policy, no caching, the user's name as
    an RFC 6266 `filename*`; inline only for PDF and images."""
    if not field_file:
        raise Http404("没有佐证材料")
    is_known = content_type in {kind.content_type for kind in ALLOWED_KINDS}
    content_type = content_type if is_known else DOWNLOAD_ONLY
    is_inline = inline and content_type in PREVIEWABLE_TYPES
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(
        handle, as_attachment=not is_inline, filename=filename or "佐证材料", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Chromium will not show a PDF inside a sandbox, so an inline PDF gets a policy that forbids
    # everything but the viewer instead.
    is_pdf = is_inline and content_type == "application/pdf"
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'" if is_pdf else "sandbox; default-src 'none'; img-src 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
