"""Publication: the public site answers everyone, signed in or not, for published reports only (an
unpublished or withdrawn one is 404 to all); the signed-in side follows the unit (staff their own,
reviewers their branch, admins all; congress staff see but do not publish: 403 on every action)."""

from publication.models import ReportPublication
from tests.permission_matrix import ROLES, Row, everyone

from .factories import publication

Status = ReportPublication.Status


def public(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def _publication(status=Status.PUBLISHED, target="dept_a"):
    def kwargs(cast):
        return {"pk": publication(getattr(cast, target), user=cast.admin, status=status).pk}

    return kwargs


def _final_run(cast):
    from django.utils import timezone

    from tests.reports.builders import done_run

    return {"run_id": done_run(cast.dept_a, user=cast.admin, is_final=True, finalized_at=timezone.now()).pk}


def _reviewing_part(cast):
    return {"pk": publication(cast.dept_a, user=cast.admin, status=Status.REVIEWING).pk, "number": 2}


def _current_version(cast, url_kwargs):
    return {"version": ReportPublication.objects.get(pk=url_kwargs["pk"]).version, "text": "", "confirmed": "on"}


# dept_a's publication: staff_b and the county reviewer do not see it.
DEPT_A = {"staff_b": 404, "reviewer_scoped": 404}
# Congress staff see every unit's publication but publish none.
ACTION = everyone(302, congress=403, **DEPT_A)

ROWS = [
    # The public site, no login.
    Row("public:index", public(200)),
    Row("public:compliance", public(200)),
    Row("public:report", public(200), kwargs=_publication()),
    Row("public:report", public(404), kwargs=_publication(Status.REVIEWING)),
    Row("public:report", public(404), kwargs=_publication(Status.WITHDRAWN)),
    Row("public:report_pdf", public(200), kwargs=_publication()),
    Row("public:report_pdf", public(404), kwargs=_publication(Status.REVIEWING)),
    Row("public:report_pdf", public(404), kwargs=_publication(Status.WITHDRAWN)),
    Row("public:index", public(405), method="POST"),
    # The signed-in side.
    Row("publication:manage", everyone(200)),
    Row("publication:review", everyone(200, **DEPT_A), kwargs=_publication(Status.REVIEWING)),
    Row("publication:review", everyone(200, **DEPT_A), kwargs=_publication()),
    Row("publication:preview", everyone(200, **DEPT_A), kwargs=_publication(Status.REVIEWING)),
    Row("publication:start", ACTION, method="POST", kwargs=_final_run),
    Row("publication:start", everyone(405), kwargs=_final_run),
    Row("publication:redact", ACTION, method="POST", kwargs=_reviewing_part, data=_current_version),
    Row("publication:redact", everyone(405), kwargs=_reviewing_part),
    Row("publication:confirm", ACTION, method="POST", kwargs=_publication(Status.REVIEWING), data=_current_version),
    # Not confirmed for publishing: refused with a message on the page (302 back), never published.
    Row("publication:publish", ACTION, method="POST", kwargs=_publication(Status.REVIEWING)),
    # An empty reason: those who may withdraw see the form's error (422), the others are refused first.
    Row("publication:withdraw", everyone(422, congress=403, **DEPT_A), method="POST", kwargs=_publication()),
]
