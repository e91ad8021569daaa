"""A figure provided after the unit's return was submitted or approved (数据提供单位) re-scores the
unit through the normal recompute: assessments.services.provided tells `score_sheets_rescore_later`
(registered in reviews' AppConfig.ready), which queues the recompute once the provider's save commits
(a pasted column of 300 units must not wait for 300 score sheets). The score sheet's audit row says
why it changed — which provider provided which figures — and the unit's result page and the review
page show it (reviews.selectors.provided_rescore_notices). A final sheet (复核 decided) is left
alone: it changes only through 复核."""

from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction

from accounts.models import Department, User
from assessments.models import AnnualReturn, ProvidedValue
from assessments.values import display_raw

from ..models import ScoreSheet
from .scoring import SCORED_STATUSES, score_sheet_compute, score_sheets_rank

# Every reason of a re-score after provided figures starts with this (the notices find them by it).
REASON_START = "数据提供单位"
REASON_END = "，按新数据重新计分"
REASON = f"{REASON_START}更新了提供数据{REASON_END}"
LISTED = 5


def provided_reason(*, provider_name: str, figures: Sequence[tuple[str, str, str]]) -> str:
    """数据提供单位市中级人民法院提供了 G2.2 行政诉讼败诉率（3/20，15.00%），按新数据重新计分."""
    if not figures:
        return REASON
    listed = "、".join(f"{code} {name}（{text or '空'}）" for code, name, text in figures[:LISTED])
    more = f"等 {len(figures)} 项数据" if len(figures) > LISTED else ""
    return f"{REASON_START}{provider_name}提供了{listed}{more}{REASON_END}"


def _reasons(provider_id: int | None, changed: Sequence[Sequence[int]]) -> dict[int, str]:
    """By return id, the reason naming what the provider provided (one query)."""
    if provider_id is None or not changed:
        return {}
    provider = Department.objects.filter(pk=provider_id).only("name", "short_name").first()
    if provider is None:
        return {}
    pairs = {(int(return_id), int(indicator_id)) for return_id, indicator_id in changed}
    values = (
        ProvidedValue.objects.filter(annual_return_id__in={r for r, _ in pairs}, indicator_id__in={i for _, i in pairs})
        .select_related("indicator")
        .order_by("indicator__order", "indicator__code")
    )
    figures: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for value in values:
        if (value.annual_return_id, value.indicator_id) in pairs:
            indicator = value.indicator
            text = display_raw(indicator.value_type, value.raw_input)
            figures[value.annual_return_id].append((indicator.code, indicator.name, text))
    return {
        return_id: provided_reason(provider_name=provider.display_name, figures=listed)
        for return_id, listed in figures.items()
    }


def score_sheets_follow_provided(
    *,
    return_ids: list[int],
    user: User | None,
    provider_id: int | None = None,
    changed: Sequence[Sequence[int]] = (),
) -> int:
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
    reasons = _reasons(provider_id, changed)
    count, years = 0, set()
    for annual_return in returns:
        # Only a sheet that exists follows: a return not yet scored gets its sheet the usual way.
        if sheets.get((annual_return.department_id, annual_return.year), True):
            continue
        _, was_changed = score_sheet_compute(
            annual_return=annual_return, user=user, reason=reasons.get(annual_return.pk, REASON), rank=False
        )
        count += was_changed
        if was_changed:
            years.add(annual_return.year)
    for year in years:
        score_sheets_rank(year=year)
    return count


def score_sheets_rescore_later(
    *,
    return_ids: list[int],
    user: User | None,
    provider: Department | None = None,
    changed: Sequence[tuple[int, int]] = (),
) -> None:
    from ..tasks import rescore_after_provided

    ids, user_id = list(return_ids), (user.pk if user is not None else None)
    provider_id = provider.pk if provider is not None else None
    pairs = [[return_id, indicator_id] for return_id, indicator_id in changed]
    transaction.on_commit(lambda: rescore_after_provided.delay(ids, user_id, provider_id, pairs))
