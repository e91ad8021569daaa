"""Submitting a return: the checks, the 自评分, the deadline, then the move to 已提交 (which locks the
values for the department until a reviewer returns them)."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from indicators.presenting import date_text
from indicators.scoring import ScoreSummary

from .. import permissions
from ..models import AnnualReturn, IndicatorValue, NarrativeSection
from ..selectors.checking import ReturnCheck, return_check
from ..selectors.deadlines import due_date, local_today
from ..selectors.returns import ReturnData, return_data_load
from ..selectors.self_score import indicator_scores, score_detail, self_score
from .errors import DeadlinePassed, StaleReturn, SubmissionBlocked, TransitionNotAllowed
from .workflow import apply_transition, check_version, lock_return


@dataclass(frozen=True)
class SubmissionPreview:
    """What the department sees before confirming: problems, the self score, and a fingerprint of
    the content it was computed from (so a change in between is caught at confirmation)."""

    data: ReturnData
    check: ReturnCheck
    score: ScoreSummary
    fingerprint: str
    deadline_problem: str


def content_fingerprint(annual_return: AnnualReturn) -> str:
    """Changes whenever any value or section of the return changes (every save bumps a version)."""
    parts = [
        *IndicatorValue.objects.filter(annual_return=annual_return).order_by("pk").values_list("pk", "version"),
        *NarrativeSection.objects.filter(annual_return=annual_return).order_by("pk").values_list("pk", "version"),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def deadline_problem(annual_return: AnnualReturn, *, today: datetime.date | None = None) -> str:
    """Why the first submission would be refused for lateness, or "" when it may go in. A return
    sent back by a reviewer is not held to the original deadline."""
    if annual_return.first_submitted_at is not None or annual_return.deadline is None:
        return ""  # already met, or a 历史数据年度 with nothing owed by a date
    today = today or local_today()
    if today <= annual_return.deadline:
        return ""
    if annual_return.extended_until is not None and today <= annual_return.extended_until:
        return ""
    deadline = annual_return.extended_until or annual_return.deadline
    return f"已超过提交截止日期（{date_text(deadline)}）。逾期提交须由司法局批准延期，请联系审核员。"


def submission_preview(annual_return: AnnualReturn) -> SubmissionPreview:
    data = return_data_load(annual_return)
    return SubmissionPreview(
        data=data,
        check=return_check(data),
        score=self_score(data),
        fingerprint=content_fingerprint(annual_return),
        deadline_problem=deadline_problem(annual_return),
    )


@transaction.atomic
def annual_return_submit(
    *,
    annual_return: AnnualReturn,
    user: User,
    expected_version: int | None = None,
    fingerprint: str | None = None,
    now: datetime.datetime | None = None,
) -> AnnualReturn:
    """已提交: refused unless every blocking check passes and the deadline (or an extension) allows.
    Stores the 自评分 with its breakdown, flags a first submission after its due date (the deadline
    or the approved extension) as 逾期,
    and clears the per-indicator reopen flags of a targeted return."""
    now = now or timezone.now()
    locked = lock_return(annual_return)
    check_version(locked, expected_version)
    if not permissions.can_submit_return(user, locked):
        raise TransitionNotAllowed(f"这份填报{locked.get_status_display()}，您不能提交。")
    if fingerprint is not None and fingerprint != content_fingerprint(locked):
        raise StaleReturn("确认提交之前，填报内容又有修改。请重新检查自评分后再提交。")
    today = local_today(now)
    problem = deadline_problem(locked, today=today)
    if problem:
        raise DeadlinePassed(problem)
    data = return_data_load(locked)
    check = return_check(data)
    if not check.is_submittable:
        raise SubmissionBlocked(f"还有 {len(check.blocking)} 项问题需要处理，处理后才能提交。", check)
    summary = self_score(data)
    is_first = locked.first_submitted_at is None
    due = due_date(locked)  # None for a past year's return entered without a deadline
    IndicatorValue.objects.filter(annual_return=locked, is_reopened=True).update(is_reopened=False)
    NarrativeSection.objects.filter(annual_return=locked, is_reopened=True).update(is_reopened=False)
    return apply_transition(
        locked,
        "submit",
        user=user,
        extra_fields={
            "submitted_at": now,
            "submitted_by": user,
            "first_submitted_at": now if is_first else locked.first_submitted_at,
            # The one due-date rule (deadlines.due_date): within an approved extension is in time.
            "is_late": locked.is_late or (is_first and due is not None and today > due),
            "self_score": summary.total,
            "self_score_detail": score_detail(summary, indicator_scores(data)),
            "self_score_computed_at": now,
        },
    )
