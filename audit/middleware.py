"""Refused access is logged (ASVS 5.0 16.3.2): every 403, and every 404 of a URL that resolved to
one of our views for a signed-in user — that is a scoped lookup saying no (`get_object_or_404` on
`departments_for_user`). Unknown URLs and anonymous visitors (sent to the login page) are not."""

import logging

from django.db import DatabaseError

from .models import AuditEvent
from .services import audit_record

logger = logging.getLogger("lawgov.audit")


class AccessDeniedAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404) and self._is_scoped_refusal(request, response):
            try:
                audit_record(
                    action=AuditEvent.Action.DENIED,
                    user=request.user,
                    object_type=request.resolver_match.view_name,
                    object_id=_first_pk(request.resolver_match.kwargs),
                    after={"method": request.method},
                    request=request,
                    status=response.status_code,
                )
            except DatabaseError:
                # The refusal stands whatever happens to its log line; the log line goes to the logs.
                logger.exception("could not record a refused access to %s", request.path)
        return response

    @staticmethod
    def _is_scoped_refusal(request, response) -> bool:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return False
        return response.status_code == 403 or bool(match.kwargs)


def _first_pk(kwargs: dict) -> str:
    for key in ("pk", "indicator_pk", "year"):
        if key in kwargs:
            return str(kwargs[key])
    return ""
