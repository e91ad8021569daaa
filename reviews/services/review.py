"""Reviewing one return: per-indicator scores with reasons, targeted return, approve, confirm, reopen.

Status moves go through assessments.services.workflow (its transition table, row lock, version and
ReturnTransition log); this module adds what review needs around them — the reviewer's scores,
clearing stale reopen marks, the score sheet, the audit row with before/after values and the
notice to the department — all in the same transaction.
"""

import datetime
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from assessments.services import workflow
from assessments.values import clean_raw, display, parse_raw
from indicators.models import Indicator, ScoringRule
from indicators.presenting import date_text
from indicators.scoring import ScoringError
from indicators.scoring.rules import judgement as judged_points
from indicators.scoring.rules import round_points

from ..models import Notification, Publication, ReviewScore, ScoreSheet
from ..permissions import can_review_return
from .audit import review_audit_entry_record
from .errors import ReviewError, ScoresLocked
from .notifications import notify_department
from .scoring import automatic_score, score_sheet_compute, scoring_inputs_load, verified_reading

Status = AnnualReturn.Status
SCORABLE_STATUSES = (Status.SUBMITTED, Status.APPROVED)


def _ensure_reviewer(user: User, annual_return: AnnualReturn) -> None:
    if not can_review_return(user, annual_return):
        raise ReviewError("您无权审核这份填报（不在审核范围内，或为本单位填报）。")


def _ensure_scores_open(annual_return: AnnualReturn) -> None:
    if annual_return.status == Status.CONFIRMED:
        raise ScoresLocked("这份填报已确认锁定，分数不能再改；如确需修改，请先说明理由解除锁定。")
    if annual_return.status not in SCORABLE_STATUSES:
        raise ReviewError(f"这份填报{annual_return.get_status_display()}，待单位提交后才能评分。")
    if Publication.objects.filter(year=annual_return.year).exists():
        raise ScoresLocked("本年度考核结果已公示，分数只能通过异议复核改变。")
    sheets = ScoreSheet.objects.filter(department_id=annual_return.department_id, year=annual_return.year)
    if sheets.filter(is_final=True).exists():
        raise ScoresLocked("该单位本年度考核结果已确定。")


def _clean_verified(indicator: Indicator, verified_raw: Mapping[str, object] | None) -> dict[str, Any]:
    raw = clean_raw(indicator.value_type, verified_raw or {})
    if not any(value not in ("", [], None) for value in raw.values()):
        return {}
    parsed = parse_raw(indicator, raw)
    if parsed.errors:
        raise ReviewError(f"{indicator.code} 核定值有误：{parsed.error}")
    return raw


def _checked_points(
    indicator: Indicator, *, points: Decimal | None, automatic: Decimal | None, suggested: Decimal | None, reason: str
) -> Decimal | None:
    if indicator.scoring_rule == ScoringRule.JUDGEMENT:
        if points is None:
            raise ReviewError(f"{indicator.code} 为审核员评定项，请填写审核分。")
        params = indicator.scoring_params or {}
        try:
            return judged_points(
                max_points=indicator.max_points,
                awarded=points,
                reason=reason,
                minimum=Decimal(str(params.get("min", 0))),
                maximum=Decimal(str(params["max"])) if params.get("max") not in (None, "") else None,
            )
        except ScoringError as error:
            raise ReviewError(f"{indicator.code} {error}") from None
    if points is None:
        return suggested if suggested is not None else automatic
    if not Decimal(0) <= points <= indicator.max_points:
        raise ReviewError(f"{indicator.code} 审核分须在 0 至 {indicator.max_points:f} 分之间。")
    return round_points(points)


