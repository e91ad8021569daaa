"""The bureau sets a 数据提供单位's own deadline for a year, and records that it reminded it. Both
are kept on the provider's ProviderSubmission row (made on first use), audited."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from audit.models import AuditEvent
from audit.services import audit_record
from indicators.presenting import date_text

from ..models import ProviderSubmission
from .errors import ReturnActionError


def _submission(provider: Department, year: int) -> ProviderSubmission:
    submission, _ = ProviderSubmission.objects.select_for_update().get_or_create(provider=provider, year=year)
    return submission


@transaction.atomic
def provider_deadline_set(
    *, provider: Department, year: int, deadline: datetime.date, user: User, today: datetime.date | None = None
) -> ProviderSubmission:
    """A deadline not in the past (unless it is the one already set)."""
    today = today or timezone.localdate()
    submission = _submission(provider, year)
    if deadline == submission.deadline:
        return submission
    if deadline < today:
        raise ReturnActionError(f"截止日期不能早于今天（{date_text(today)}）。")
    before = {"deadline": submission.deadline}
    submission.deadline = deadline
    submission.save(update_fields=["deadline"])
    audit_record(
        action=AuditEvent.Action.CHANGE, user=user, obj=submission, department=provider,
        before=before, after={"数据提供": "调整截止日期", "deadline": deadline},
    )  # fmt: skip
    return submission


@transaction.atomic
def provider_submission_mark_reminded(*, provider: Department, year: int, user: User) -> ProviderSubmission:
    """The bureau's reminder (催报), recorded: when on the provider's row, who in the audit."""
    submission = _submission(provider, year)
    before = {"reminded_at": submission.reminded_at}
    submission.reminded_at = timezone.now()
    submission.save(update_fields=["reminded_at"])
    audit_record(
        action=AuditEvent.Action.CHANGE, user=user, obj=submission, department=provider,
        before=before, after={"数据提供": "提醒提交", "reminded_at": submission.reminded_at},
    )  # fmt: skip
    return submission
