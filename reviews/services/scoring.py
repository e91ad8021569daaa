"""Score sheets (得分表): one department's total for one year, stored with its breakdown.

Inputs: the return's values (the reviewer's verified value 核定值 where there is one), the review
scores (审核分, or the 复核分 after an appeal), approved adjustments (加分/扣分/一票否决), the
framework's tree, caps and grade thresholds for the department's kind. The arithmetic is
indicators.scoring (rules → roll-up with caps → bonus/deductions → grade); this module gathers the
inputs, stores the outcome and keeps it idempotent: the breakdown is canonical JSON and its sha256
is the sheet's fingerprint, so recomputing unchanged inputs writes nothing.

Reports and rankings read ScoreSheet rows; they never call this module.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import AnnualReturn
from assessments.selectors.returns import ReturnData, return_data_load
from assessments.values import parse_raw, reading_of
from indicators.models import AdjustmentItem, Indicator, ScoringRule
from indicators.readings import IndicatorReading
from indicators.scoring import IndicatorScore, ScoreSummary, score_indicator, summarise, thresholds_for_kind
from indicators.scoring.breakdown import areas_breakdown, points_text
from indicators.scoring.rollup import NodeTotal
from indicators.validation import derive_readings

from ..models import Adjustment, ReviewScore, ScoreSheet
from ..permissions import can_manage_results, publication_for
from .audit import review_audit_entry_record
from .errors import ReviewError, ScoresLocked

# Returns that have a score sheet: submitted at least once and not sent back to the department.
SCORED_STATUSES = (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.APPROVED, AnnualReturn.Status.CONFIRMED)


def verified_reading(indicator: Indicator, verified_raw: dict[str, Any]) -> IndicatorReading | None:
    """The reviewer's 核定值 as a reading; None when there is none (or it does not parse)."""
    if not verified_raw:
        return None
    parsed = parse_raw(indicator, verified_raw)
    if parsed.errors:
        return None
    return reading_of(indicator, SimpleNamespace(**parsed.columns))


@dataclass(frozen=True)
class ScoringInputs:
    data: ReturnData
    review_scores: dict[int, ReviewScore]  # by indicator id
    readings: dict[str, IndicatorReading]  # claimed, with verified values substituted, derived included
    claimed_readings: dict[str, IndicatorReading]
    adjustments: tuple[Adjustment, ...]


def scoring_inputs_load(annual_return: AnnualReturn, *, figures_only: bool = False) -> ScoringInputs:
    """Everything the score rests on; the review page also wants last year and evidence, a score
    sheet (`figures_only`) does not."""
    data = return_data_load(annual_return, figures_only=figures_only)
    review_scores = {
        score.indicator_id: score
        for score in ReviewScore.objects.filter(annual_return=annual_return).select_related("reviewer")
    }
    by_id = {indicator.pk: indicator for indicator in data.applicable}
    readings = dict(data.readings)
    for indicator_id, score in review_scores.items():
        indicator = by_id.get(indicator_id)
        if indicator is None:
            continue
        reading = verified_reading(indicator, score.verified_raw)
        if reading is not None:
            readings[indicator.code] = reading
    derived = {indicator.code for indicator in data.applicable if indicator.is_derived}
    underived = {code: reading for code, reading in readings.items() if code not in derived}
    adjustments = tuple(
        Adjustment.objects.filter(
            department_id=annual_return.department_id, year=annual_return.year, status=Adjustment.Status.APPROVED
        )
        .select_related("item")
        .order_by("kind", "item__order", "pk")
    )
    return ScoringInputs(
        data=data,
        review_scores=review_scores,
        readings=derive_readings(data.applicable, underived),
        claimed_readings=data.readings,
        adjustments=adjustments,
    )


def automatic_score(
    indicator: Indicator, reading: IndicatorReading | None, readings: Mapping[str, IndicatorReading]
) -> IndicatorScore | None:
    """What the rules give (自评分); None for reviewer-judged items, which have no automatic score,
    and for statistical indicators, which have no score at all."""
    if indicator.scoring_rule == ScoringRule.JUDGEMENT or indicator.is_statistical:
        return None
    return score_indicator(indicator, reading, readings=readings)


