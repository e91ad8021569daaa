"""The permission matrix: role × URL name × method × object → expected HTTP status.

Every URL of the product has a row here; tests/test_permission_matrix.py walks all of them and a
meta-test fails when a URL has none. Objects are named after the cast in conftest.py: `dept_a`
belongs to staff_a and lies outside reviewer_scoped's branch; `dept_b` belongs to staff_b.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

ROLES = ("anonymous", "staff_a", "staff_b", "reviewer", "reviewer_scoped", "congress", "admin")

LOGIN = 302  # anonymous users are sent to the login page


def everyone(status: int, **overrides: int) -> dict[str, int]:
    expected = {role: status for role in ROLES if role != "anonymous"}
    expected["anonymous"] = LOGIN
    expected.update(overrides)
    return expected


@dataclass(frozen=True)
class Row:
    url_name: str
    expected: dict[str, int]
    method: str = "GET"
    target: str | None = None  # a Cast attribute whose pk goes into the URL
    kwargs: Callable | None = None  # cast -> URL kwargs, when `target` is not enough
    data: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.url_name}" + (f" [{self.target}]" if self.target else "")


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
