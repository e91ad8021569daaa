"""Helpers shared by the review views: role gates, the Chinese refusal, form errors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Page, Paginator
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


class _CountedPaginator(Paginator):
    """A paginator told its count by the query that read the page (selectors.audit_log)."""

    def __init__(self, count: int, per_page: int):
        super().__init__((), per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count


def _page_number(value: str | None) -> int:
    """What Paginator.get_page makes of ?audit_page=: not a whole number → the first page."""
    try:
        return int(value or "")
    except ValueError:
        return 1


def audit_page(request, *, department_id: int, year: int) -> tuple[Page, list[selectors.RescoreNotice]]:
    """One page of a unit's 审核记录, turned with ?audit_page= so the page's own list stays put, and the
    unit's 得分变动说明, read together. A page past either end shows the last, as Paginator.get_page does."""
    number = _page_number(request.GET.get("audit_page"))
    log = selectors.audit_log(department_id=department_id, year=year, page=number, per_page=AUDIT_ENTRIES_PER_PAGE)
    paginator = _CountedPaginator(log.total, AUDIT_ENTRIES_PER_PAGE)
    try:
        paginator.validate_number(number)
    except EmptyPage:
        number = paginator.num_pages
        log = selectors.audit_log(department_id=department_id, year=year, page=number, per_page=AUDIT_ENTRIES_PER_PAGE)
    return Page(log.entries, number, paginator), log.rescore_notices


def form_errors(form) -> str:
    return "；".join(str(error) for errors in form.errors.values() for error in errors)
