"""Permission rows for the returns URLs. Each row's kwargs open the year's returns (idempotently)
for the cast's departments, in 填报中, so every page has something to show."""

from tests.permission_matrix import LOGIN, Row, everyone

from .factories import framework_with as _framework_with
from .factories import open_return, rate_indicator


def _return(cast, department_name: str):
    from assessments.models import AnnualReturn
    from indicators.models import IndicatorFramework

    framework = IndicatorFramework.objects.filter(year=2025, status="published").first()
    if framework is None:
        framework = _framework_with({"code": "K1", "name": "行政复议案件数"})
        rate_indicator(code="K2", group=framework.indicators.first().group, framework=framework)
    annual_return = open_return(getattr(cast, department_name), framework)
    if annual_return.status == AnnualReturn.Status.NOT_STARTED:
        AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    return annual_return


def on(department_name: str):
    return lambda cast: {"pk": _return(cast, department_name).pk}


def on_indicator(department_name: str):
    def kwargs(cast):
        annual_return = _return(cast, department_name)
        return {"pk": annual_return.pk, "indicator_pk": annual_return.values.get(indicator__code="K1").indicator_id}

    return kwargs


def on_narrative(department_name: str):
    return lambda cast: {"pk": _return(cast, department_name).pk, "kind": "measures"}


# Seeing: own department, reviewers in scope, congress and admin. Filling: own department only.
SEE_A = everyone(200, staff_b=404, reviewer_scoped=404)
SEE_B = everyone(200, staff_a=404)
FILL_A = {**everyone(403, staff_b=404, reviewer_scoped=404), "staff_a": 200}
FILL_B = {**everyone(403, staff_a=404), "staff_b": 200}


def _with(expected: dict, **changes: int) -> dict:
    return {**expected, **changes}


ROWS = [
    Row("assessments:return_list", everyone(200)),
    Row("assessments:return_detail", SEE_A, kwargs=on("dept_a")),
    Row("assessments:return_detail", SEE_B, kwargs=on("dept_b")),
    Row("assessments:return_history", SEE_A, kwargs=on("dept_a")),
    Row("assessments:return_history", SEE_B, kwargs=on("dept_b")),
    Row("assessments:return_edit", FILL_A, kwargs=on("dept_a")),
    Row("assessments:return_edit", FILL_B, kwargs=on("dept_b")),
    Row("assessments:value_save", FILL_A, kwargs=on_indicator("dept_a")),
    # A plain (non-htmx) save redirects back to the entry page.
    Row(
        "assessments:value_save",
        _with(FILL_A, staff_a=302),
        method="POST",
        kwargs=on_indicator("dept_a"),
        data={"version": "1", "value": "5"},
    ),
    Row(
        "assessments:value_save",
        _with(FILL_B, staff_b=302),
        method="POST",
        kwargs=on_indicator("dept_b"),
        data={"version": "1", "value": "5"},
    ),
    Row("assessments:narrative_save", FILL_A, kwargs=on_narrative("dept_a")),
    Row(
        "assessments:narrative_save",
        _with(FILL_A, staff_a=302),
        method="POST",
        kwargs=on_narrative("dept_a"),
        data={"version": "1", "text": "全年推进依法行政。"},
    ),
    Row("assessments:return_submit", FILL_A, kwargs=on("dept_a")),
    Row("assessments:return_submit", FILL_B, kwargs=on("dept_b")),
    # Submitting an incomplete return answers 409 with the list of what is missing.
    Row("assessments:return_submit", _with(FILL_A, staff_a=409), method="POST", kwargs=on("dept_a")),
    # Extensions: the justice bureau's reviewers in scope, and administrators.
    Row(
        "assessments:extension_grant",
        {**everyone(403, staff_b=404, reviewer_scoped=404), "reviewer": 200, "admin": 200, "anonymous": LOGIN},
        kwargs=on("dept_a"),
    ),
    Row(
        "assessments:extension_grant",
        {**everyone(403, staff_a=404), "reviewer": 200, "reviewer_scoped": 200, "admin": 200},
        kwargs=on("dept_b"),
    ),
    Row(
        "assessments:extension_grant",
        {**everyone(403, staff_a=404), "reviewer": 200, "reviewer_scoped": 200, "admin": 200},
        method="POST",
        kwargs=on("dept_b"),
    ),
]
