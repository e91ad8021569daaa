"""The page shown when django-axes refuses a login, saying what is locked.

Logins are locked per account and per address (AXES_LOCKOUT_PARAMETERS = username, ip_address):
ten failures for one account lock that account from everywhere; ten failures from one address lock
that address for every account. Telling a user "该账号已被暂时锁定" when it is their office's shared
address that is locked (issue 18 §4) sends them to reset a password that is fine.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def locked_parameters(request, credentials) -> set[str]:
    """Which of AXES_LOCKOUT_PARAMETERS ("username", "ip_address") reached the failure limit."""
    handler = AxesProxyHandler.get_implementation()
    get_attempts = getattr(handler, "get_user_attempts", None)
    if get_attempts is None:  # a handler without stored attempts: nothing to tell apart
        return set()
    limit = get_failure_limit(request, credentials)
    # axes builds one query per parameter, in the order of the setting.
    attempts = get_attempts(request, credentials)
    parameters = [p if isinstance(p, str) else "+".join(p) for p in settings.AXES_LOCKOUT_PARAMETERS]
    return {name for name, queryset in zip(parameters, attempts, strict=False) if _failures(queryset) >= limit}


def locked_out(request, original_response=None, credentials=None):
    locked = locked_parameters(request, credentials)
    context = {
        "account_locked": "username" in locked,
        "address_locked": "ip_address" in locked,
        "cooloff_timedelta": get_cool_off(request),
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