@transaction.atomic
def review_score_save(
    *,
    annual_return: AnnualReturn,
    indicator: Indicator,
    user: User,
    points: Decimal | None,
    reason: str = "",
    verified_raw: Mapping[str, object] | None = None,
    expected_version: int | None = None,
) -> ReviewScore:
    """Record the reviewer's 核定值 and 审核分 for one indicator. `points` None accepts what the rules
    give on the (verified) figure. A reason is required for every judgement item, for any score
    other than the automatic one (自评分) and for any verified value (核定值)."""
    locked = workflow.lock_return(annual_return)
    _ensure_reviewer(user, locked)
    _ensure_scores_open(locked)
    inputs = scoring_inputs_load(locked)
    if indicator not in inputs.data.applicable:
        raise ReviewError("该指标不适用于这份填报。")
    if indicator.is_statistical:
        raise ReviewError(f"{indicator.code} 是统计指标，不计分。")
    reason = (reason or "").strip()
    verified = _clean_verified(indicator, verified_raw)
    claimed = inputs.claimed_readings.get(indicator.code)
    automatic = automatic_score(indicator, claimed, inputs.claimed_readings)
    automatic_points = automatic.points if automatic else None
    suggested = None
    if verified:
        verified_value = verified_reading(indicator, verified)
        readings = {code: r for code, r in inputs.claimed_readings.items() if code != indicator.code}
        if verified_value is not None:
            readings[indicator.code] = verified_value
        suggested_score = automatic_score(indicator, verified_value, readings)
        suggested = suggested_score.points if suggested_score else None
    final_points = _checked_points(
        indicator, points=points, automatic=automatic_points, suggested=suggested, reason=reason
    )
    if not reason and (verified or final_points != automatic_points):
        raise ReviewError(f"{indicator.code} 审核分与自评分不同（或核定了不同的数值），须填写理由。")
    row = inputs.data.rows.get(indicator.pk)
    existing = ReviewScore.objects.select_for_update().filter(annual_return=locked, indicator=indicator).first()
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise ReviewError(f"{indicator.code} 的审核分已被他人修改，请刷新后再操作。")
    values = {
        "claimed_display": display(indicator, row) if row is not None else "",
        "verified_raw": verified,
        "verified_display": display(indicator, _verified_row(indicator, verified)) if verified else "",
        "max_points": indicator.max_points,
        "automatic_points": automatic_points,
        "points": final_points,
        "is_judgement": indicator.scoring_rule == ScoringRule.JUDGEMENT,
        "reason": reason,
        "reviewer": user,
    }
    before = _score_state(existing)
    if existing is None:
        score = ReviewScore.objects.create(annual_return=locked, indicator=indicator, **values)
    else:
        score = existing
        for name, value in values.items():
            setattr(score, name, value)
        score.version = F("version") + 1
        score.save(update_fields=[*values, "version", "reviewed_at"])
        score.refresh_from_db(fields=["version"])
    review_audit_entry_record(
        action="review_score",
        subject=f"{locked.department} {locked.year} {indicator.code} {indicator.name}",
        year=locked.year,
        department=locked.department,
        user=user,
        before=before,
        after=_score_state(score),
        reason=reason,
    )
    score_sheet_compute(annual_return=locked, user=user)
    return score


def _verified_row(indicator: Indicator, verified: dict[str, Any]) -> SimpleNamespace:
    """The verified raw input as a row-shaped value, for `display`."""
    return SimpleNamespace(**parse_raw(indicator, verified).columns)


def _score_state(score: ReviewScore | None) -> dict[str, Any]:
    if score is None:
        return {}
    return {
        "verified": score.verified_display,
        "automatic_points": score.automatic_points,
        "points": score.points,
        "final_points": score.final_points,
        "reason": score.reason,
    }


def _clear_reopen_marks(locked: AnnualReturn, *, keep: AbstractSet[int] = frozenset()) -> None:
    """Marks of an earlier targeted return must not make a later whole return look targeted."""
    IndicatorValue.objects.filter(annual_return=locked, is_reopened=True).exclude(indicator_id__in=keep).update(
        is_reopened=False, reopened_at=None, reopened_by=None
    )
    NarrativeSection.objects.filter(annual_return=locked, is_reopened=True).update(is_reopened=False)