def indicator_scores(inputs: ScoringInputs) -> dict[str, IndicatorScore]:
    """Each applicable scored indicator's points: the reviewer's where reviewed, else the rules' on
    the (verified) figures; an unreviewed judgement item counts 0 until a reviewer scores it.
    Statistical indicators (统计指标) have no points and are left out, like inapplicable ones."""
    scores = {}
    for indicator in inputs.data.applicable:
        if indicator.is_statistical:
            continue
        review = inputs.review_scores.get(indicator.pk)
        reading = inputs.readings.get(indicator.code)
        if review is not None:
            # The reviewer's reason where there is one; an accepted automatic score keeps the rule's words.
            explanation = (
                review.reason.strip() or score_indicator(indicator, reading, readings=inputs.readings).explanation
            )
            scores[indicator.code] = IndicatorScore(
                indicator.code, indicator.max_points, review.effective_points, explanation
            )
            continue
        scores[indicator.code] = score_indicator(indicator, reading, readings=inputs.readings)
    return scores


def _adjustment_terms(
    adjustments: Iterable[Adjustment],
) -> tuple[list[Decimal], list[tuple[Decimal, Decimal | None]], bool]:
    bonuses: list[Decimal] = []
    deductions: list[tuple[Decimal, Decimal | None]] = []
    is_vetoed = False
    for adjustment in adjustments:
        item = adjustment.item
        points = adjustment.effective_points
        if adjustment.kind == AdjustmentItem.Kind.BONUS:
            bonuses.append(min(points, item.max_points) if item.max_points is not None else points)
        elif adjustment.kind == AdjustmentItem.Kind.DEDUCTION:
            deductions.append((points, item.max_points))
        elif adjustment.kind == AdjustmentItem.Kind.VETO and adjustment.final_points is None:
            # A veto set aside on appeal (复核分 recorded) no longer forces 不合格.
            is_vetoed = True
    return bonuses, deductions, is_vetoed


def summary_for(inputs: ScoringInputs) -> tuple[ScoreSummary, dict[str, IndicatorScore]]:
    annual_return = inputs.data.annual_return
    framework = annual_return.framework
    scores = indicator_scores(inputs)
    bonuses, deductions, is_vetoed = _adjustment_terms(inputs.adjustments)
    summary = summarise(
        areas=inputs.data.tree.areas,
        scores=scores,
        base_points=framework.base_points,
        bonus_awards=bonuses,
        bonus_cap=framework.bonus_cap,
        deductions=deductions,
        is_vetoed=is_vetoed,
        thresholds=thresholds_for_kind(inputs.data.tree.grade_thresholds, annual_return.department.kind),
    )
    return summary, scores


def breakdown_of(inputs: ScoringInputs, summary: ScoreSummary, scores: dict[str, IndicatorScore]) -> dict[str, Any]:
    """The stored breakdown: canonical, free of timestamps, so equal inputs give equal JSON."""
    annual_return = inputs.data.annual_return
    department, framework = annual_return.department, annual_return.framework
    by_code = {indicator.code: indicator for indicator in inputs.data.applicable}
    reviews_by_code = {
        indicator.code: inputs.review_scores[indicator.pk]
        for indicator in inputs.data.applicable
        if indicator.pk in inputs.review_scores
    }

    def indicator_entry(node: NodeTotal) -> dict[str, Any]:
        review = reviews_by_code.get(node.code)
        indicator = by_code[node.code]
        return {
            "code": node.code,
            "name": indicator.name,
            "rule": indicator.scoring_rule,
            "points": points_text(node.points),
            "max_points": points_text(node.max_points),
            "automatic_points": points_text(review.automatic_points) if review else points_text(node.points),
            "initial_points": points_text(review.points) if review else None,
            "final_points": points_text(review.final_points) if review else None,
            "source": "review" if review else "rules",
            "explanation": scores[node.code].explanation,
        }

    excluded = sorted(code for code, score in scores.items() if score.is_excluded)
    return {
        "framework": {"id": framework.pk, "name": framework.name, "year": framework.year, "version": framework.version},
        "department": {"id": department.pk, "code": department.code, "name": department.name, "kind": department.kind},
        "annual_return": {"id": annual_return.pk, "status": annual_return.status},
        "areas": areas_breakdown(summary, indicator_entry),
        "excluded": excluded,
        "adjustments": [
            {
                "id": adjustment.pk,
                "kind": adjustment.kind,
                "code": adjustment.item.code,
                "name": adjustment.item.name,
                "occurrences": adjustment.occurrences,
                "points": points_text(adjustment.effective_points),
                "initial_points": points_text(adjustment.points),
                "final_points": points_text(adjustment.final_points),
                "reason": adjustment.reason,
            }
            for adjustment in inputs.adjustments
        ],
        "totals": {
            "earned": points_text(summary.earned),
            "applicable_max": points_text(summary.applicable_max),
            "base_score": points_text(summary.base_score),
            "bonus": points_text(summary.bonus),
            "deductions": points_text(summary.deductions),
            "total": points_text(summary.total),
            "is_vetoed": summary.is_vetoed,
            "grade": summary.grade,
        },
    }


