"""Helpers shared by the review views: role gates, the Chinese refusal, form errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden

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