@transaction.atomic
def review_send_back(
    *,
    annual_return: AnnualReturn,
    user: User,
    comment: str,
    indicator_comments: Mapping[int, str] | None = None,
    resubmit_deadline: datetime.date | None = None,
    expected_version: int | None = None,
) -> AnnualReturn:
    """退回修改: only the indicators in `indicator_comments` ({indicator id: comment}) reopen, each
    with its comment; without any, the whole return reopens. A deadline for resubmission is required."""
    locked = workflow.lock_return(annual_return)
    _ensure_reviewer(user, locked)
    if locked.status == Status.CONFIRMED:
        raise ReviewError("这份填报已确认锁定，请使用“解除锁定”并说明理由。")
    indicator_comments = {int(key): (text or "").strip() for key, text in (indicator_comments or {}).items()}
    if any(not text for text in indicator_comments.values()):
        raise ReviewError("退回的每个指标都须填写审核意见。")
    if resubmit_deadline is None or resubmit_deadline < timezone.localdate():
        raise ReviewError("请指定不早于今天的重新提交期限。")
    before = {"status": locked.status}
    _clear_reopen_marks(locked)
    returned = workflow.annual_return_send_back(
        annual_return=locked,
        user=user,
        comment=comment,
        indicator_comments=indicator_comments,
        resubmit_deadline=resubmit_deadline,
        expected_version=expected_version,
    )
    reopened = Indicator.objects.filter(pk__in=list(indicator_comments)).order_by("order", "code")
    codes = list(reopened.values_list("code", flat=True))
    review_audit_entry_record(
        action="return",
        subject=str(returned),
        year=returned.year,
        department=returned.department,
        user=user,
        before=before,
        after={"status": returned.status, "reopened": codes or "整份填报", "resubmit_deadline": resubmit_deadline},
        reason=comment,
    )
    what = f"{len(codes)} 项指标" if codes else "整份填报"
    notify_department(
        department=returned.department,
        kind=Notification.Kind.RETURNED,
        title=f"{returned.year}年度填报被退回修改（{what}）",
        body=f"审核意见：{comment}\n请于{date_text(resubmit_deadline)}前修改后重新提交。",
        url=reverse("accounts:home"),
    )
    return returned


def missing_judgements(annual_return: AnnualReturn) -> list[Indicator]:
    inputs = scoring_inputs_load(annual_return)
    return [
        indicator
        for indicator in inputs.data.applicable
        if indicator.scoring_rule == ScoringRule.JUDGEMENT and indicator.pk not in inputs.review_scores
    ]


def stale_review_scores(annual_return: AnnualReturn) -> list[Indicator]:
    """Indicators whose claimed value changed after the reviewer scored them (e.g. fixed after a
    return): the score was for a figure that no longer stands and must be looked at again."""
    inputs = scoring_inputs_load(annual_return)
    stale = []
    for indicator in inputs.data.applicable:
        score, row = inputs.review_scores.get(indicator.pk), inputs.data.rows.get(indicator.pk)
        if score is not None and row is not None and score.claimed_display != display(indicator, row):
            stale.append(indicator)
    return stale


def _accept_automatic_scores(locked: AnnualReturn, user: User) -> list[str]:
    """On approval every indicator the reviewer did not touch gets its 初审分 = the automatic score,
    so each indicator has a recorded score (and a department can appeal any deduction)."""
    inputs = scoring_inputs_load(locked)
    accepted = []
    for indicator in inputs.data.applicable:
        if (
            indicator.pk in inputs.review_scores
            or indicator.scoring_rule == ScoringRule.JUDGEMENT
            or indicator.is_statistical
        ):
            continue
        row = inputs.data.rows.get(indicator.pk)
        automatic = automatic_score(indicator, inputs.claimed_readings.get(indicator.code), inputs.claimed_readings)
        if automatic is None:  # excluded above: judged and statistical indicators have no automatic score
            continue
        accepted.append(
            ReviewScore(
                annual_return=locked,
                indicator=indicator,
                claimed_display=display(indicator, row) if row is not None else "",
                max_points=indicator.max_points,
                automatic_points=automatic.points,
                points=automatic.points,
                reviewer=user,
            )
        )
    ReviewScore.objects.bulk_create(accepted)
    return [score.indicator.code for score in accepted]


