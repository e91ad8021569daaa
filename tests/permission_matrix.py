"""The permission matrix: role × URL name × method × object → expected HTTP status.

Every URL of the product has a row here; tests/test_permission_matrix.py walks all of them and a
meta-test fails when a URL has none. Objects are named after the cast in conftest.py: `dept_a`
belongs to staff_a and lies outside reviewer_scoped's branch; `dept_b` belongs to staff_b.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

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


ROWS: list[Row] = [
    # --- shell and authentication
    Row("accounts:home", everyone(200)),
    Row("accounts:login", everyone(302, anonymous=200)),
    Row("accounts:logout", everyone(405, anonymous=405)),
    Row("accounts:logout", everyone(302, anonymous=302), method="POST"),
    Row("accounts:password_change", everyone(200)),
    Row("accounts:password_change_done", everyone(200)),
    # --- departments
    Row("accounts:department_list", everyone(200, staff_a=403, staff_b=403)),
    Row(
        "accounts:department_detail",
        everyone(200, staff_b=404, reviewer_scoped=404),
        target="dept_a",
    ),
    Row(
        "accounts:department_detail",
        everyone(200, staff_a=404),
        target="dept_b",
    ),
    # --- Django admin: only system administrators; others are sent to the admin login
    Row("admin:index", everyone(302, admin=200)),
    Row("admin:accounts_department_changelist", everyone(302, admin=200)),
    Row("admin:accounts_department_export", everyone(302, admin=200)),
    Row("admin:accounts_department_import", everyone(302, admin=200)),
    Row("admin:accounts_user_changelist", everyone(302, admin=200)),
]

# URL names the matrix need not list one by one: the rest of the admin site follows the rows
# above (admin_view() guards every admin URL the same way).
EXEMPT_PREFIXES = ("admin:",)
