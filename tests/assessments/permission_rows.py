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


# Seeing: own department, reviewers in scope, admin, and congress once the return is submitted (the
# returns `on` opens are 填报中 drafts, which congress staff do not see: 404, issue 18 §3).
# Filling: own department only.
SEE_A = everyone(200, staff_b=404, reviewer_scoped=404, congress=404)
SEE_B = everyone(200, staff_a=404, congress=404)
FILL_A = {**everyone(403, staff_b=404, reviewer_scoped=404, congress=404), "staff_a": 200}
FILL_B = {**everyone(403, staff_a=404, congress=404), "staff_b": 200}


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
        {
            **everyone(403, staff_b=404, reviewer_scoped=404, congress=404),
            **{"reviewer": 200, "admin": 200, "anonymous": LOGIN},
        },
        kwargs=on("dept_a"),
    ),
    Row(
        "assessments:extension_grant",
        {**everyone(403, staff_a=404, congress=404), "reviewer": 200, "reviewer_scoped": 200, "admin": 200},
        kwargs=on("dept_b"),
    ),
    Row(
        "assessments:extension_grant",
        {**everyone(403, staff_a=404, congress=404), "reviewer": 200, "reviewer_scoped": 200, "admin": 200},
        method="POST",
        kwargs=on("dept_b"),
    ),
]


# --- Evidence, Excel fill and the progress dashboard: one block at the end of this file, kept by
# its author (the returns come from `_return` above).
def _submitted(department_name: str):
    def kwargs(cast):
        from assessments.models import AnnualReturn

        annual_return = _return(cast, department_name)
        AnnualReturn.objects.filter(pk=annual_return.pk).update(
            status="submitted", first_submitted_at="2026-01-05T00:00Z"
        )
        return {"pk": annual_return.pk}

    return kwargs


def _evidence(department_name: str, *, submitted: bool = False):
    def kwargs(cast):
        from django.core.files.base import ContentFile

        from assessments.models import Evidence

        annual_return_pk = (_submitted(department_name) if submitted else on(department_name))(cast)["pk"]
        evidence = Evidence(
            annual_return_id=annual_return_pk,
            original_name="决定书.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by=cast.staff_a if department_name == "dept_a" else cast.staff_b,
        )
        evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        evidence.save()
        return {"pk": evidence.pk}

    return kwargs


# Changing evidence or uploading Excel: the department's own staff while the return is open (a
# plain form post redirects); others who may see the return get 403, the rest 404.
CHANGE_A = _with(FILL_A, staff_a=302)
SHUT_A = everyone(403, staff_b=404, reviewer_scoped=404)  # the return is submitted: no one changes it
OWN_A = _with(FILL_A)  # pages for the department's own staff only
BUREAU = everyone(200, staff_a=403, staff_b=403)  # reviewers, administrators, congress (read only)
IMPORTERS = everyone(403, reviewer=200, reviewer_scoped=200, admin=200)

ROWS += [
    Row("assessments:evidence_list", SEE_A, kwargs=on("dept_a")),
    Row("assessments:evidence_list", SEE_B, kwargs=on("dept_b")),
    Row("assessments:evidence_panel", SEE_A, kwargs=on("dept_a")),
    Row("assessments:evidence_indicator_panel", SEE_A, kwargs=on_indicator("dept_a")),
    Row("assessments:evidence_indicator_panel", SEE_B, kwargs=on_indicator("dept_b")),
    Row("assessments:evidence_upload", CHANGE_A, method="POST", kwargs=on("dept_a")),
    Row("assessments:evidence_upload", SHUT_A, method="POST", kwargs=_submitted("dept_a")),
    Row("assessments:evidence_indicator_upload", CHANGE_A, method="POST", kwargs=on_indicator("dept_a")),
    Row("assessments:evidence_download", SEE_A, kwargs=_evidence("dept_a")),
    Row("assessments:evidence_download", SEE_B, kwargs=_evidence("dept_b")),
    Row("assessments:evidence_delete", SHUT_A, method="POST", kwargs=_evidence("dept_a", submitted=True)),
    Row("assessments:excel_fill", OWN_A, kwargs=on("dept_a")),
    Row("assessments:excel_fill", FILL_B, kwargs=on("dept_b")),
    Row("assessments:excel_template", OWN_A, kwargs=on("dept_a")),
    # An upload without a file answers 400 with the form error; the same for the apply without a preview.
    Row("assessments:excel_upload", _with(FILL_A, staff_a=400), method="POST", kwargs=on("dept_a")),
    Row("assessments:excel_upload", SHUT_A, method="POST", kwargs=_submitted("dept_a")),
    Row("assessments:excel_apply", _with(FILL_A, staff_a=400), method="POST", kwargs=on("dept_a")),
    Row("assessments:bulk_import", IMPORTERS),
    Row("assessments:bulk_import_template", IMPORTERS),
    Row(
        "assessments:bulk_import_upload", _with(IMPORTERS, reviewer=400, reviewer_scoped=400, admin=400), method="POST"
    ),
    Row("assessments:bulk_import_apply", _with(IMPORTERS, reviewer=400, reviewer_scoped=400, admin=400), method="POST"),
    Row("assessments:progress_dashboard", BUREAU),
    Row("assessments:progress_export", BUREAU),
]

# Congress staff read a return from its submission on (issue 18 §3): the same pages of a submitted
# return answer them 200, where the draft's answered 404 above.
SEE_SUBMITTED_A = everyone(200, staff_b=404, reviewer_scoped=404)
ROWS += [
    Row("assessments:return_detail", SEE_SUBMITTED_A, kwargs=_submitted("dept_a")),
    Row("assessments:return_history", SEE_SUBMITTED_A, kwargs=_submitted("dept_a")),
    Row("assessments:evidence_list", SEE_SUBMITTED_A, kwargs=_submitted("dept_a")),
    Row("assessments:evidence_download", SEE_SUBMITTED_A, kwargs=_evidence("dept_a", submitted=True)),
]

