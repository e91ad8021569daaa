"""The lifecycle of a return, as a table, and the one function that moves a return along it.

未开始 → 填报中 → 已提交 → (退回修改 → 填报中 → 已提交)* → 已审核 → 已确认（锁定）

Every move happens under a row lock on the return (`select_for_update(no_key=True)`), so two moves
(a double-clicked submit, an approval racing an edit) are serialised and the second sees the first's
status; every move bumps the return's version and writes one ReturnTransition row in the same
transaction. Whatever a page shows, a move not in the table is refused here.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .. import permissions
from ..limits import COMMENT_MAX_LENGTH
from ..models import AnnualReturn, IndicatorValue, NarrativeSection, ReturnTransition
from .errors import StaleReturn, TransitionNotAllowed

Status = AnnualReturn.Status

# What other apps do when a return moves, called after every move inside its transaction with the
# return locked and already in its new status: `listener(*, annual_return, user, reason)`. An app
# above assessments registers itself in its AppConfig.ready (reviews: a return sent back loses its
# score sheet, a resubmitted one has it recomputed), so entry never imports what builds on it. A
# listener that raises refuses the move.
RETURN_MOVE_LISTENERS: list[Callable[..., None]] = []


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    actor: str  # "department" | "reviewer" | "reviewer_or_admin"
    needs_comment: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("start", "开始填报", frozenset({Status.NOT_STARTED}), Status.IN_PROGRESS, "department"),
        Transition("resume", "修改退回内容", frozenset({Status.RETURNED}), Status.IN_PROGRESS, "department"),
        Transition("submit", "提交", frozenset({Status.IN_PROGRESS, Status.RETURNED}), Status.SUBMITTED, "department"),
        Transition(
            "return",
            "退回修改",
            frozenset({Status.SUBMITTED, Status.APPROVED}),
            Status.RETURNED,
            "reviewer",
            needs_comment=True,
        ),
        Transition("approve", "审核通过", frozenset({Status.SUBMITTED}), Status.APPROVED, "reviewer"),
        Transition("confirm", "确认锁定", frozenset({Status.APPROVED}), Status.CONFIRMED, "reviewer"),
        Transition(
            "reopen", "解除锁定并退回", frozenset({Status.CONFIRMED}), Status.RETURNED, "reviewer_or_admin", True
        ),
    )
}


def allowed_actions(annual_return: AnnualReturn, user: User) -> list[Transition]:
    """The moves this user may make from the return's current status (for buttons; the service
    checks again)."""
    return [t for t in TRANSITIONS.values() if annual_return.status in t.sources and _actor_may(t, user, annual_return)]


def _actor_may(transition: Transition, user: User, annual_return: AnnualReturn) -> bool:
    if transition.actor == "department":
        return permissions.is_own_department_staff(user, annual_return)
    if transition.actor == "reviewer":
        return permissions.can_act_as_reviewer(user, annual_return)
    return permissions.can_reopen_return(user, annual_return)


def lock_return(annual_return: AnnualReturn | int) -> AnnualReturn:
    """The return re-read under a row lock; call inside `transaction.atomic`. Lock order across the
    app: the return first, then its values (ordered by pk), so two services never deadlock."""
    pk = annual_return if isinstance(annual_return, int) else annual_return.pk
    return AnnualReturn.objects.select_for_update(no_key=True, of=("self",)).select_related("department").get(pk=pk)


def apply_transition(
    locked: AnnualReturn,
    action: str,
    *,
    user: User | None,
    comment: str = "",
    extra_fields: Mapping[str, object] | None = None,
) -> AnnualReturn:
    """Move a return that the caller has locked (see `lock_return`), after checking the table.
    `extra_fields` are saved together with the status (e.g. submitted_at)."""
    transition = TRANSITIONS[action]
    if locked.status not in transition.sources:
        raise TransitionNotAllowed(
            f"当前状态为“{locked.get_status_display()}”，不能“{transition.label}”。请刷新页面查看最新状态。"
        )
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise TransitionNotAllowed(f"“{transition.label}”须填写理由。")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise TransitionNotAllowed(f"说明不能超过 {COMMENT_MAX_LENGTH} 字。")
    from_status = locked.status
    locked.status = transition.target
    fields = ["status", "version", "updated_at"]
    for name, value in (extra_fields or {}).items():
        setattr(locked, name, value)
        fields.append(name)
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db(fields=["version"])
    ReturnTransition.objects.create(
        annual_return=locked,
        from_status=from_status,
        to_status=transition.target,
        action=action,
        user=user,
        comment=comment,
    )
    _listeners_follow(locked, user=user, comment=comment)
    return locked


def _listeners_follow(locked: AnnualReturn, *, user: User | None, comment: str) -> None:
    for listener in RETURN_MOVE_LISTENERS:
        listener(annual_return=locked, user=user, reason=comment)


def check_version(locked: AnnualReturn, expected_version: int | None) -> None:
    if expected_version is not None and locked.version != expected_version:
        raise StaleReturn("这份填报在您打开页面之后已有变化（可能已被他人提交或审核），请刷新后再操作。")


@transaction.atomic
def annual_return_transition(
    *, annual_return: AnnualReturn, action: str, user: User, comment: str = "", expected_version: int | None = None
) -> AnnualReturn:
    """Any move of the table by a user, with the actor check: department actions by the return's own
    staff, reviewer actions by a reviewer in scope (never of their own department)."""
    if action not in TRANSITIONS:
        raise TransitionNotAllowed(f"未知的操作“{action}”。")
    locked = lock_return(annual_return)
    check_version(locked, expected_version)
    transition = TRANSITIONS[action]
    if not _actor_may(transition, user, locked):
        raise TransitionNotAllowed(f"您无权对这份填报执行“{transition.label}”。")
    if action == "submit":
        raise TransitionNotAllowed("提交须经过检查和自评分，请使用提交页面。")
    return apply_transition(locked, action, user=user, comment=comment)


@transaction.atomic
def annual_return_send_back(
    *,
    annual_return: AnnualReturn,
    user: User,
    comment: str,
    indicator_comments: Mapping[int, str] | None = None,
    narrative_comments: Mapping[str, str] | None = None,
    resubmit_deadline: date | None = None,
    expected_version: int | None = None,
) -> AnnualReturn:
    """退回修改. With `indicator_comments` ({indicator id: comment}) and/or `narrative_comments`
    ({section kind: comment}) only those reopen for the department (a targeted return); with
    neither, the whole return reopens. Works from 已提交 and 已审核; a confirmed return goes through
    `annual_return_reopen`."""
    locked = lock_return(annual_return)
    check_version(locked, expected_version)
    if not permissions.can_act_as_reviewer(user, locked):
        raise TransitionNotAllowed("您无权退回这份填报。")
    action = "reopen" if locked.status == Status.CONFIRMED else "return"
    _mark_reopened(locked, user, indicator_comments or {}, narrative_comments or {})
    return apply_transition(
        locked, action, user=user, comment=comment, extra_fields={"resubmit_deadline": resubmit_deadline}
    )


@transaction.atomic
def annual_return_reopen(
    *,
    annual_return: AnnualReturn,
    user: User,
    reason: str,
    indicator_comments: Mapping[int, str] | None = None,
    expected_version: int | None = None,
) -> AnnualReturn:
    """Unlock a confirmed return and send it back (whole, or only the named indicators); the reason
    is mandatory and kept in the transition log."""
    locked = lock_return(annual_return)
    check_version(locked, expected_version)
    if not permissions.can_reopen_return(user, locked):
        raise TransitionNotAllowed("您无权解除锁定。")
    _mark_reopened(locked, user, indicator_comments or {}, {})
    # A resubmission date from an earlier return must not come back with the reopening: it has
    # long passed and would make the return overdue at once (deadlines.due_date).
    return apply_transition(locked, "reopen", user=user, comment=reason, extra_fields={"resubmit_deadline": None})


def _mark_reopened(
    locked: AnnualReturn, user: User, indicator_comments: Mapping[int, str], narrative_comments: Mapping[str, str]
) -> None:
    now = timezone.now()
    values = {
        row.indicator_id: row
        for row in IndicatorValue.objects.select_for_update(no_key=True)
        .filter(annual_return=locked, indicator_id__in=list(indicator_comments))
        .order_by("pk")
    }
    unknown = set(indicator_comments) - set(values)
    if unknown:
        raise TransitionNotAllowed("退回的指标不属于这份填报。")
    for indicator_id, row in values.items():
        row.is_reopened, row.reviewer_comment = True, str(indicator_comments[indicator_id]).strip()
        row.reopened_at, row.reopened_by = now, user
        row.save(update_fields=["is_reopened", "reviewer_comment", "reopened_at", "reopened_by", "updated_at"])
    for kind, text in narrative_comments.items():
        updated = NarrativeSection.objects.filter(annual_return=locked, kind=kind).update(
            is_reopened=True, reviewer_comment=str(text).strip()
        )
        if not updated:
            raise TransitionNotAllowed("退回的文字部分不属于这份填报。")
