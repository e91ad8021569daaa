"""Reads of review and scoring: the queue, one return's review rows, results and rankings.

Everything is fetched in a fixed number of queries and handed on as frozen data; rankings read the
stored score sheets and never recompute a score.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from accounts.permissions import departments_for_user
from assessments.models import AnnualReturn, Evidence, IndicatorValue
from assessments.selectors.deadlines import overdue_q
from assessments.selectors.provided import ProvidedNote, provided_notes
from assessments.selectors.returns import ReturnData, return_data_load
from assessments.values import display
from indicators.models import Area, GradeThreshold, Indicator, ScoringRule
from indicators.presenting import Place, target_text, value_text
from indicators.provisions import provision_sources
from indicators.rates import rate_percent
from indicators.scoring import meets_target
from indicators.validation import check_rules, check_year_over_year

from .models import Adjustment, Appeal, Publication, ReviewAuditEntry, ReviewScore, ScoreSheet
from .services import provided_scores
from .services.scoring import automatic_score

Status = AnnualReturn.Status
QUEUE_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.CONFIRMED)

# --- the queue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    year: int | None = None
    status: str = Status.SUBMITTED
    kind: str = ""
    level: str = ""
    area: str = ""  # an area code: returns with unreviewed indicators in that area
    is_overdue: bool = False


def _overdue_q(today: datetime.date) -> Q:
    """Late: submitted after the deadline, or still not (re)submitted past the date in force
    (assessments.selectors.deadlines decides which date that is)."""
    return Q(is_late=True) | overdue_q(today)


def queue_base(user: User, year: int | None) -> QuerySet[AnnualReturn]:
    """Returns in the reviewer's scope, their own department's excluded (they never review it)."""
    returns = AnnualReturn.objects.filter(department__in=departments_for_user(user))
    if user.department_id:
        returns = returns.exclude(department_id=user.department_id)
    if year:
        returns = returns.filter(year=year)
    return returns


def review_queue(user: User, filters: QueueFilters) -> QuerySet[AnnualReturn]:
    """Oldest submission first, so nothing waits longest by accident."""
    returns = queue_base(user, filters.year).select_related("department", "framework")
    if filters.status:
        returns = returns.filter(status=filters.status)
    if filters.kind:
        returns = returns.filter(department__kind=filters.kind)
    if filters.level:
        returns = returns.filter(department__level=filters.level)
    if filters.is_overdue:
        returns = returns.filter(_overdue_q(timezone.localdate()))
    if filters.area:
        reviewed = ReviewScore.objects.filter(annual_return=OuterRef("annual_return"), indicator=OuterRef("indicator"))
        unreviewed_in_area = IndicatorValue.objects.filter(
            annual_return=OuterRef("pk"), indicator__group__area__code=filters.area
        ).exclude(Exists(reviewed))
        returns = returns.filter(Exists(unreviewed_in_area))
    # Counted in subqueries: joining both children would multiply rows (values × scores per return).
    return returns.annotate(
        reviewed_count=_count_of(ReviewScore.objects.filter(annual_return=OuterRef("pk"))),
        value_count=_count_of(IndicatorValue.objects.filter(annual_return=OuterRef("pk"))),
    ).order_by("first_submitted_at", "submitted_at", "department__sort_order", "department__code")


def _count_of(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("annual_return").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def queue_counts(user: User, year: int | None) -> dict[str, int]:
    """Returns in scope per status, and the overdue ones ("overdue"), in one query."""
    return queue_base(user, year).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
        overdue=Count("pk", filter=_overdue_q(timezone.localdate())),
    )


def queue_years() -> list[int]:
    return list(AnnualReturn.objects.order_by("-year").values_list("year", flat=True).distinct())


def area_choices(year: int | None) -> list[tuple[str, str]]:
    areas = Area.objects.filter(framework__status="published")
    if year:
        areas = areas.filter(framework__year=year)
    return list(areas.order_by("order", "code").values_list("code", "name").distinct())


# --- one return ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    indicator: Indicator
    area_code: str
    claimed: str  # 自报值 as text
    rate: Decimal | None
    is_no_cases: bool
    target: str
    meets_target: bool | None
    previous: str  # last year's value as text
    explanation: str  # the department's explanation of warnings
    warnings: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    automatic_points: Decimal | None  # 自评分 (None: judgement item, or excluded)
    is_excluded: bool
    review: ReviewScore | None
    is_reopened: bool
    reviewer_comment: str
    is_stale: bool  # claimed value changed after the review score
    score_url: str  # where the row's score form posts
    source: str = ""  # 数据来源：市中级人民法院, for a figure a 数据提供单位 provides
    provided: ProvidedNote | None = None  # the unit's own earlier figure (过渡期) and open disputes

    @property
    def is_judgement(self) -> bool:
        return self.indicator.scoring_rule == ScoringRule.JUDGEMENT

    @property
    def needs_attention(self) -> bool:
        provided = self.provided is not None and (self.provided.is_flagged or bool(self.provided.open_disputes))
        return bool(self.warnings) or self.is_stale or (self.is_judgement and self.review is None) or provided


@dataclass(frozen=True)
class ReviewPage:
    annual_return: AnnualReturn
    rows: tuple[ReviewRow, ...]
    areas: tuple[tuple[str, str], ...]
    sheet: ScoreSheet | None
    adjustments: tuple[Adjustment, ...]
    return_evidence: tuple[Evidence, ...]  # evidence of the return as a whole
    is_published: bool  # the year's results are published: scores no longer change here

    @property
    def reviewed_count(self) -> int:
        return sum(1 for row in self.rows if row.review is not None)

    @property
    def scored_count(self) -> int:
        """Rows a reviewer scores: statistical figures (统计指标) are shown but never scored."""
        return sum(1 for row in self.rows if not row.indicator.is_statistical)

    @property
    def missing_judgements(self) -> list[ReviewRow]:
        return [row for row in self.rows if row.is_judgement and row.review is None]


def _warnings(data: ReturnData) -> dict[str, list[str]]:
    rules = []
    for indicator in data.applicable:
        for rule in indicator.validation_rules.all():
            rule.indicator = indicator  # the tree's instance: no query per rule
            rules.append(rule)
    issues = check_rules([*rules, *data.tree.cross_rules], data.readings)
    issues += check_year_over_year(
        data.applicable,
        data.readings,
        data.previous_readings,
        default_percent=data.annual_return.framework.yoy_swing_percent,
    )
    by_code: dict[str, list[str]] = {}
    for issue in issues:
        by_code.setdefault(issue.indicator_code or "", []).append(issue.message)
    return by_code


def with_review_facts(returns: QuerySet[AnnualReturn]) -> QuerySet[AnnualReturn]:
    """The returns with their unit's score sheet of the year and whether the year is published
    (review_page reads them): a sheet is always written with its return (score_sheet_compute), one
    per unit and year as returns are."""
    return returns.select_related("score_sheet").annotate(
        is_year_published=Exists(Publication.objects.filter(year=OuterRef("year")))
    )


def review_page(annual_return: AnnualReturn) -> ReviewPage:
    """The claimed figures with last year's, the review scores, the evidence files, the score sheet
    and the unit's adjustments. 自评分 is what the rules give the claimed figures, so the scoring
    inputs (verified values, approved adjustments) are not loaded here."""
    data = return_data_load(annual_return, with_page_details=False)
    review_scores = {
        score.indicator_id: score
        for score in ReviewScore.objects.filter(annual_return=annual_return).select_related("reviewer").order_by()
    }
    evidence: dict[int | None, list[Evidence]] = {}
    for item in Evidence.objects.filter(annual_return=annual_return, deleted_at__isnull=True).order_by("pk"):
        evidence.setdefault(item.indicator_id, []).append(item)
    warnings = _warnings(data)
    notes, sources = {}, {}
    if any(indicator.is_provided for indicator in data.applicable):
        notes = provided_notes(annual_return)
        sources = provision_sources(data.applicable, [annual_return.department_id])
    # Reversed once and filled in per row: reverse() twice per row was a tenth of the page's render.
    slot = 987654321987
    score_url = reverse("reviews:score", kwargs={"pk": annual_return.pk, "indicator_pk": slot})
    rows = []
    for indicator in data.applicable:
        if indicator.is_derived:
            continue
        row = data.rows.get(indicator.pk)
        reading = data.readings.get(indicator.code)
        automatic = automatic_score(indicator, reading, data.readings)
        review = review_scores.get(indicator.pk)
        claimed = display(indicator, row) if row is not None else ""
        rows.append(
            ReviewRow(
                indicator=indicator,
                area_code=indicator.group.area.code,
                claimed=value_text(indicator, reading, Place.REVIEW) or claimed,
                rate=rate_percent(reading.numerator, reading.denominator) if reading and reading.is_rate else None,
                is_no_cases=bool(reading and reading.has_no_cases),
                target=target_text(indicator, Place.REVIEW),
                meets_target=meets_target(indicator, reading) if reading and not reading.is_empty else None,
                previous=value_text(indicator, data.previous_readings.get(indicator.code), Place.REVIEW),
                explanation=row.explanation if row is not None else "",
                warnings=tuple(warnings.get(indicator.code, ())),
                evidence=tuple(evidence.get(indicator.pk, ())),
                automatic_points=automatic.points if automatic else None,
                is_excluded=bool(automatic and automatic.is_excluded),
                review=review,
                is_reopened=bool(row and row.is_reopened),
                reviewer_comment=row.reviewer_comment if row is not None else "",
                is_stale=bool(review and row is not None and review.claimed_display != claimed),
                score_url=score_url.replace(str(slot), str(indicator.pk)),
                source=sources.get(indicator.pk, ""),
                provided=notes.get(indicator.pk),
            )
        )
    # The unit's sheet of the year and whether the year is published: read with the return when it
    # was looked up through with_review_facts, else in one query of their own.
    facts: Any = annual_return  # annotated by with_review_facts
    if not hasattr(annual_return, "is_year_published"):
        facts = with_review_facts(AnnualReturn.objects.filter(pk=annual_return.pk)).only("pk", "score_sheet").get()
    sheet = getattr(facts, "score_sheet", None)
    return ReviewPage(
        annual_return=annual_return,
        rows=tuple(rows),
        areas=tuple((area.area.code, area.area.name) for area in data.tree.areas),
        sheet=sheet,
        adjustments=tuple(
            Adjustment.objects.filter(department_id=annual_return.department_id, year=annual_return.year)
            .select_related("item", "entered_by", "approved_by")
            .order_by("kind", "pk")
        ),
        return_evidence=tuple(evidence.get(None, ())),
        is_published=facts.is_year_published,
    )


# --- results and rankings --------------------------------------------------------------------


@dataclass(frozen=True)
class RankingRow:
    sheet: ScoreSheet
    department: Department
    points: Decimal  # the total, or an area's subtotal
    rank: int
    previous_rank: int | None  # last year's rank in the same ranking, as published then
    # Places gained (+) or lost (−) since last year, counted among the units ranked in both years
    # only: 8 units this year against 20 last year read "↑17" when the ranks were compared as they
    # were. None when this unit (or last year's ranking) is missing.
    rank_change: int | None = None
    has_previous_ranking: bool = False

    @property
    def is_new(self) -> bool:
        """Ranked this year but not last year, while last year had a ranking: 新参评."""
        return self.previous_rank is None and self.has_previous_ranking


def _ranked(
    sheets: "Sequence[ScoreSheet | _PastSheet]", key: "Callable[[ScoreSheet | _PastSheet], Decimal]"
) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4); vetoed units after all others, as in the stored ranks."""
    ordered = sorted(
        sheets, key=lambda sheet: (sheet.is_vetoed, -key(sheet), sheet.department.sort_order, sheet.department.code)
    )
    ranks, previous, previous_rank = {}, None, 0
    for position, sheet in enumerate(ordered, start=1):
        value = (sheet.is_vetoed, key(sheet))
        rank = previous_rank if value == previous else position
        ranks[sheet.department_id] = rank
        previous, previous_rank = value, rank
    return ranks


