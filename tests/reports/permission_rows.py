"""Reports: department-scoped reports follow the unit (staff own, reviewers their branch, congress
and admins all); jurisdiction-wide reports (congress survey, results notice) go to those who see
every unit and whose role the report is for. Invisible runs answer 404."""

from reports.models import ReportKind
from tests.permission_matrix import Row, everyone

from .builders import done_run, failed_run


def _done(target: str, kind=ReportKind.DEPARTMENT_ANNUAL):
    def kwargs(cast):
        department = getattr(cast, target) if target else None
        return {"pk": done_run(department, user=cast.admin, kind=kind).pk}

    return kwargs


def _failed(target: str):
    return lambda cast: {"pk": failed_run(getattr(cast, target), user=cast.admin).pk}


def _batch(cast):
    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.admin)
    done_run(cast.dept_a, user=cast.admin, batch=batch)
    return {"pk": batch.pk}


def _scoped_batch(cast):
    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.admin, scope=cast.county
    )
    done_run(cast.dept_b, user=cast.admin, batch=batch)
    return {"pk": batch.pk}


# A dept_a run: staff_b and the county reviewer do not see it.
DEPT_A = {"staff_b": 404, "reviewer_scoped": 404}
# A citywide congress report: only congress staff and admins.
CONGRESS_ONLY = {"staff_a": 404, "staff_b": 404, "reviewer": 404, "reviewer_scoped": 404}
# A citywide results notice: unscoped reviewers too.
NOTICE = {"staff_a": 404, "staff_b": 404, "reviewer_scoped": 404}
NOT_BATCH = {"staff_a": 404, "staff_b": 404}
NOTICE_FORM = {"kind": "results_notice", "year": 2025}
NOTICE_DRAFT = {"kind": "results_notice", "year": 2025, "scope_id": 0}


def _dept_a_draft(cast):
    return {"kind": ReportKind.DEPARTMENT_ANNUAL, "year": 2025, "scope_id": cast.dept_a.pk}


ROWS = [
    Row("reports:index", everyone(200)),
    # Requests for the results notice (no unit in the URL or form, so the row needs no pk); the
    # generation runs eagerly and fails for lack of data, which is fine: the matrix is about who may
    # ask. Department-scoped requests are covered in test_views.py (another unit's → 404).
    Row(
        "reports:request_run",
        everyone(302, staff_a=403, staff_b=403, reviewer_scoped=403),
        method="POST",
        data=NOTICE_FORM,
    ),
    Row("reports:request_run", everyone(405), data=NOTICE_FORM),
    Row("reports:run_detail", everyone(200, **DEPT_A), kwargs=_done("dept_a")),
    Row("reports:run_detail", everyone(200, **CONGRESS_ONLY), kwargs=_done("", ReportKind.CONGRESS_SURVEY)),
    Row("reports:run_detail", everyone(200, **NOTICE), kwargs=_done("", ReportKind.RESULTS_NOTICE)),
    Row("reports:run_status", everyone(200, **DEPT_A), kwargs=_done("dept_a")),
    Row("reports:run_download", everyone(200, **DEPT_A), kwargs=_done("dept_a")),
    Row("reports:run_download", everyone(200, staff_a=404), kwargs=_done("dept_b")),
    Row("reports:run_download", everyone(200, **CONGRESS_ONLY), kwargs=_done("", ReportKind.CONGRESS_SURVEY)),
    Row("reports:run_download_docx", everyone(200, **DEPT_A), kwargs=_done("dept_a")),
    Row("reports:run_download", everyone(405), method="POST", kwargs=_done("dept_a")),
    Row("reports:run_retry", everyone(302, **DEPT_A), method="POST", kwargs=_failed("dept_a")),
    Row("reports:run_retry", everyone(405), kwargs=_failed("dept_a")),
    Row(
        "reports:run_finalize",
        everyone(403, **CONGRESS_ONLY, congress=302, admin=302),
        method="POST",
        kwargs=_done("", ReportKind.CONGRESS_SURVEY),
    ),
    # A department's report is finalised by the unit itself (and admins), not by reviewers.
    Row("reports:run_finalize", everyone(403, **DEPT_A, staff_a=302, admin=302), method="POST", kwargs=_done("dept_a")),
    Row(
        "reports:run_health_acknowledge",
        everyone(403, **DEPT_A, staff_a=422, admin=422),
        method="POST",
        kwargs=_done("dept_a"),
        data={"key": "coverage:x", "reason": "本单位无下属单位"},
    ),
    # The run has no 报告体检 items, so an allowed acknowledgement is refused on the page (422).
    Row(
        "reports:run_health_acknowledge",
        everyone(403, **CONGRESS_ONLY, congress=422, admin=422),
        method="POST",
        kwargs=_done("", ReportKind.CONGRESS_SURVEY),
        data={"key": "coverage:x", "reason": "其余单位已撤并"},
    ),
    Row("reports:run_health_acknowledge", everyone(405), kwargs=_done("", ReportKind.CONGRESS_SURVEY)),
    Row("reports:preview", everyone(200, staff_a=403, staff_b=403, reviewer_scoped=403), data=NOTICE_FORM),
    Row("reports:batch_request", everyone(302, staff_a=403, staff_b=403), method="POST", data={"year": 2025}),
    # 报告稿: whoever may generate the report may set its date and wording; without data the page
    # says so (200), the reset answers with a redirect and a message.
    Row("reports:draft_open", everyone(302), data=NOTICE_FORM),
    Row("reports:draft_edit", everyone(200, **NOTICE), kwargs=lambda cast: NOTICE_DRAFT),
    Row("reports:draft_edit", everyone(200, **DEPT_A), kwargs=_dept_a_draft),
    Row("reports:draft_edit", everyone(200, **NOTICE), method="POST", kwargs=lambda cast: NOTICE_DRAFT),
    Row("reports:draft_section_edit", everyone(200, **NOTICE), kwargs=lambda cast: {**NOTICE_DRAFT, "number": 1}),
    Row(
        "reports:draft_section_edit",
        everyone(200, **NOTICE),
        method="POST",
        kwargs=lambda cast: {**NOTICE_DRAFT, "number": 1},
        data={"text": "各单位要认真整改。", "version": 0},
    ),
    Row(
        "reports:draft_section_reset",
        everyone(302, **NOTICE),
        method="POST",
        kwargs=lambda cast: {**NOTICE_DRAFT, "number": 1},
        data={"version": 0},
    ),
    Row("reports:draft_section_reset", everyone(405), kwargs=lambda cast: {**NOTICE_DRAFT, "number": 1}),
    Row("reports:batch_detail", everyone(200, **NOT_BATCH, reviewer_scoped=404), kwargs=_batch),
    Row("reports:batch_detail", everyone(200, **NOT_BATCH), kwargs=_scoped_batch),
    Row("reports:batch_status", everyone(200, **NOT_BATCH, reviewer_scoped=404), kwargs=_batch),
    Row("reports:batch_download", everyone(200, **NOT_BATCH, reviewer_scoped=404), kwargs=_batch),
]
