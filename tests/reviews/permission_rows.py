"""Permission-matrix rows of review and scoring. Objects are built per row through the real services.

Staff never reach the workbench (403); reviewer_scoped sees only the county branch (dept_b), so
dept_a's objects answer it 404; the reviewer (justice bureau, all units) may review both; congress
staff read results and sheets but do not review; administrators read the workbench but do not score.
"""

from tests.permission_matrix import Row, everyone

from . import factories as f

WORKBENCH_ONLY = everyone(403, reviewer=200, reviewer_scoped=200, admin=200)
READ_RETURN_A = everyone(403, reviewer=200, reviewer_scoped=404, admin=200)
ACT_ON_RETURN_A = everyone(403, reviewer=302, reviewer_scoped=404)


def _return_a(cast):
    return {"pk": f.submitted_return(cast.dept_a, cast.staff_a, f.framework_for()).pk}


def _return_b(cast):
    return {"pk": f.submitted_return(cast.dept_b, cast.staff_b, f.framework_for()).pk}


def _score_a(cast):
    annual_return = f.submitted_return(cast.dept_a, cast.staff_a, f.framework_for())
    return {"pk": annual_return.pk, "indicator_pk": f.indicator(annual_return.framework, "A1.2").pk}


def _approved_a(cast):
    from reviews.services.review import review_approve

    annual_return = f.submitted_return(cast.dept_a, cast.staff_a, f.framework_for())
    f.judge(annual_return, cast.reviewer)
    return {"pk": review_approve(annual_return=annual_return, user=cast.reviewer).pk}


def _confirmed_a(cast):
    return {"pk": f.confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer).pk}


def _year(cast):
    f.framework_for()
    return {"year": 2025}


def _entry_b(cast, *, with_file: bool = False):
    from reviews.services.adjustments import adjustment_register

    framework = f.framework_for()
    entry = adjustment_register(
        department=cast.dept_b,
        year=2025,
        item=framework.adjustment_items.get(code="X5"),
        reason="被市政府督查通报",
        user=cast.reviewer_scoped,
        evidence=f.small_pdf() if with_file else None,
    )
    return {"pk": entry.pk}


def _sheet_a(cast):
    from reviews.services.scoring import score_sheet_compute

    annual_return = f.submitted_return(cast.dept_a, cast.staff_a, f.framework_for())
    return {"pk": score_sheet_compute(annual_return=annual_return)[0].pk}


def _published_sheet_a(cast):
    return {"pk": f.published_sheet(cast.dept_a, cast.staff_a, cast.reviewer).pk}


def _appeal_a(cast):
    sheet = f.published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    return {"pk": f.appeal_on_judgement(sheet, cast.staff_a).pk}


def _appeal_b(cast):
    sheet = f.published_sheet(cast.dept_b, cast.staff_b, cast.reviewer)
    return {"pk": f.appeal_on_judgement(sheet, cast.staff_b).pk}


def _appeal_a_with_file(cast):
    from reviews.services.appeals import appeal_submit

    sheet = f.published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    score = sheet.annual_return.review_scores.get(indicator__code="A1.4")
    appeal = appeal_submit(
        score_sheet=sheet, user=cast.staff_a, statement="已补充", review_score=score, evidence=f.small_pdf()
    )
    return {"pk": appeal.pk}


def _public_ranking_year(cast):
    from reviews.models import Publication

    sheet = f.published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    Publication.objects.filter(year=sheet.year).update(is_ranking_public=True)
    return {"year": sheet.year}


SCORE_DATA = {"points": "2", "reason": ""}

