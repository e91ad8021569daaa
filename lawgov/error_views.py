import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request):
    """The 500 handler; a database outage (restart, failover) gets a friendly, retryable 503 instead.

    Django calls this inside the `except` block of the failed request, whether the database error
    came from a view or from middleware (session, authentication), so sys.exc_info() tells which.
    Neither page touches the database.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