def _points_of(area_code: str) -> "Callable[[ScoreSheet | _PastSheet], Decimal]":
    def key(sheet: "ScoreSheet | _PastSheet") -> Decimal:
        if not area_code:
            return sheet.total
        return Decimal(sheet.area_points.get(area_code) or 0)

    return key


# What the results page, its xlsx export and the results notice read of a sheet (not its breakdown).
RANKING_FIELDS = (
    "year",
    "department_kind",
    "total",
    "bonus",
    "deductions",
    "rank",
    "rank_in_kind",
    "grade",
    "is_vetoed",
    "area_points",
    "department__name",
    "department__code",
    "department__kind",
    "department__sort_order",
)


@dataclass(frozen=True)
class _PastUnit:
    sort_order: int
    code: str


@dataclass(frozen=True)
class _PastSheet:
    """Last year's sheet, as much as ranking it needs (read as plain values, not model instances)."""

    department_id: int
    is_vetoed: bool
    total: Decimal
    area_points: dict
    department: _PastUnit


def ranking(
    *, year: int, kind: str = "", area_code: str = "", departments: QuerySet[Department] | None = None
) -> list[RankingRow]:
    """The year's ranking from stored sheets — overall or by one area's subtotal, across all units or
    within one kind, or among `departments` only (ranks then count those only) — with last year's
    rank in the same ranking (areas matched by code). Two queries."""
    # The breakdown (every indicator's points, ~15 KB of JSON per sheet) is not needed to rank, and
    # decoding it for every unit of two years dominated the page; last year's sheets are only ranked,
    # so they come as plain values (a province's 3,000 model instances cost 100 ms).
    sheets = ScoreSheet.objects.filter(department_kind=kind) if kind else ScoreSheet.objects.all()
    if departments is not None:
        sheets = sheets.filter(department__in=departments)
    current = list(sheets.filter(year=year).select_related("department").only(*RANKING_FIELDS))
    previous = [
        _PastSheet(department_id, is_vetoed, total, area_points or {}, _PastUnit(sort_order, code))
        for department_id, is_vetoed, total, area_points, sort_order, code in sheets.filter(year=year - 1).values_list(
            "department_id", "is_vetoed", "total", "area_points", "department__sort_order", "department__code"
        )
    ]
    key = _points_of(area_code)
    ranks, previous_ranks = _ranked(current, key), _ranked(previous, key) if previous else {}
    in_both = {sheet.department_id for sheet in current} & {sheet.department_id for sheet in previous}
    now_among_both = _ranked([sheet for sheet in current if sheet.department_id in in_both], key)
    then_among_both = _ranked([sheet for sheet in previous if sheet.department_id in in_both], key)
    rows = [
        RankingRow(
            sheet=sheet,
            department=sheet.department,
            points=key(sheet),
            rank=ranks[sheet.department_id],
            previous_rank=previous_ranks.get(sheet.department_id),
            rank_change=(
                then_among_both[sheet.department_id] - now_among_both[sheet.department_id]
                if sheet.department_id in in_both
                else None
            ),
            has_previous_ranking=bool(previous),
        )
        for sheet in current
    ]
    return sorted(rows, key=lambda row: (row.rank, row.department.sort_order, row.department.code))


