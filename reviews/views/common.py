"""Helpers shared by the review views: role gates, the Chinese refusal, form errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpResponseForbidden

from assessments.services.errors import ReturnActionError

from .. import selectors
from ..permissions import can_use_workbench

AUDIT_ENTRIES_PER_PAGE = 20


def require_workbench(request) -> None:
    if not can_use_workbench(request.user):
        raise PermissionDenied("审核工作台仅供审核员和系统管理员使用。")


def refuse(request, error: ReturnActionError):
    """A refused action: 403 with the message (htmx shows it), or a flash message for a redirect."""
    messages.error(request, error.message)


def forbidden(message: str) -> HttpResponseForbidden:
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")


def audit_page(request, *, department_id: int, year: int) -> Page:
    """One page of a unit's 审核记录, turned with ?audit_page= so the page's own list stays put."""
    entries = selectors.audit_entries(department_id=department_id, year=year)
    return Paginator(entries, AUDIT_ENTRIES_PER_PAGE).get_page(request.GET.get("audit_page"))


def form_errors(form) -> str:
    return "；".join(str(error) for errors in form.errors.values() for error in errors)