# The bulk import page and its template read the year from the query or a posted form alike.
ROWS += [
    Row("assessments:bulk_import", IMPORTERS, method="POST", data={"year": 2025}),
    Row("assessments:bulk_import_template", IMPORTERS, method="POST", data={"year": 2025}),
]

# Opening a year and changing its deadline: the justice bureau only (reviewers of all units and
# administrators); a scoped reviewer, congress staff and department staff are refused. An empty
# post answers 400 with the form's errors.
BUREAU_ONLY = everyone(403, reviewer=200, admin=200)


def _year_of_returns(cast):
    return {"year": _return(cast, "dept_a").year}


ROWS += [
    Row("assessments:year_open", BUREAU_ONLY),
    Row("assessments:year_open", _with(BUREAU_ONLY, reviewer=400, admin=400), method="POST"),
    Row("assessments:year_deadline", BUREAU_ONLY, kwargs=_year_of_returns),
    Row(
        "assessments:year_deadline",
        _with(BUREAU_ONLY, reviewer=400, admin=400),
        method="POST",
        kwargs=_year_of_returns,
    ),
]


# 开启历史数据年度: the justice bureau only, like opening a year. An empty post answers 400 with the
# form's errors; so does opening an edition that cannot be published yet (an empty draft here: the
# actual opening, its returns and audit rows are tested in test_historical_year.py).
def _historical_framework(cast):
    from indicators.models import IndicatorFramework

    framework = IndicatorFramework.objects.filter(year=2021, is_historical=True).first()
    if framework is None:
        framework = IndicatorFramework.objects.create(name="历史数据年度草稿", year=2021, is_historical=True)
    return {"pk": framework.pk}


ROWS += [
    Row("assessments:historical_years", BUREAU_ONLY),
    Row("assessments:historical_years", _with(BUREAU_ONLY, reviewer=400, admin=400), method="POST"),
    Row(
        "assessments:historical_year_open",
        _with(BUREAU_ONLY, reviewer=400, admin=400),
        method="POST",
        kwargs=_historical_framework,
    ),
]


# --- Provided figures (数据提供单位, issue 20): the provider's grid and workbook, its answers to
# disputes; the unit's dispute. K1 of the 2025 framework is provided by the cast's court.
def _provided(cast):
    """K1 provided by the court and a figure provided for dept_a; the provided value back."""
    from assessments.models import ProvidedValue
    from assessments.services.provided import ProvidedInput, provided_values_save
    from indicators.provisions import indicator_provision_set

    annual_return = _return(cast, "dept_a")
    indicator = annual_return.framework.indicators.get(code="K1")
    if not hasattr(indicator, "provision_row"):
        indicator_provision_set(indicator=indicator, provider=cast.court)
    value = ProvidedValue.objects.filter(annual_return=annual_return, indicator=indicator).first()
    if value is None:
        annual_return.framework.refresh_from_db()
        provided_values_save(
            provider=cast.court,
            inputs=[ProvidedInput(annual_return.pk, indicator.pk, "value", "12", 0)],
            user=cast.provider,
        )
        value = ProvidedValue.objects.get(annual_return=annual_return, indicator=indicator)
    return value


def _grid(cast):
    _provided(cast)
    return {}


def _dispute(cast):
    from assessments.models import ProvidedValueDispute

    value = _provided(cast)
    dispute = ProvidedValueDispute.objects.filter(provided_value=value).first()
    if dispute is None:
        dispute = ProvidedValueDispute.objects.create(provided_value=value, reason="数不对", raised_by=cast.staff_a)
    return {"pk": dispute.pk}


def _provided_cell(cast):
    value = _provided(cast)
    return {"pk": value.annual_return_id, "indicator_pk": value.indicator_id}


def _cells(cast, url_kwargs):
    import json

    from assessments.models import ProvidedValue

    value = ProvidedValue.objects.get(annual_return__department=cast.dept_a)
    cell = {"r": value.annual_return_id, "i": value.indicator_id, "p": "value", "t": "12", "v": value.version}
    return {"cells": json.dumps([cell])}


PROVIDER_ONLY = everyone(403, provider=200)
DISPUTE_A = everyone(403, staff_a=200, staff_b=404, reviewer_scoped=404, congress=404, provider=404)

ROWS += [
    Row("assessments:provided_grid", PROVIDER_ONLY, kwargs=_grid),
    Row("assessments:provided_save", PROVIDER_ONLY, method="POST", kwargs=_grid, data=_cells),
    Row("assessments:provided_xlsx_template", PROVIDER_ONLY, kwargs=_grid),
    # An upload without a file, a confirmation without a preview: refused on the page (400).
    Row("assessments:provided_xlsx_upload", everyone(403, provider=400), method="POST", kwargs=_grid),
    Row("assessments:provided_xlsx_apply", everyone(403, provider=400), method="POST", kwargs=_grid),
    Row("assessments:provided_submit", everyone(403, provider=302), method="POST", kwargs=_grid),
    Row("assessments:provided_dispute_answer", PROVIDER_ONLY, kwargs=_dispute),
    Row("assessments:provided_dispute_answer", everyone(403, provider=400), method="POST", kwargs=_dispute),
    # The row's dispute carries no file.
    Row("assessments:provided_dispute_evidence", everyone(403, provider=404), kwargs=_dispute),
    Row("assessments:provided_dispute_raise", DISPUTE_A, kwargs=_provided_cell),
    Row("assessments:provided_dispute_raise", _with(DISPUTE_A, staff_a=400), method="POST", kwargs=_provided_cell),
]
