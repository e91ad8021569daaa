"""Background jobs of review: thin wrappers around one service each."""

from celery import shared_task

from .services.notifications import deadline_reminders_send, provider_deadline_reminders_send


@shared_task(name="reviews.send_deadline_reminders")
def send_deadline_reminders() -> int:
    return deadline_reminders_send() + provider_deadline_reminders_send()
