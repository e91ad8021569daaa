"""站内通知 of disputes on provided figures (提供数据异议), through the one notice mechanism
(services.notifications): a unit's dispute reaches the provider's users, the provider's answer the
unit's staff, and a dispute still unanswered after DISPUTE_ESCALATION_DAYS, or on the provider's
deadline, the reviewers of the unit (the daily job, once per dispute).

Notices name the unit, the indicator and the figures, never the reason or the answer: those are read
on the pages they link to, where each reader's access is checked again."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from accounts.permissions import can_review_department
from assessments.models import ProvidedValueDispute
from assessments.selectors.provided import provider_deadline
from indicators.presenting import date_text

from ..models import Notification
from .notifications import department_staff, notify, provider_staff


def _subject(dispute: ProvidedValueDispute) -> str:
    value = dispute.provided_value
    return f"{value.annual_return.year}年度“{value.indicator.name}”"


def dispute_notify(*, dispute: ProvidedValueDispute) -> list[Notification]:
    """assessments.services.provided.DISPUTE_LISTENERS: tell the side that has to act or to know."""
    value = dispute.provided_value
    unit = value.annual_return.department
    if dispute.is_open:
        return notify(
            users=provider_staff(value.provider),
            kind=Notification.Kind.DISPUTE,
            title=f"{unit.display_name}对{_subject(dispute)}的提供数据提出异议",
            body=f"提供的数：{dispute.value_text or '（空）'}。请核对后答复：维持原数或更正数据。",
            url=reverse("assessments:provided_dispute_answer", args=[dispute.pk]),
        )
    if dispute.status == ProvidedValueDispute.Status.CORRECTED:
        outcome = f"已更正为 {dispute.corrected_text}"
    else:
        outcome = f"维持原数 {dispute.value_text}".rstrip()
    return notify(
        users=department_staff(unit),
        kind=Notification.Kind.DISPUTE_ANSWERED,
        title=f"{value.provider.display_name}答复了本单位对{_subject(dispute)}的异议：{outcome}",
        body="点击“查看”阅读答复意见；如仍有异议，可再次提出。",
        url=reverse("assessments:provided_dispute_raise", args=[value.annual_return_id, value.indicator_id]),
    )


def _is_overdue(
    dispute: ProvidedValueDispute, today: datetime.date, deadlines: dict[tuple[int, int], datetime.date | None]
) -> bool:
    value = dispute.provided_value
    key = (value.provider_id, value.annual_return.year)
    if key not in deadlines:
        deadlines[key] = provider_deadline(value.provider, value.annual_return.year)
    deadline = deadlines[key]
    waited = (today - timezone.localdate(dispute.raised_at)).days
    return waited >= settings.DISPUTE_ESCALATION_DAYS or (deadline is not None and today >= deadline)


def dispute_escalations_send(*, today: datetime.date | None = None) -> int:
    """Open disputes past their time reach the reviewers of the unit; once per dispute and reviewer
    (the notice key), so the beat job may run as often as it likes. Returns the notices sent."""
    today = today or timezone.localdate()
    disputes = ProvidedValueDispute.objects.filter(status=ProvidedValueDispute.Status.OPEN).select_related(
        "provided_value__annual_return__department", "provided_value__indicator", "provided_value__provider"
    )
    reviewers = list(User.objects.filter(role=User.Role.REVIEWER, is_active=True).select_related("department"))
    deadlines: dict[tuple[int, int], datetime.date | None] = {}
    sent = 0
    for dispute in disputes:
        if not _is_overdue(dispute, today, deadlines):
            continue
        value = dispute.provided_value
        unit: Department = value.annual_return.department
        sent += len(
            notify(
                users=[reviewer for reviewer in reviewers if can_review_department(reviewer, unit)],
                kind=Notification.Kind.DISPUTE_OVERDUE,
                title=f"{unit.display_name}对{_subject(dispute)}提供数据的异议尚未答复",
                body=(
                    f"{date_text(dispute.raised_at)}提出，{value.provider.display_name}至今未答复。"
                    "审核时请留意该项数据。"
                ),
                url=reverse("reviews:review", args=[value.annual_return_id]) + f"#row-{value.indicator_id}",
                key=f"dispute-overdue:{dispute.pk}",
            )
        )
    return sent