def fingerprint_of(breakdown: dict[str, Any]) -> str:
    canonical = json.dumps(breakdown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


SHEET_FIELDS = (
    "framework",
    "annual_return",
    "department_kind",
    "earned",
    "applicable_max",
    "base_score",
    "bonus",
    "deductions",
    "total",
    "is_vetoed",
    "grade",
    "area_points",
    "breakdown",
    "fingerprint",
    "computed_at",
)
AUDITED_FIELDS = ("total", "base_score", "bonus", "deductions", "is_vetoed", "grade", "area_points")


@transaction.atomic
def score_sheet_compute(
    *,
    annual_return: AnnualReturn,
    user: User | None = None,
    allow_final: bool = False,
    reason: str = "",
    rank: bool = True,
) -> tuple[ScoreSheet, bool]:
    """Compute and store the department's sheet for the return's year. Returns (sheet, changed).
    Unchanged inputs write nothing. A final sheet is refused unless `allow_final` (the 复核 decision).
    `rank=False` leaves the year's ranks to the caller (a recomputation of the whole year ranks once)."""
    inputs = scoring_inputs_load(annual_return, figures_only=True)
    summary, scores = summary_for(inputs)
    breakdown = breakdown_of(inputs, summary, scores)
    fingerprint = fingerprint_of(breakdown)
    values = {
        "framework": annual_return.framework,
        "annual_return": annual_return,
        "department_kind": annual_return.department.kind,
        "earned": summary.earned,
        "applicable_max": summary.applicable_max,
        "base_score": summary.base_score,
        "bonus": summary.bonus,
        "deductions": summary.deductions,
        "total": summary.total,
        "is_vetoed": summary.is_vetoed,
        "grade": summary.grade,
        "area_points": {area.code: points_text(area.points) for area in summary.areas},
        "breakdown": breakdown,
        "fingerprint": fingerprint,
        "computed_at": timezone.now(),
    }
    sheet = (
        ScoreSheet.objects.select_for_update()
        .filter(department_id=annual_return.department_id, year=annual_return.year)
        .first()
    )
    if sheet is not None and sheet.fingerprint == fingerprint:
        return sheet, False
    if sheet is not None and sheet.is_final and not allow_final:
        raise ScoresLocked("该单位本年度考核结果已确定，只能通过异议复核改变。")
    before = {name: getattr(sheet, name) for name in AUDITED_FIELDS} if sheet else {}
    if sheet is None:
        sheet = ScoreSheet.objects.create(department=annual_return.department, year=annual_return.year, **values)
    else:
        for name, value in values.items():
            setattr(sheet, name, value)
        sheet.version += 1  # the row is locked above: a plain increment cannot race
        sheet.save(update_fields=[*SHEET_FIELDS, "version"])
    review_audit_entry_record(
        action="score_sheet_compute",
        subject=str(sheet),
        year=sheet.year,
        department=annual_return.department,
        user=user,
        before=before,
        after={name: values[name] for name in AUDITED_FIELDS},
        reason=reason,
    )
    if rank:
        score_sheets_rank(year=annual_return.year)
    return sheet, True


def score_sheets_rank(*, year: int) -> None:
    """Store ranks for the year: overall and within the department kind, ties sharing a rank
    (1, 2, 2, 4). Only stored totals are compared; nothing is recomputed."""
    # A vetoed unit (一票否决, 不合格) ranks below every unit that was not vetoed, whatever its points.
    # Only what ranking reads: loading every sheet's breakdown JSON made ranking cost more than scoring.
    sheets = list(
        ScoreSheet.objects.filter(year=year)
        .only("department_kind", "is_vetoed", "total", "rank", "rank_in_kind")
        .order_by("is_vetoed", "-total", "department__sort_order", "department__code")
    )
    changed = []
    overall = _competition_ranks(sheets)
    in_kind: dict[int, int] = {}
    for kind in {sheet.department_kind for sheet in sheets}:
        in_kind.update(_competition_ranks([sheet for sheet in sheets if sheet.department_kind == kind]))
    for sheet in sheets:
        rank, rank_in_kind = overall[sheet.pk], in_kind[sheet.pk]
        if (sheet.rank, sheet.rank_in_kind) != (rank, rank_in_kind):
            sheet.rank, sheet.rank_in_kind = rank, rank_in_kind
            changed.append(sheet)
    if changed:
        ScoreSheet.objects.bulk_update(changed, ["rank", "rank_in_kind"])


def _competition_ranks(sheets: list[ScoreSheet]) -> dict[int, int]:
    ranks, previous_total, previous_rank = {}, None, 0
    for position, sheet in enumerate(sheets, start=1):
        key = (sheet.is_vetoed, sheet.total)
        rank = previous_rank if key == previous_total else position
        ranks[sheet.pk] = rank
        previous_total, previous_rank = key, rank
    return ranks


def score_sheets_recompute(*, year: int, user: User | None = None) -> int:
    """Recompute every sheet of the year whose return is under review or done; returns how many
    changed. Final sheets are left alone (they change only through 复核)."""
    changed = 0
    returns = AnnualReturn.objects.filter(year=year, status__in=SCORED_STATUSES).select_related(
        "department", "framework"
    )
    final_departments = set(ScoreSheet.objects.filter(year=year, is_final=True).values_list("department_id", flat=True))
    try:
        for annual_return in returns:
            if annual_return.department_id in final_departments:
                continue
            _, was_changed = score_sheet_compute(annual_return=annual_return, user=user, rank=False)
            changed += was_changed
    finally:
        # Ranks depend only on the final totals: once for the year, not once per sheet (which made
        # the recomputation quadratic in the number of units).
        if changed:
            score_sheets_rank(year=year)
    return changed


def recompute_department_year(*, department_id: int, year: int, user: User | None = None) -> None:
    """After an adjustment changes: recompute the department's sheet if it has a scored return."""
    annual_return = (
        AnnualReturn.objects.filter(department_id=department_id, year=year, status__in=SCORED_STATUSES)
        .select_related("department", "framework")
        .first()
    )
    if annual_return is not None:
        score_sheet_compute(annual_return=annual_return, user=user)


@dataclass(frozen=True)
class HistoricalScoring:
    scored: int  # units with a sheet for the year after scoring
    changed: int  # sheets written (new or with other figures than before)


@transaction.atomic
def historical_year_score(*, year: int, user: User) -> HistoricalScoring:
    """Score a 历史数据年度 on the bureau's request. Such a year is never scored on its own (its figures
    were entered after the fact, no unit submitted them); when the bureau asks, every return of the
    year gets a sheet from its figures as they stand, ranked once. Asking again after a re-import
    rescores; unchanged figures write nothing. Audited as one act."""
    if not can_manage_results(user):
        raise ReviewError("只有司法局（全部单位的审核员）或系统管理员可以为历史数据年度评分。")
    returns = list(
        AnnualReturn.objects.select_for_update(of=("self",))
        .filter(year=year)
        .select_related("department", "framework")
        .order_by("pk")
    )
    if not returns:
        raise ReviewError(f"{year}年度没有填报，无法评分。")
    if not all(annual_return.is_historical for annual_return in returns):
        raise ReviewError(f"{year}年度不是历史数据年度，其得分随审核自动计算。")
    if publication_for(year) is not None:
        raise ScoresLocked(f"{year}年度考核结果已公示，分数只能通过异议复核改变。")
    changed = 0
    for annual_return in returns:
        _, was_changed = score_sheet_compute(annual_return=annual_return, user=user, rank=False)
        changed += was_changed
    if changed:
        score_sheets_rank(year=year)
    review_audit_entry_record(
        action="historical_year_score",
        subject=f"{year}年度历史数据评分",
        year=year,
        user=user,
        after={"评分单位数": len(returns), "得分有变化": changed},
    )
    return HistoricalScoring(scored=len(returns), changed=changed)
