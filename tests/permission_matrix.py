"""The permission matrix: role × URL name × method × object → expected HTTP status.

Every URL of the product has a row here for every method its view accepts; tests/test_permission_matrix.py
walks all of them and a meta-test fails when a (URL, method) pair has none. Objects are named after
the cast in conftest.py: `dept_a` belongs to staff_a and lies outside reviewer_scoped's branch;
`dept_b` belongs to staff_b.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.urls import reverse

ROLES = ("anonymous", "staff_a", "staff_b", "reviewer", "reviewer_scoped", "congress", "admin", "provider")

LOGIN = 302  # anonymous users are sent to the login page

UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """`status` for every signed-in role but those overridden; anonymous users go to the login page.

    The provider (a 数据提供单位's user, issue 20) has no return and no unit of its own to report on:
    unless a row names it, it is refused wherever the staff of either cast department is refused
    (404 first, as for an object outside its scope, then 403) and otherwise answered as everyone."""
    expected = {role: status for role in ROLES if role not in ("anonymous", "provider")}
    expected["anonymous"] = LOGIN
    expected.update({role: code for role, code in overrides.items() if role != "provider"})
    staff = (expected["staff_a"], expected["staff_b"])
    default = 404 if 404 in staff else (403 if 403 in staff else status)
    expected["provider"] = overrides.get("provider", default)
    return expected


@dataclass(frozen=True)
class Row:
    url_name: str
    expected: dict[str, int]
    method: str = "GET"
    target: str | None = None  # a Cast attribute whose pk goes into the URL
    kwargs: Callable | None = None  # cast -> URL kwargs, when `target` is not enough
    # The request body: a dict, or `(cast, url_kwargs) -> dict` when it names objects the row made
    # (called afresh for every request, so uploaded files are never half-read; it must not write).
    data: dict | Callable = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}" + (f" [{self.target}]" if self.target else "")

    @property
    def is_unsafe(self) -> bool:
        return self.method in UNSAFE_METHODS


@dataclass(frozen=True)
class Target:
    """A row made concrete for one test: its objects exist and its URL is reversed."""

    row: Row
    cast: object
    url_kwargs: dict
    url: str

    def data(self) -> dict:
        data = self.row.data
        return dict(data(self.cast, self.url_kwargs)) if callable(data) else dict(data)


def target(row: Row, cast) -> Target:
    """Creates the row's objects (once) and reverses its URL."""
    if row.kwargs:
        url_kwargs = row.kwargs(cast)
    elif row.target:
        url_kwargs = {"pk": getattr(cast, row.target).pk}
    else:
        url_kwargs = {}
    return Target(row=row, cast=cast, url_kwargs=url_kwargs, url=reverse(row.url_name, kwargs=url_kwargs or None))


# What a template prints for a missing value or a broken tag: "已回头看 None 于 2025年11月20日".
RAW_VALUE = re.compile(r"(?<![A-Za-z_])(None|nan|NaN)(?![A-Za-z_])|\{\{|\}\}")


def raw_values(response) -> list[str]:
    """The raw None/nan/{{/}} an HTML page shows, each with some context; [] for other answers."""
    if "html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return []
    body = response.content.decode().split("<body", 1)[-1]
    return sorted({body[max(0, m.start() - 60) : m.end() + 20].replace("\n", " ") for m in RAW_VALUE.finditer(body)})


def _all_rows() -> list[Row]:
    """Each app keeps its rows in tests/<app>/permission_rows.py (ROWS), so apps grow independently."""
    rows: list[Row] = []
    for module_path in sorted(Path(__file__).parent.glob("*/permission_rows.py")):
        module = import_module(f"tests.{module_path.parent.name}.permission_rows")
        rows.extend(module.ROWS)
    return rows


ROWS: list[Row] = _all_rows()

# URL names the matrix need not list one by one: the rest of the admin site follows the rows
# above (admin_view() guards every admin URL the same way).
EXEMPT_PREFIXES = ("admin:",)