@transaction.atomic
def review_approve(
    *, annual_return: AnnualReturn, user: User, comment: str = "", expected_version: int | None = None
) -> AnnualReturn:
    """审核通过: every judgement item must have the reviewer's score first."""
    locked = workflow.lock_return(annual_return)
    _ensure_reviewer(user, locked)
    missing = missing_judgements(locked)
    if missing:
        codes = "、".join(indicator.code for indicator in missing)
        raise ReviewError(f"以下审核员评定项尚未评分：{codes}")
    stale = stale_review_scores(locked)
    if stale:
        codes = "、".join(indicator.code for indicator in stale)
        raise ReviewError(f"以下指标的自报值在评分后已修改，请重新审核评分：{codes}")
    _clear_reopen_marks(locked)
    accepted = _accept_automatic_scores(locked, user)
    approved = workflow.annual_return_transition(
        annual_return=locked, action="approve", user=user, comment=comment, expected_version=expected_version
    )
    sheet, _ = score_sheet_compute(annual_return=approved, user=user)
    review_audit_entry_record(
        action="approve",
        subject=str(approved),
        year=approved.year,
        department=approved.department,
        user=user,
        before={"status": Status.SUBMITTED},
        after={
            "status": approved.status,
            "total": sheet.total,
            "grade": sheet.grade,
            "accepted_automatic": accepted,
        },
        reason=comment,
    )
    notify_department(
        department=approved.department,
        kind=Notification.Kind.APPROVED,
        title=f"{approved.year}年度填报已审核通过",
        url=reverse("accounts:home"),
    )
    return approved


@transaction.atomic
def review_confirm(*, annual_return: AnnualReturn, user: User, expected_version: int | None = None) -> AnnualReturn:
    """确认锁定: values, evidence and review scores no longer change except through an audited reopening."""
    locked = workflow.lock_return(annual_return)
    _ensure_reviewer(user, locked)
    confirmed = workflow.annual_return_transition(
        annual_return=locked, action="confirm", user=user, expected_version=expected_version
    )
    sheet, _ = score_sheet_compute(annual_return=confirmed, user=user)
    review_audit_entry_record(
        action="confirm",
        subject=str(confirmed),
        year=confirmed.year,
        department=confirmed.department,
        user=user,
        before={"status": Status.APPROVED},
        after={"status": confirmed.status, "total": sheet.total, "grade": sheet.grade},
    )
    notify_department(
        department=confirmed.department,
        kind=Notification.Kind.CONFIRMED,
        title=f"{confirmed.year}年度填报已确认锁定",
        url=reverse("accounts:home"),
    )
    return confirmed


@transaction.atomic
def review_reopen(
    *,
    annual_return: AnnualReturn,
    user: User,
    reason: str,
    indicator_comments: Mapping[int, str] | None = None,
    resubmit_deadline: datetime.date | None = None,
    expected_version: int | None = None,
) -> AnnualReturn:
    """Unlock a confirmed return (whole, or named indicators) with a mandatory reason. Once a year's
    results are published, scores change only through 复核, so reopening is refused."""
    locked = workflow.lock_return(annual_return)
    if not (reason or "").strip():
        raise ReviewError("解除锁定须填写理由。")
    if Publication.objects.filter(year=locked.year).exists():
        raise ScoresLocked("本年度考核结果已公示，不能解除锁定；分数只能通过异议复核改变。")
    indicator_comments = {int(key): (text or "").strip() for key, text in (indicator_comments or {}).items()}
    if any(not text for text in indicator_comments.values()):
        raise ReviewError("退回的每个指标都须填写审核意见。")
    _clear_reopen_marks(locked)
    reopened = workflow.annual_return_reopen(
        annual_return=locked,
        user=user,
        reason=reason,
        indicator_comments=indicator_comments,
        expected_version=expected_version,
    )
    if resubmit_deadline is not None:
        AnnualReturn.objects.filter(pk=reopened.pk).update(resubmit_deadline=resubmit_deadline)
    review_audit_entry_record(
        action="reopen",
        subject=str(reopened),
        year=reopened.year,
        department=reopened.department,
        user=user,
        before={"status": Status.CONFIRMED},
        after={"status": reopened.status, "reopened": sorted(indicator_comments) or "整份填报"},
        reason=reason,
    )
    notify_department(
        department=reopened.department,
        kind=Notification.Kind.REOPENED,
        title=f"{reopened.year}年度填报已解除锁定并退回修改",
        body=f"理由：{reason}",
        url=reverse("accounts:home"),
    )
    return reopened
