"""Read-only views answer an unsafe method with 405 (issue 18 §4; ASVS 5.0 3.5.3): generated from
the permission matrix, every URL whose rows are all GET — a page or a download, nothing it changes —
is sent a POST (CSRF token and all, as a signed-in administrator, who may open every page) and must
refuse it, rather than answer it as if it were a GET."""

import pytest

from tests.permission_matrix import EXEMPT_PREFIXES, ROWS, Row, target

from .test_permission_matrix import _views, accepted_methods


def _get_only_rows() -> list[Row]:
    methods: dict[str, set[str]] = {}
    first: dict[str, Row] = {}
    for row in ROWS:
        if row.url_name.startswith(EXEMPT_PREFIXES):
            continue
        methods.setdefault(row.url_name, set()).add(row.method)
        first.setdefault(row.url_name, row)
    return [first[name] for name in sorted(methods) if methods[name] == {"GET"}]


GET_ONLY = _get_only_rows()


def test_the_generated_list_is_not_empty_and_matches_the_views():
    views = dict(_views())
    assert len(GET_ONLY) > 30
    assert all(accepted_methods(views[row.url_name]) == {"GET"} for row in GET_ONLY)


@pytest.mark.parametrize("row", GET_ONLY, ids=lambda row: row.url_name)
def test_a_read_only_url_answers_post_with_405(row, cast, client):
    page = target(row, cast)
    client.force_login(cast.admin)
    assert client.post(page.url).status_code == 405
