import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.crypto import get_random_string

from tests.permission_matrix import EXEMPT_PREFIXES, ROLES, ROWS, target
from tests.security.test_mass_assignment import ANONYMOUS_FORMS
from tests.test_permission_matrix import _written_tables


def _patterns(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_no_view_is_exempt_from_csrf_protection():
    exempt = [str(p.pattern) for p in _patterns() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []


def test_csrf_middleware_is_installed(settings):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE


# --- The sweep (ASVS 5.0 3.5.1; WSTG SESS-05): every unsafe row of the permission matrix --------

REFUSED = {403, 404, 405}
# What a refused forgery may still write: the session (the login it rides on), login throttling
# bookkeeping and the audit log (the refusal is recorded as a denial).
REFUSAL_MAY_WRITE = frozenset(
    {"django_session", "accounts_user", "axes_accessattempt", "axes_accesslog", "audit_auditevent"}
)
CSRF_PAGE_TEXT = "页面已过期"


def _allowed_roles(row) -> list[str]:
    """Roles the row lets through (anonymous only where its own answer is not the login redirect)."""
    return [
        role
        for role in ROLES
        if row.expected[role] not in REFUSED and (role != "anonymous" or row.url_name in ANONYMOUS_FORMS)
    ]


# Rows that let no role through are refusals already; a forged copy of them proves nothing more.
UNSAFE_ROWS = [
    row for row in ROWS if row.is_unsafe and not row.url_name.startswith(EXEMPT_PREFIXES) and _allowed_roles(row)
]


def _send(client, row, page, **extra):
    return getattr(client, row.method.lower())(page.url, data=page.data(), **extra)


@pytest.mark.parametrize("row", UNSAFE_ROWS, ids=lambda row: row.id)
def test_an_unsafe_request_without_a_valid_csrf_token_is_refused_and_writes_nothing(row, cast):
    """Each role the matrix lets through is refused (403, the Chinese CSRF page) without a token and
    with a wrong one, and nothing but the refusal's audit row is written; the same request with the
    right token then gets the matrix's answer, so the refusal is the token's doing."""
    page = target(row, cast)
    for role in _allowed_roles(row):
        client = Client(enforce_csrf_checks=True)
        if role != "anonymous":
            client.force_login(cast.user(role))
        secret = get_random_string(32)
        client.cookies[settings.CSRF_COOKIE_NAME] = secret
        for label, token in (("no token", None), ("wrong token", get_random_string(32))):
            headers = {"HTTP_X_CSRFTOKEN": token} if token else {}
            with CaptureQueriesContext(connection) as queries:
                response = _send(client, row, page, **headers)
            assert response.status_code == 403, (role, label)
            assert CSRF_PAGE_TEXT in response.content.decode(), (role, label)
            assert _written_tables(queries.captured_queries, REFUSAL_MAY_WRITE) == set(), (role, label)
        response = _send(client, row, page, HTTP_X_CSRFTOKEN=secret)
        assert response.status_code == row.expected[role], role
