from tests.factories import TEST_PASSWORD
from tests.permission_matrix import Row, everyone

ROWS = [
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

# --- The authentication forms' unsafe methods. Django's form views answer PUT as POST (with an
# empty form, since Django parses only POST bodies). Signed-in users posting to the login page are
# sent on; a correct login or password change redirects.
NEW_PASSWORD = "Lawgov#Changed2026"

ROWS += [
    Row(
        "accounts:login",
        everyone(302, anonymous=302),
        method="POST",
        data={"username": "staff_a", "password": TEST_PASSWORD},
    ),
    Row("accounts:login", everyone(302, anonymous=200), method="PUT"),
    Row(
        "accounts:password_change",
        everyone(302),
        method="POST",
        data={"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    Row("accounts:password_change", everyone(200), method="PUT"),
    # The icon browsers fetch on their own: the same redirect to the static file for everyone.
    Row("favicon", everyone(301, anonymous=301)),
]
