import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .permission_matrix import EXEMPT_PREFIXES, ROLES, ROWS, Row


def _url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _url(row: Row, cast) -> str:
    if row.kwargs:
        return reverse(row.url_name, kwargs=row.kwargs(cast))
    if row.target:
        return reverse(row.url_name, kwargs={"pk": getattr(cast, row.target).pk})
    return reverse(row.url_name)


def test_every_url_has_a_row_in_the_permission_matrix():
    covered = {row.url_name for row in ROWS}
    missing = {name for name in _url_names() if name not in covered and not name.startswith(EXEMPT_PREFIXES)}
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"


def test_every_matrix_row_names_every_role():
    incomplete = [row.id for row in ROWS if set(row.expected) != set(ROLES)]
    assert not incomplete


# Tables a GET may legitimately write: the session (idle-timeout refresh), login bookkeeping and
# the audit log (cross-department reads and refusals are recorded; audit/).
ALLOWED_GET_WRITE_TABLES = {
    "django_session",
    "accounts_user",
    "axes_accessattempt",
    "axes_accesslog",
    "audit_auditevent",
}
WRITE_SQL = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _written_tables(queries) -> set[str]:
    return {
        match.group(1)
        for query in queries
        if (match := WRITE_SQL.match(query["sql"])) and match.group(1) not in ALLOWED_GET_WRITE_TABLES
    }


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(row, cast, client):
    """Each role gets the expected status; a GET also never writes (ASVS: no state change on GET)."""
    url = _url(row, cast)
    outcomes = {}
    get_writes = {}
    for role in ROLES:
        client.logout()
        user = cast.user(role)
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, row.method.lower())(url, data=row.data)
        outcomes[role] = response.status_code
        if row.method == "GET" and (tables := _written_tables(queries.captured_queries)):
            get_writes[role] = sorted(tables)
    assert outcomes == row.expected
    assert get_writes == {}
