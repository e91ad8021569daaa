"""Results: rankings per year (overall, by area, by kind), publication, finalising, xlsx, one sheet."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Department
from assessments.services.errors import ReturnActionError
from audit.services import audit_read
from files.responses import xlsx_response

from .. import selectors
from ..exporting import results_workbook
from ..forms import AppealForm, PublishForm
from ..models import ScoreSheet
from ..permissions import (
    can_appeal,
    can_manage_results,
    can_see_all_results,
    can_see_breakdowns,
    can_see_ranking,
    publication_for,
    result_departments_for_user,
    score_sheet_get_for_user,
    score_sheets_for_user,
)
from ..services import publication as services
from ..services import scoring
from .common import audit_page, forbidden, form_errors

RANKING_ROWS_PER_PAGE = 100


def _areas(year: int) -> list[tuple[str, str]]:
    return selectors.area_choices(year)


@login_required
@require_safe
def results_index(request):
    years = selectors.result_years()
    return redirect("reviews:results", year=years[0] if years else timezone.localdate().year - 1)


@login_required
@require_safe
def results(request, year: int):
    publication = publication_for(year)
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Department.Kind.values else ""
    area = request.GET.get("area", "")
    show_ranking = can_see_ranking(request.user, year) and (publication or can_see_all_results(request.user))
    show_breakdowns = can_see_breakdowns(request.user, year)
    if not show_breakdowns:
        area = ""  # ranking by an area's subtotal would show each unit's area points
    departments = result_departments_for_user(request.user, year)
    rows = selectors.ranking(year=year, kind=kind, area_code=area, departments=departments) if show_ranking else []
    # A province ranks 3,000 units: the page shows them a hundred at a time (the export has them all),
    # opening on the page that holds the user's own unit.
    paginator = Paginator(rows, RANKING_ROWS_PER_PAGE)
    page_number = request.GET.get("page")
    if page_number is None and request.user.department_id:
        own_index = next((i for i, row in enumerate(rows) if row.department.pk == request.user.department_id), None)
        if own_index is not None:
            page_number = own_index // RANKING_ROWS_PER_PAGE + 1
    own_sheet = None
    if request.user.is_department_staff:
        own_sheet = score_sheets_for_user(request.user, year).select_related("department").first()
    return render(
        request,
        "reviews/results.html",
        {
            "year": year,
            "years": selectors.result_years(),
            "publication": publication,
            "rows": rows,
            "page": paginator.get_page(page_number),
            "show_ranking": show_ranking,
            "may_open_sheets": can_see_all_results(request.user),
            "own_sheet": own_sheet,
            "kind": kind,
            "area": area,
            "kinds": Department.Kind.choices,
            "areas": _areas(year) if show_breakdowns else [],
            "is_scoped": departments is not None,
            "grade_counts": selectors.grade_counts(year, kind, departments) if show_ranking else [],
            "may_manage": can_manage_results(request.user),
            "is_historical": selectors.is_historical_year(year),
            "publish_form": PublishForm(initial={"appeal_deadline": timezone.localdate() + datetime.timedelta(days=7)}),
        },
    )


@login_required
@require_safe
def results_export(request, year: int):
    if not (can_see_all_results(request.user) or (publication_for(year) and can_see_ranking(request.user, year))):
        return forbidden("考核排名未向各单位公开。")
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Department.Kind.values else ""
    departments = result_departments_for_user(request.user, year)
    rows = selectors.ranking(year=year, kind=kind, departments=departments)
    content = results_workbook(
        year=year,
        rows=rows,
        areas=_areas(year),
        with_breakdowns=can_see_breakdowns(request.user, year),
        is_scoped=departments is not None,
    )
    return xlsx_response(content, f"{year}年度法治政府建设考核结果.xlsx")


@login_required
@require_POST
def publish(request, year: int):
    if not can_manage_results(request.user):
        return forbidden("只有司法局（全部单位的审核员）或系统管理员可以发布考核结果。")
    form = PublishForm(request.POST)
    try:
        if not form.is_valid():
            raise ReturnActionError(form_errors(form))
        services.results_publish(year=year, user=request.user, **form.cleaned_data)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"{year}年度考核初步结果已公示。")
    return redirect("reviews:results", year=year)


@login_required
@require_POST
def finalise(request, year: int):
    if not can_manage_results(request.user):
        return forbidden("只有司法局（全部单位的审核员）或系统管理员可以确定最终结果。")
    try:
        services.results_finalise(year=year, user=request.user)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"{year}年度考核结果已确定。")
    return redirect("reviews:results", year=year)


@login_required
@require_POST
def ranking_visibility(request, year: int):
    if not can_manage_results(request.user):
        return forbidden("您无权修改排名公开设置。")
    try:
        services.results_set_ranking_public(year=year, is_public=request.POST.get("public") == "1", user=request.user)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    return redirect("reviews:results", year=year)


@login_required
@require_POST
def breakdown_visibility(request, year: int):
    if not can_manage_results(request.user):
        return forbidden("您无权修改明细公开设置。")
    try:
        services.results_set_breakdown_public(year=year, is_public=request.POST.get("public") == "1", user=request.user)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
    return redirect("reviews:results", year=year)


@login_required
@require_POST
def historical_score(request, year: int):
    """评分 of a 历史数据年度, which is never scored unless the bureau asks."""
    if not can_manage_results(request.user):
        return forbidden("只有司法局（全部单位的审核员）或系统管理员可以为历史数据年度评分。")
    try:
        outcome = scoring.historical_year_score(year=year, user=request.user)
    except ReturnActionError as refusal:
        messages.error(request, refusal.message)
        return redirect("assessments:historical_years")
    changed = f"其中 {outcome.changed} 个单位的得分有变化" if outcome.changed else "得分均无变化"
    messages.success(request, f"已按{year}年度历史数据为 {outcome.scored} 个单位评分，{changed}。")
    return redirect("reviews:results", year=year)


@login_required
@require_safe
def sheet(request, pk: int):
    record: ScoreSheet = score_sheet_get_for_user(request.user, pk)
    audit_read(request, record, record.department_id)
    publication = publication_for(record.year)
    appeal_form = None
    if can_appeal(request.user, record) and publication and not publication.is_final:
        appeal_form = AppealForm()
    if can_see_all_results(request.user):
        audit, rescore_notices = audit_page(request, department_id=record.department_id, year=record.year)
    else:
        audit = None
        rescore_notices = selectors.provided_rescore_notices(department_id=record.department_id, year=record.year)
    return render(
        request,
        "reviews/sheet.html",
        {
            "sheet": record,
            "breakdown": record.breakdown,
            "publication": publication,
            "appeals": selectors.appeals_of_sheet(record),
            "rescore_notices": rescore_notices,
            "appeal_form": appeal_form,
            "contestable_scores": selectors.contestable_scores(record) if appeal_form else [],
            "contestable_adjustments": selectors.contestable_adjustments(record) if appeal_form else [],
            "audit": audit,
        },
    )