def is_historical_year(year: int) -> bool:
    """A 历史数据年度: its returns hold past figures and are scored only when the bureau asks."""
    return AnnualReturn.objects.filter(year=year, framework__is_historical=True).exists()


def result_years() -> list[int]:
    return list(ScoreSheet.objects.order_by("-year").values_list("year", flat=True).distinct())


def grade_counts(year: int, kind: str = "", departments: QuerySet[Department] | None = None) -> list[tuple[str, int]]:
    """(grade label, number of units) from 优秀 down, for the grades that occur."""
    sheets = ScoreSheet.objects.filter(year=year)
    if departments is not None:
        sheets = sheets.filter(department__in=departments)
    if kind:
        sheets = sheets.filter(department_kind=kind)
    counts = dict(sheets.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    return [(label, counts[grade]) for grade, label in GradeThreshold.Grade.choices if counts.get(grade)]


@dataclass(frozen=True)
class RescoreNotice:
    """得分变动说明: the unit's score was recomputed because a 数据提供单位 provided figures after its
    return was in (from the score sheet's audit row, reviews.services.provided_scores)."""

    at: datetime.datetime
    what: str  # 数据提供单位市中级人民法院提供了 G2.2 行政诉讼败诉率（15.00%）
    before_total: str
    after_total: str

    @property
    def change(self) -> str:
        if not self.before_total:
            return f"得分按新数据重新计算为 {self.after_total} 分"
        return f"得分按新数据重新计算，总分由 {self.before_total} 分变为 {self.after_total} 分"


RESCORE_NOTICES = 5  # the latest 得分变动说明 a page shows


def _is_rescore() -> Q:
    """An audit row of a sheet re-scored because a 数据提供单位 provided figures."""
    return Q(action="score_sheet_compute", reason__startswith=provided_scores.REASON_START)


def _rescore_notice(entry: ReviewAuditEntry) -> RescoreNotice:
    return RescoreNotice(
        at=entry.created_at,
        what=entry.reason.removesuffix(provided_scores.REASON_END),
        before_total=str(entry.before.get("total", "") or ""),
        after_total=str(entry.after.get("total", "") or ""),
    )


def provided_rescore_notices(*, department_id: int, year: int, limit: int = RESCORE_NOTICES) -> list[RescoreNotice]:
    """The latest re-scores of the unit's sheet after provided figures changed, newest first. One query."""
    entries = ReviewAuditEntry.objects.filter(_is_rescore(), department_id=department_id, year=year).order_by(
        "-created_at", "-pk"
    )[:limit]
    return [_rescore_notice(entry) for entry in entries]


def appeals_of_sheet(sheet: ScoreSheet) -> list[Appeal]:
    return list(
        sheet.appeals.select_related("review_score__indicator", "adjustment__item", "submitted_by", "decided_by")
    )


def contestable_scores(sheet: ScoreSheet) -> list[ReviewScore]:
    """Indicator scores below their maximum: what a department may appeal."""
    if sheet.annual_return_id is None:
        return []
    scores = ReviewScore.objects.filter(annual_return_id=sheet.annual_return_id).select_related("indicator")
    return [score for score in scores if score.points is not None and score.deduction > 0]


def contestable_adjustments(sheet: ScoreSheet) -> list[Adjustment]:
    return list(
        Adjustment.objects.filter(department_id=sheet.department_id, year=sheet.year, status=Adjustment.Status.APPROVED)
        .exclude(kind="bonus")
        .select_related("item")
    )


def audit_entries(*, department_id: int, year: int) -> QuerySet[ReviewAuditEntry]:
    """审核记录 of one unit's year, newest first (the review page and the score sheet paginate it)."""
    return (
        ReviewAuditEntry.objects.filter(department_id=department_id, year=year)
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class AuditLog:
    """One page of a unit's 审核记录, how many rows there are in all, and its latest 得分变动说明."""

    entries: list[ReviewAuditEntry]  # the page's rows, newest first
    total: int
    rescore_notices: list[RescoreNotice]


def audit_log(*, department_id: int, year: int, page: int, per_page: int) -> AuditLog:
    """Page `page` (from 1) of audit_entries, the total and provided_rescore_notices in one query: each
    row is numbered twice, among all rows and among the re-scores, and counted, and the rows kept are
    the page's and the newest re-scores. A query whose rows are all off the page and not re-scores
    cannot say the total: a page past the end (a stale link), which then costs a count."""
    newest_first = [F("created_at").desc(), F("pk").desc()]
    is_rescore = ExpressionWrapper(_is_rescore(), output_field=BooleanField())
    rows = list(
        audit_entries(department_id=department_id, year=year)
        .annotate(
            total=Window(Count("pk")),
            position=Window(RowNumber(), order_by=newest_first),
            is_rescore=is_rescore,
            rescore_position=Window(RowNumber(), partition_by=[is_rescore], order_by=newest_first),
        )
        .filter(
            Q(position__gt=(page - 1) * per_page, position__lte=page * per_page)
            | Q(is_rescore=True, rescore_position__lte=RESCORE_NOTICES)
        )
    )
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0  # the first page holds the newest rows when there are any
    else:
        total = audit_entries(department_id=department_id, year=year).count()
    first = (page - 1) * per_page
    return AuditLog(
        entries=[row for row in rows if first < row.position <= first + per_page],
        total=total,
        rescore_notices=[
            _rescore_notice(row) for row in rows if row.is_rescore and row.rescore_position <= RESCORE_NOTICES
        ],
    )