ROWS = [
    # --- the workbench
    Row("reviews:queue", WORKBENCH_ONLY),
    Row("reviews:review", READ_RETURN_A, kwargs=_return_a),
    Row("reviews:review", WORKBENCH_ONLY, kwargs=_return_b),
    Row("reviews:score", {**ACT_ON_RETURN_A, "reviewer": 302}, method="POST", kwargs=_score_a, data=SCORE_DATA),
    Row("reviews:send_back", ACT_ON_RETURN_A, method="POST", kwargs=_return_a, data={"comment": "请补充"}),
    Row("reviews:approve", ACT_ON_RETURN_A, method="POST", kwargs=_return_a),
    Row("reviews:confirm", ACT_ON_RETURN_A, method="POST", kwargs=_approved_a),
    Row("reviews:reopen", {**ACT_ON_RETURN_A, "admin": 302}, method="POST", kwargs=_confirmed_a),
    # --- adjustments
    Row("reviews:adjustments", WORKBENCH_ONLY, kwargs=_year),
    Row("reviews:adjustments", everyone(403, reviewer=200, reviewer_scoped=200), method="POST", kwargs=_year),
    Row(
        "reviews:adjustment_decide",
        everyone(403, reviewer=302, staff_b=403),
        method="POST",
        kwargs=_entry_b,
        data={"decision": "approve"},
    ),
    Row(
        "reviews:adjustment_withdraw",
        everyone(403, reviewer=302, reviewer_scoped=302),
        method="POST",
        kwargs=_entry_b,
    ),
    Row(
        "reviews:adjustment_evidence",
        WORKBENCH_ONLY,
        kwargs=lambda cast: _entry_b(cast, with_file=True),
    ),
    # --- results
    Row("reviews:results_index", everyone(302)),
    Row("reviews:results", everyone(200), kwargs=_year),
    Row("reviews:results_export", everyone(200, staff_a=403, staff_b=403), kwargs=_year),
    Row("reviews:publish", everyone(403, reviewer=302, admin=302), method="POST", kwargs=_year),
    Row("reviews:finalise", everyone(403, reviewer=302, admin=302), method="POST", kwargs=_year),
    # The bureau's 评分 of a 历史数据年度; the row's year is a regular one, so it is refused with a
    # message and nothing changes (the scoring itself is tested in test_historical_year.py).
    Row("reviews:historical_score", everyone(403, reviewer=302, admin=302), method="POST", kwargs=_year),
    Row("reviews:ranking_visibility", everyone(403, reviewer=302, admin=302), method="POST", kwargs=_year),
    Row("reviews:breakdown_visibility", everyone(403, reviewer=302, admin=302), method="POST", kwargs=_year),
    # Published with the ranking public: every unit's staff may read the page and download the ranking
    # (without others' breakdowns unless 公开明细: tests/reviews/test_results_visibility.py).
    Row("reviews:results", everyone(200), kwargs=_public_ranking_year),
    Row("reviews:results_export", everyone(200), kwargs=_public_ranking_year),
    Row(
        "reviews:breakdown_visibility",
        everyone(403, reviewer=302, admin=302),
        method="POST",
        kwargs=_public_ranking_year,
    ),
    Row("reviews:sheet", everyone(200, staff_a=404, staff_b=404, reviewer_scoped=404), kwargs=_sheet_a),
    Row("reviews:sheet", everyone(200, staff_b=404, reviewer_scoped=404), kwargs=_published_sheet_a),
    # --- appeals
    Row(
        "reviews:appeal_create",
        everyone(403, staff_a=302, staff_b=404, reviewer_scoped=404),
        method="POST",
        kwargs=_published_sheet_a,
        data={"subject": "", "statement": ""},
    ),
    Row("reviews:appeals", everyone(200)),
    Row("reviews:appeal", everyone(200, staff_b=404, reviewer_scoped=404), kwargs=_appeal_a),
    Row(
        "reviews:appeal_decide",
        everyone(403, staff_a=404, reviewer_scoped=302),
        method="POST",
        kwargs=_appeal_b,
        data={"decision": "rejected", "reason": "扣分依据充分"},
    ),
    Row("reviews:appeal_evidence", everyone(200, staff_b=404, reviewer_scoped=404), kwargs=_appeal_a_with_file),
    # --- notifications
    Row("reviews:notifications", everyone(200)),
    Row("reviews:notifications_read", everyone(302), method="POST"),
]


# --- 数据提供进度 (issue 20): the bureau's page of its 数据提供单位, their deadlines and reminders.
def _court_provides(cast):
    """K1 of the 2025 framework provided by the cast's court (the assessments rows' setup)."""
    from tests.assessments.permission_rows import _provided

    _provided(cast)
    return {"pk": cast.court.pk}


def _year_only(cast):
    _court_provides(cast)
    return {}


BUREAU_PAGE = everyone(403, reviewer=200, admin=200)

ROWS += [
    Row("reviews:provider_deadlines", BUREAU_PAGE, kwargs=_year_only),
    # No date: refused on the page (400) for the bureau; nobody else gets that far.
    Row("reviews:provider_deadline_change", everyone(403, reviewer=400, admin=400), method="POST",
        kwargs=_court_provides, data={"year": "2025", "deadline": ""}),
    Row("reviews:provider_remind", everyone(403, reviewer=302, admin=302), method="POST",
        kwargs=_court_provides, data={"year": "2025"}),
]  # fmt: skip
