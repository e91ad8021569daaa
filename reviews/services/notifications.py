"""站内通知: the bell. Written in the transaction of the change they announce, so a rolled-back
action leaves no notice; reminders carry a key so the daily job never repeats itself.

The bell's count is on every page. With a cache every process shares (NOTIFICATION_COUNTS_CACHED:
CACHE_URL=redis://…) it is read from there, one cache read instead of a COUNT. A count is kept with
the user's *generation*, a random token that every change of the user's notices (a notice created,
notices marked read) replaces, in the change's transaction and again once it commits; a kept count
of another generation is counted afresh. A request that counted just before a commit and kept its
count just after it keeps it under the old generation, so it is never read. If the cache cannot be
told (it is down), a kept count lives NOTIFICATION_COUNT_SECONDS at most.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, User
from assessments.models import AnnualReturn
from assessments.selectors.deadlines import due_date, due_within_q
from indicators.models import IndicatorProvision
from indicators.presenting import date_text

from ..models import Notification

logger = logging.getLogger(__name__)

REMINDER_DAYS = 3
NOTIFICATION_COUNT_SECONDS = 300


def department_staff(department: Department) -> QuerySet[User]:
    return User.objects.filter(role=User.Role.DEPARTMENT_STAFF, department=department, is_active=True)


def provider_staff(provider: Department) -> QuerySet[User]:
    """The users of a 数据提供单位."""
    return User.objects.filter(role=User.Role.PROVIDER, department=provider, is_active=True)


def notify(
    *, users: Iterable[User], kind: str, title: str, body: str = "", url: str = "", key: str = ""
) -> list[Notification]:
    notices = [
        Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url[:300], key=key) for user in users
    ]
    created = (
        [notice for notice in notices if _create_once(notice)] if key else Notification.objects.bulk_create(notices)
    )
    _counts_changed({notice.recipient_id for notice in created})
    if getattr(settings, "REVIEWS_EMAIL_NOTIFICATIONS", False):
        _email_after_commit(created)
    return created


def _email_after_commit(notices: list[Notification]) -> None:
    """Optional copy by email (off unless settings.REVIEWS_EMAIL_NOTIFICATIONS): sent only once the
    change commits, to users with an address, and a mail failure never undoes the change."""
    messages = [
        (f"[法治政府建设考核] {notice.title}", notice.body or notice.title, None, [notice.recipient.email])
        for notice in notices
        if notice.recipient.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def _create_once(notice: Notification) -> bool:
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        return False
    return True


def notify_department(*, department: Department, kind: str, title: str, body: str = "", url: str = "") -> None:
    notify(users=department_staff(department), kind=kind, title=title, body=body, url=url)


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def _generation_key(user_id: int) -> str:
    return f"notifications:generation:{user_id}"


def _count_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User) -> int:
    if not (user.is_authenticated and user.is_active):
        return 0
    if not settings.NOTIFICATION_COUNTS_CACHED:
        return _unread_in_database(user)
    generation_key, count_key = _generation_key(user.pk), _count_key(user.pk)
    try:
        kept = cache.get_many([generation_key, count_key])
        generation = kept.get(generation_key)
        if generation is None:  # first seen (or evicted): from now on its changes are counted
            cache.add(generation_key, uuid.uuid4().hex, timeout=None)
            return _unread_in_database(user)
        count: tuple[str, int] | None = kept.get(count_key)
        if count is not None and count[0] == generation:
            return count[1]
        unread = _unread_in_database(user)
        cache.set(count_key, (generation, unread), NOTIFICATION_COUNT_SECONDS)
        return unread
    except Exception:
        logger.warning("notification count not read from the cache", exc_info=True)
        return _unread_in_database(user)


def _unread_in_database(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def _counts_changed(user_ids: set[int]) -> None:
    """The users' kept counts are stale: a new generation now (a count kept until the commit is
    then of the change's transaction, seen by none but it) and again once the change commits."""
    if not user_ids or not settings.NOTIFICATION_COUNTS_CACHED:
        return

    def new_generations() -> None:
        try:
            cache.set_many({_generation_key(user_id): uuid.uuid4().hex for user_id in user_ids}, timeout=None)
        except Exception:
            logger.warning("notification counts not renewed in the cache", exc_info=True)

    new_generations()
    transaction.on_commit(new_generations)


