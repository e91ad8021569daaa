"""Deadlines and extensions (延期), granted by the justice bureau with a reason."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from indicators.presenting import date_text

from .. import permissions
from ..limits import COMMENT_MAX_LENGTH
from ..models import AnnualReturn, ReturnTransition
from .errors import ReturnActionError, TransitionNotAllowed
from .workflow import lock_return


@transaction.atomic
def annual_return_grant_extension(*, annual_return: AnnualReturn, until: date, reason: str, user: User) -> AnnualReturn:
    """Allow a late first submission until `until` (after the deadline). The grant is logged in the
    transition log (status unchanged) so the department and reviewers see who allowed it and why."""
    locked = lock_return(annual_return)
    if not permissions.can_grant_extension(user, locked):
        raise TransitionNotAllowed("只有司法局审核员可以批准延期。")
    reason = (reason or "").strip()
    if not reason:
        raise ReturnActionError("批准延期须填写理由。")
    if len(reason) > 300:
        raise ReturnActionError("延期理由不能超过 300 字。")
    if locked.deadline is None:
        raise ReturnActionError("历史数据年度的填报没有截止日期，无需延期。")
    if until <= locked.deadline:
        raise ReturnActionError("延期日期须晚于原截止日期。")
    if locked.first_submitted_at is not None:
        raise ReturnActionError("这份填报已经提交过，无需延期。")
    locked.extended_until, locked.extension_reason = until, reason
    locked.extension_granted_by, locked.extension_granted_at = user, timezone.now()
    locked.save(
        update_fields=[
            "extended_until",
            "extension_reason",
            "extension_granted_by",
            "extension_granted_at",
            "updated_at",
        ]
    )
    ReturnTransition.objects.create(
        annual_return=locked,
        from_status=locked.status,
        to_status=locked.status,
        action="extend",
        user=user,
        comment=f"延期至 {date_text(until)}：{reason}"[:COMMENT_MAX_LENGTH],
    )
    return locked
