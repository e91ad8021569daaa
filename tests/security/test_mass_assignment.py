"""Mass assignment (ASVS 5.0 8.2.3, 15.3.3): every form endpoint of the permission matrix, posted
by each role it accepts, with extra fields a hostile user might add — status, score, points,
department, year, locks, owners — changes none of them: objects keep their unit, year and owner;
no status moves except by the endpoint's own action; no planted score appears anywhere."""

import pytest

from tests.permission_matrix import ROWS
from tests.test_permission_matrix import _url

POST_ROWS = [row for row in ROWS if row.method == "POST" and not row.url_name.startswith("admin:")]
ACCEPTED = {200, 302, 400, 409}
PLANTED = "999"
# Endpoints where a field of this name is the form's own, honest input (a report's unit and year,
# an adjustment's unit): there it is validated by the form and the scoped lookups instead.
OWN_FIELDS = {
    "reports:request_run": {"department", "year"},
    "reports:batch_request": {"department", "year"},
    "reviews:adjustments": {"department", "year"},
}
# Endpoints whose purpose is to move a return's status.
MOVES_STATUS = {
    "assessments:return_submit",
    "reviews:send_back",
    "reviews:approve",
    "reviews:confirm",
    "reviews:reopen",
}


def _extras(cast, row) -> dict:
    extras = {
        "status": "confirmed",
        "score": PLANTED,
        "points": PLANTED,
        "final_points": PLANTED,
        "total": PLANTED,
        "grade": "excellent",
        "department": cast.dept_b.pk,
        "department_id": cast.dept_b.pk,
        "year": "1999",
        "is_locked": "on",
        "is_final": "on",
        "annual_return": "999999",
        "framework": "999999",
        "approved_by": cast.admin.pk,
        "uploaded_by": cast.admin.pk,
        "user": cast.admin.pk,
        "role": "admin",
        "is_superuser": "on",
    }
    for name in OWN_FIELDS.get(row.url_name, ()):
        extras.pop(name)
    return {key: value for key, value in extras.items() if key not in row.data}


def _snapshot() -> dict:
    from accounts.models import User
    from assessments.models import AnnualReturn, Evidence
    from congress.models import Assignment
    from reviews.models import Adjustment, Appeal, ReviewScore, ScoreSheet

    return {
        "returns": dict(AnnualReturn.objects.values_list("pk", "department_id")),
        "return_years": dict(AnnualReturn.objects.values_list("pk", "year")),
        "return_frameworks": dict(AnnualReturn.objects.values_list("pk", "framework_id")),
        "statuses": dict(AnnualReturn.objects.values_list("pk", "status")),
        "evidence": dict(Evidence.objects.values_list("pk", "annual_return_id")),
        "sheets": dict(ScoreSheet.objects.values_list("pk", "department_id")),
        "assignments": dict(Assignment.objects.values_list("pk", "department_id")),
        "appeals": dict(Appeal.objects.values_list("pk", "score_sheet_id")),
        "adjustments": dict(Adjustment.objects.values_list("pk", "department_id")),
        "scores": dict(ReviewScore.objects.values_list("pk", "annual_return_id")),
        "roles": dict(User.objects.values_list("pk", "role")),
        "superusers": set(User.objects.filter(is_superuser=True).values_list("pk", flat=True)),
    }


def _kept(before: dict, after: dict) -> dict:
    """Keys of `before` whose values changed or vanished in `after`, per table (new rows are fine)."""
    return {
        table: {pk: (value, after[table].get(pk)) for pk, value in rows.items() if after[table].get(pk, value) != value}
        for table, rows in before.items()
        if isinstance(rows, dict)
    }


def _planted_scores() -> list:
    from reviews.models import ReviewScore, ScoreSheet

    return list(ReviewScore.objects.filter(points=PLANTED).values_list("pk", flat=True)) + list(
        ScoreSheet.objects.filter(total=PLANTED).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("row", POST_ROWS, ids=lambda row: row.id)
def test_extra_fields_posted_to_a_form_change_nothing_they_name(row, cast, client):
    url = _url(row, cast)
    for role, status in row.expected.items():
        if role == "anonymous" or status not in ACCEPTED:
            continue
        client.force_login(getattr(cast, role))
        before = _snapshot()
        response = client.post(url, {**row.data, **_extras(cast, row)})
        assert response.status_code < 500, (role, response.status_code)
        after = _snapshot()
        changed = _kept(before, after)
        if row.url_name in MOVES_STATUS:
            changed.pop("statuses")
        assert not any(changed.values()), (role, changed)
        assert after["superusers"] == before["superusers"]
        assert not _planted_scores(), role
        assert 1999 not in after["return_years"].values()


def test_a_value_save_with_extra_fields_saves_the_value_and_nothing_else(cast, client):
    """The guard of the generated test: the post is accepted and does its own job."""
    from assessments.models import AnnualReturn
    from tests.assessments.permission_rows import on_indicator

    kwargs = on_indicator("dept_a")(cast)
    annual_return = AnnualReturn.objects.get(pk=kwargs["pk"])
    row = annual_return.values.get(indicator_id=kwargs["indicator_pk"])
    client.force_login(cast.staff_a)
    url = _url(next(r for r in POST_ROWS if r.url_name == "assessments:value_save"), cast)
    response = client.post(url, {"version": row.version, "value": "7", **_extras(cast, POST_ROWS[0])})
    assert response.status_code == 302
    row.refresh_from_db()
    annual_return.refresh_from_db()
    assert row.value_integer == 7
    assert (annual_return.status, annual_return.department_id, annual_return.year) == (
        "in_progress",
        cast.dept_a.pk,
        2025,
    )
