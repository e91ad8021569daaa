"""A figure provided after the unit's return was submitted or approved (数据提供单位) re-scores the
unit through the normal recompute: assessments.services.provided tells `score_sheets_rescore_later`
(registered in reviews' AppConfig.ready), which queues the recompute once the provider's save commits
(a pasted column of 300 units must not wait for 300 score sheets). The score sheet's audit row says
why it changed. A final sheet (复核 decided) is left alone: it changes only through 复核."""

from django.db import transaction

from accounts.models import User
from assessments.models import AnnualReturn

from ..models import ScoreSheet
from .scoring import SCORED_STATUSES, score_sheet_compute, score_sheets_rank

REASON = "数据提供单位更新了提供数据，按新数据重新计分"


def score_sheets_follow_provided(*, return_ids: list[int], user: User | None) -> int:
    """Recompute the existing, not final sheets of these returns; how many changed."""
    returns = AnnualReturn.objects.filter(pk__in=return_ids, status__in=SCORED_STATUSES).select_related(
        "department", "framework"
    )
    sheets = {
        (department_id, year): is_final
        for department_id, year, is_final in ScoreSheet.objects.filter(
            department_id__in=[r.department_id for r in returns], year__in={r.year for r in returns}
        ).values_list("department_id", "year", "is_final")
    }
    changed, years = 0, set()
    for annual_return in returns:
        # Only a sheet that exists follows: a return not yet scored gets its sheet the usual way.
        if sheets.get((annual_return.department_id, annual_return.year), True):
            continue
        _, was_changed = score_sheet_compute(annual_return=annual_return, user=user, reason=REASON, rank=False)
        changed += was_changed
        if was_changed:
            years.add(annual_return.year)
    for year in years:
        score_sheets_rank(year=year)
    return changed


def score_sheets_rescore_later(*, return_ids: list[int], user: User | None) -> None:
    from ..tasks import rescore_after_provided

    ids, user_id = list(return_ids), (user.pk if user is not None else None)
    transaction.on_commit(lambda: rescore_after_provided.delay(ids, user_id))
