"""The API in the permission matrix. A person's signed-in session is no API credential, so every role
(anonymous included) is the same caller here: public data answers 200, the token-only endpoints 401.
What tokens may do is tests/api/test_permissions.py."""

from tests.indicators.factories import PublishedFrameworkFactory
from tests.permission_matrix import ROLES, Row


def _all(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _framework(cast) -> dict:
    return {"pk": PublishedFrameworkFactory().pk}


def _published_report(cast) -> dict:
    from tests.publication.factories import publication

    return {"pk": publication(cast.dept_a, user=cast.staff_a).pk}


def _withdrawn_report(cast) -> dict:
    from publication.models import ReportPublication
    from tests.publication.factories import publication

    return {"pk": publication(cast.dept_a, user=cast.staff_a, status=ReportPublication.Status.WITHDRAWN).pk}


def _reviewing_report(cast) -> dict:
    from publication.models import ReportPublication
    from tests.publication.factories import publication

    return {"pk": publication(cast.dept_a, user=cast.staff_a, status=ReportPublication.Status.REVIEWING).pk}


ROWS = [
    Row("api:schema", _all(200)),
    Row("api:docs", _all(200)),
    Row("api:years", _all(200)),
    Row("api:frameworks", _all(200)),
    Row("api:framework", _all(200), kwargs=_framework),
    Row("api:indicators", _all(200), kwargs=_framework),
    Row("api:units", _all(200)),
    Row("api:reports", _all(200)),
    Row("api:report", _all(200), kwargs=_published_report),
    Row("api:report", _all(404), kwargs=_withdrawn_report),
    Row("api:report", _all(404), kwargs=_reviewing_report),
    Row("api:report_pdf", _all(200), kwargs=_published_report),
    Row("api:report_pdf", _all(404), kwargs=_withdrawn_report),
    Row("api:report_pdf", _all(404), kwargs=_reviewing_report),
    Row("api:published_figures", _all(200)),
    Row("api:open_data_csv", _all(200), kwargs=lambda cast: {"year": 2025}),
    Row("api:open_data_json", _all(200), kwargs=lambda cast: {"year": 2025}),
    Row("api:token", _all(401)),
    Row("api:approved_figures", _all(401)),
]