def notification_mark_read(*, user: User, pk: int | None = None) -> int:
    """Mark one notice (or, without pk, all) of the user as read; returns how many changed."""
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        notices = notices.filter(pk=pk)
    changed = notices.update(read_at=timezone.now())
    if changed:
        _counts_changed({user.pk})
    return changed


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind department staff of a submission or resubmission deadline within REMINDER_DAYS days.
    Idempotent per return and deadline (the notice key), so the beat job may run as often as it likes."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    due = AnnualReturn.objects.select_related("department").filter(due_within_q(today, horizon))
    sent = 0
    for annual_return in due:
        deadline = due_date(annual_return)
        if deadline is None:  # due_within_q selected it by a date; none left means nothing is owed
            continue
        is_resubmission = annual_return.first_submitted_at is not None
        what = "填报退回修改后的重新提交" if is_resubmission else "填报提交"
        sent += len(
            notify(
                users=department_staff(annual_return.department),
                kind=Notification.Kind.DEADLINE,
                title=f"{annual_return.year}年度{what}截止日期为{date_text(deadline)}",
                body="请在截止日期前完成并提交。",
                url=reverse("accounts:home"),
                key=f"deadline:{annual_return.pk}:{deadline.isoformat()}",
            )
        )
    return sent


def provider_deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each 数据提供单位 whose figures for a year are not yet 提交 of its deadline within
    REMINDER_DAYS days (its own, else the year's: assessments.selectors.provided.provider_deadline).
    Idempotent per provider, year and deadline."""
    from assessments.models import ProviderSubmission
    from assessments.selectors.provided import provider_deadline, provider_years

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    sent = 0
    # Named providers, and every active unit of a kind some indicator is provided by (each court).
    agencies = IndicatorProvision.objects.exclude(provider_agency="").values("provider_agency")
    providers = Department.objects.filter(
        Q(provisions__isnull=False) | Q(agency__in=agencies, is_active=True)
    ).distinct()
    for provider in providers:
        for year in provider_years(provider)[:1]:
            deadline = provider_deadline(provider, year)
            submitted = ProviderSubmission.objects.filter(
                provider=provider, year=year, status=ProviderSubmission.Status.SUBMITTED
            ).exists()
            if deadline is None or submitted or not today <= deadline <= horizon:
                continue
            sent += len(
                notify(
                    users=provider_staff(provider),
                    kind=Notification.Kind.DEADLINE,
                    title=f"{year}年度提供数据提交截止日期为{date_text(deadline)}",
                    body="请在截止日期前填齐并提交各单位的提供数据。",
                    url=reverse("assessments:provided_grid") + f"?year={year}",
                    key=f"provided-deadline:{provider.pk}:{year}:{deadline.isoformat()}",
                )
            )
    return sent


@transaction.atomic
def provider_reminder_send(*, provider: Department, year: int, user: User, today: datetime.date | None = None) -> int:
    """The bureau's 催报 of one 数据提供单位 that has not submitted: a notice to its users (once a day:
    a second click the same day sends nothing), and the time recorded on the provider's row."""
    from assessments.models import ProviderSubmission
    from assessments.selectors.provided import provider_deadline
    from assessments.services.provider_deadlines import provider_submission_mark_reminded

    from .errors import ReviewError

    today = today or timezone.localdate()
    if ProviderSubmission.objects.filter(
        provider=provider, year=year, status=ProviderSubmission.Status.SUBMITTED
    ).exists():
        raise ReviewError(f"{provider.display_name}已提交{year}年度提供数据，无需提醒。")
    users = list(provider_staff(provider))
    if not users:
        raise ReviewError(f"{provider.display_name}没有可用的数据提供账号，无法发送提醒。请先在系统管理中添加账号。")
    deadline = provider_deadline(provider, year)
    by = f"，截止日期为{date_text(deadline)}" if deadline else ""
    sent = notify(
        users=users,
        kind=Notification.Kind.DEADLINE,
        title=f"司法局提醒：请尽快填齐并提交{year}年度提供数据{by}",
        body="请在“提供数据”页面填齐各单位的数据后点击“提交”。",
        url=reverse("assessments:provided_grid") + f"?year={year}",
        key=f"provided-remind:{provider.pk}:{year}:{today.isoformat()}",
    )
    if sent:
        provider_submission_mark_reminded(provider=provider, year=year, user=user)
    return len(sent)
