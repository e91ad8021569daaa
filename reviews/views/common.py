"""Helpers shared by the review views: role gates, the Chinese refusal, file responses."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseForbidden

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


PREVIEWABLE = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def stored_file_response(field_file, *, filename: str, inline: bool) -> FileResponse:
    """A file of ours (adjustment or appeal evidence) through an authorising view: nosniff, a
    sandbox policy, no caching; inline only for PDF and images."""
    if not field_file:
        raise Http404("没有佐证材料")
    suffix = "." + field_file.name.rsplit(".", 1)[-1].lower() if "." in field_file.name else ""
    content_type = PREVIEWABLE.get(suffix, "application/octet-stream")
    is_inline = inline and suffix in PREVIEWABLE
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    response = FileResponse(handle, as_attachment=not is_inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    is_pdf = is_inline and content_type == "application/pdf"
    response["Content-Security-Policy"] = (
        "default-src 'none'; object-src 'self'" if is_pdf else "sandbox; default-src 'none'; img-src 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    return response
