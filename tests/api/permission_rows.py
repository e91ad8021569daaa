"""The API in the permission matrix. A person's signed-in session is no API credential, so every role
(anonymous included) is the same caller here: public data answers 200, the token-only endpoints 401.
What tokens may do is tests/api/test_permissions.py."""

from tests.indicators.factories import PublishedFrameworkFactory
from tests.permission_matrix import ROLES, Row


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _framework(cast) -> dict:
    return {"pk": PublishedFrameworkFactory().pk}


ROWS = [
    Row("api:schema", _all(200)),
    Row("api:docs", _all(200)),
    Row("api:years", _all(200)),
    Row("api:frameworks", _all(200)),
    Row("api:framework", _all(200), kwargs=_framework),
    Row("api:indicators", _all(200), kwargs=_framework),
    Row("api:units", _all(200)),
    Row("api:token", _all(401)),
    Row("api:approved_figures", _all(401)),
]
