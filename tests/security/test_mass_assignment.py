"""Mass assignment (ASVS 5.0 8.2.3, 15.3.3): every form endpoint of the permission matrix, posted
by each role it accepts, with extra fields a hostile user might add — status, score, points,
department, year, locks, owners — changes none of them: objects keep their unit, year and owner;
no status moves except by the endpoint's own action; no planted score appears anywhere."""

import pytest

from tests.permission_matrix import ROWS, target
from tests.test_permission_matrix import _url

POST_ROWS = [row for row in ROWS if row.method == "POST" and not row.url_name.startswith("admin:")]
ACCEPTED = {200, 302, 400, 409}
# Forms an anonymous visitor may post (the others send anonymous visitors to the login page).
ANONYMOUS_FORMS = {"accounts:login"}
PLANTED = "999"
# Endpoints where a field of this name is the form's own, honest input (a report's unit and year,
# an adjustment's unit): there it is validated by the form and the scoped lookups instead.
OWN_FIELDS = {
    "reports:request_run": {"department", "year"},
    "reports:batch_request": {"department", "year"},
    "reviews:adjustments": {"department", "year"},
}
# Endpoints whose purpose is to change what a snapshot key holds: a return's status, an
# assignment's handling result, a year's finalisation, an opinion's 回头看 reviewer.
OWN_CHANGES = {
    "assessments:return_submit": {"statuses"},
    "reviews:send_back": {"statuses"},
    "reviews:approve": {"statuses"},
    "reviews:confirm": {"statuses"},
    "reviews:reopen": {"statuses"},
    "congress:assignment_detail": {"assignment_statuses"},
    "congress:year_finalise": {"finalised"},
    "congress:year_reopen": {"finalised"},
    "congress:opinion_review": {"opinion_reviews"},
}


def _extras(cast, row, data: dict | None = None) -> dict:
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
        "is_staff": "on",
        "congress_year": "999999",
        "survey": "999999",
        "created_by": cast.admin.pk,
        "reviewed_by": cast.admin.pk,
        "answered_by": cast.admin.pk,
        "report_finalised_at": "2025-01-01T00:00Z",
    }
    for name in OWN_FIELDS.get(row.url_name, ()):
        extras.pop(name)
    data = row.data if data is None else data
    return {key: value for key, value in extras.items() if key not in data}


def _snapshot() -> dict:
    from accounts.models import User
    from assessments.models import AnnualReturn, Evidence
    from congress.models import (
        Assignment,
        CongressYear,
        DeliberationOpinion,
        Recommendation,
        RespondentGroup,
        Response,
        Survey,
        SurveyActivity,
    )
    from reviews.models import Adjustment, Appeal, ReviewScore, ScoreSheet

    return {
        "returns": dict(AnnualReturn.objects.values_list("pk", "department_id")),
        "return_years": dict(AnnualReturn.objects.values_list("pk", "year")),
        "return_frameworks": dict(AnnualReturn.objects.values_list("pk", "framework_id")),
        "statuses": dict(AnnualReturn.objects.values_list("pk", "status")),
        "evidence": dict(Evidence.objects.values_list("pk", "annual_return_id")),
        "sheets": dict(ScoreSheet.objects.values_list("pk", "department_id")),
        "assignments": dict(Assignment.objects.values_list("pk", "department_id")),
        "assignment_statuses": dict(Assignment.objects.values_list("pk", "status")),
        "congress_years": dict(CongressYear.objects.values_list("pk", "year")),
        "finalised": dict(CongressYear.objects.values_list("pk", "report_finalised_at")),
        "surveys": dict(Survey.objects.values_list("pk", "congress_year_id")),
        "groups": dict(RespondentGroup.objects.values_list("pk", "survey_id")),
        "responses": dict(Response.objects.values_list("pk", "survey_id")),
        "response_creators": dict(Response.objects.values_list("pk", "created_by_id")),
        "opinions": dict(DeliberationOpinion.objects.values_list("pk", "congress_year_id")),
        "opinion_reviews": dict(DeliberationOpinion.objects.values_list("pk", "reviewed_by_id")),
        "activities": dict(SurveyActivity.objects.values_list("pk", "congress_year_id")),
        "recommendations": dict(Recommendation.objects.values_list("pk", "congress_year_id")),
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
    page = target(row, cast)
    for role, status in row.expected.items():
        if status not in ACCEPTED or (role == "anonymous" and row.url_name not in ANONYMOUS_FORMS):
            continue
        client.logout()
        if role != "anonymous":
            client.force_login(getattr(cast, role))
        before = _snapshot()
        data = page.data()
        response = client.post(page.url, {**data, **_extras(cast, row, data)})
        assert response.status_code < 500, (role, response.status_code)
        after = _snapshot()
        changed = _kept(before, after)
        for key in OWN_CHANGES.get(row.url_name, ()):
            changed.pop(key)
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
