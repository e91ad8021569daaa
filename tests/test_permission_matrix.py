import inspect
import re
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from .permission_matrix import EXEMPT_PREFIXES, ROLES, ROWS, Row, raw_values, target

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# A view body that looks at any of these treats an unsafe request differently from a GET.
READS_BODY = re.compile(r"\brequest\.(?:POST|FILES|body|method|data)\b")
PROJECT_APPS = ("accounts", "assessments", "audit", "congress", "indicators", "reports", "reviews", "lawgov")


def _views(resolver=None, namespace: str = ""):
    """(URL name, view callable) for every named URL."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _url_names() -> set[str]:
    return {name for name, _ in _views()}


def _declared_methods(view) -> set[str] | None:
    """The list given to require_http_methods (require_POST, require_GET, …), found in the closure
    of one of the view's decorators; None when no decorator restricts the method."""
    function = view
    while function is not None:
        for cell in function.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, list | tuple) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return {method for method in value if method in HTTP_METHODS}
        function = getattr(function, "__wrapped__", None)
    return None


def _reads_request_body(function, seen: set | None = None) -> bool:
    """Whether the function, or a function of ours it calls by name, reads the body or the method."""
    seen = set() if seen is None else seen
    if function in seen:
        return False
    seen.add(function)
    if READS_BODY.search(inspect.getsource(function)):
        return True
    module = sys.modules[function.__module__]
    for name in function.__code__.co_names:
        helper = getattr(module, name, None)
        if (
            inspect.isfunction(helper)
            and helper.__module__.split(".")[0] in PROJECT_APPS
            and _reads_request_body(helper, seen)
        ):
            return True
    return False


def accepted_methods(view) -> set[str]:
    """The methods a view handles. A class-based view: the handlers it defines. A function view:
    what its require_http_methods decorator allows, or else GET plus POST when its body reads the
    request body or method (one that never looks answers a POST exactly as a GET)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return {m.upper() for m in view_class.http_method_names if m.upper() in HTTP_METHODS and hasattr(view_class, m)}
    declared = _declared_methods(view)
    if declared is not None:
        return declared
    return {"GET", "POST"} if _reads_request_body(inspect.unwrap(view)) else {"GET"}


def _required_pairs() -> set[tuple[str, str]]:
    return {
        (name, method)
        for name, view in _views()
        if not name.startswith(EXEMPT_PREFIXES)
        for method in accepted_methods(view)
    }


def test_every_url_has_a_row_in_the_permission_matrix():
    covered = {row.url_name for row in ROWS}
    missing = {name for name in _url_names() if name not in covered and not name.startswith(EXEMPT_PREFIXES)}
    assert not missing, f"URLs without a permission-matrix row: {sorted(missing)}"


def test_every_method_a_view_accepts_has_a_row_in_the_permission_matrix():
    covered = {(row.url_name, row.method) for row in ROWS}
    missing = sorted(_required_pairs() - covered)
    assert not missing, f"(URL, method) pairs without a permission-matrix row: {missing}"


def test_the_method_finder_reads_decorators_class_views_and_view_bodies():
    """The guard of the meta-test above: each way a view declares its methods is recognised."""
    views = dict(_views())
    assert accepted_methods(views["congress:year_finalise"]) == {"POST"}  # require_POST
    assert accepted_methods(views["assessments:value_save"]) == {"GET", "POST"}  # require_http_methods
    assert accepted_methods(views["reports:run_download"]) == {"GET"}  # require_GET
    assert accepted_methods(views["accounts:logout"]) == {"POST"}  # LogoutView
    assert accepted_methods(views["accounts:password_change"]) == {"GET", "POST", "PUT"}  # a FormView: put() posts
    assert accepted_methods(views["congress:activity_create"]) == {"GET", "POST"}  # request.POST in a helper
    assert accepted_methods(views["congress:index"]) == {"GET"}  # never looks at the body


def _first_rows() -> list[Row]:
    first: dict[str, Row] = {}
    for row in ROWS:
        first.setdefault(row.url_name, row)
    return [row for name, row in sorted(first.items()) if not name.startswith(EXEMPT_PREFIXES)]


def unaccepted_methods(view) -> list[str]:
    """The methods a view does not accept, of those a browser or a script would send: POST or GET,
    else PUT and DELETE (a view taking GET and POST is still asked something)."""
    outside = sorted({"GET", "POST"} - accepted_methods(view))
    return outside or sorted({"PUT", "DELETE"} - accepted_methods(view))


@pytest.mark.parametrize("row", _first_rows(), ids=lambda row: row.url_name)
def test_a_method_outside_what_a_view_accepts_is_refused_or_answered_as_a_get(row, cast, client):
    """Checks the method finder against the running views: a method it says a view does not accept
    answers 405, or — for an unrestricted view that never reads the body — exactly what a GET does."""
    view = dict(_views())[row.url_name]
    methods = unaccepted_methods(view)
    assert methods, "every view is asked at least one method it does not accept"
    page = target(row, cast)
    if not getattr(view, "view_initkwargs", {}).get("redirect_authenticated_user"):
        client.force_login(cast.admin)  # the login page sends a signed-in user on whatever the method
    for method in methods:
        response = getattr(client, method.lower())(page.url)
        if _declared_methods(view) is not None or getattr(view, "view_class", None) is not None:
            assert response.status_code == 405, method
        else:
            assert response.status_code == client.get(page.url).status_code, method


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


def _written_tables(queries, allowed=frozenset(ALLOWED_GET_WRITE_TABLES)) -> set[str]:
    return {
        match.group(1)
        for query in queries
        if (match := WRITE_SQL.match(query["sql"])) and match.group(1) not in allowed
    }


def _url(row: Row, cast) -> str:
    """Kept for callers that need only the URL (the row's objects are made on the way)."""
    return target(row, cast).url


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_permission_matrix(row, cast, client):
    """Each role gets the expected status; a GET also never writes (ASVS: no state change on GET)."""
    page = target(row, cast)
    outcomes = {}
    get_writes = {}
    raw_shown = {}
    for role in ROLES:
        client.logout()
        user = cast.user(role)
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, row.method.lower())(page.url, data=page.data())
        outcomes[role] = response.status_code
        if row.method == "GET" and (tables := _written_tables(queries.captured_queries)):
            get_writes[role] = sorted(tables)
        if row.method == "GET" and response.status_code == 200 and (raw := raw_values(response)):
            raw_shown[role] = raw
    assert outcomes == row.expected
    assert get_writes == {}
    assert raw_shown == {}  # no page prints None, nan, {{ or }} (tests/test_no_raw_values.py: the demo city)
