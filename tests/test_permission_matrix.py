import pytest
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


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(row, cast, client):
    url = _url(row, cast)
    outcomes = {}
    for role in ROLES:
        client.logout()
        user = cast.user(role)
        if user is not None:
            client.force_login(user)
        response = getattr(client, row.method.lower())(url, data=row.data)
        outcomes[role] = response.status_code
    assert outcomes == row.expected
