"""Background jobs of review: thin wrappers around one service each."""

from celery import shared_task

from .services.dispute_notices import dispute_escalations_send
from .services.notifications import deadline_reminders_send, provider_deadline_reminders_send


@shared_task(name="reviews.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return deadline_reminders_send() + provider_deadline_reminders_send() + dispute_escalations_send()


@shared_task(name="reviews.rescore_after_provided")
def rescore_after_provided(
    return_ids: list[int],
    user_id: int | None,
    provider_id: int | None = None,
    changed: list[list[int]] | None = None,
) -> int:
    """Figures a 数据提供单位 changed in returns already scored: recompute their sheets, saying which
    provider provided what ([return id, indicator id] pairs)."""
    from accounts.models import User

    from .services.provided_scores import score_sheets_follow_provided

    user = User.objects.filter(pk=user_id).first() if user_id else None
    return score_sheets_follow_provided(
        return_ids=return_ids, user=user, provider_id=provider_id, changed=changed or ()
    )
