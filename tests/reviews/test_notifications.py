"""In-app notices and the deadline reminder job."""

import datetime

import pytest
from django.utils import timezone

from indicators.presenting import date_text
from reviews.models import Notification
from reviews.services.notifications import deadline_reminders_send, notification_mark_read, unread_count
from reviews.tasks import send_deadline_reminders
from tests.assessments.factories import open_return

TODAY = timezone.localdate()


def test_a_deadline_within_three_days_reminds_the_departments_staff_once(cast, framework):
    open_return(cast.dept_a, framework, deadline=TODAY + datetime.timedelta(days=2))
    assert deadline_reminders_send(today=TODAY) == 1
    assert deadline_reminders_send(today=TODAY) == 0
    notice = Notification.objects.get(recipient=cast.staff_a)
    assert (notice.kind, notice.title) == (
        "deadline",
        f"2025年度填报提交截止日期为{_cn(TODAY + datetime.timedelta(days=2))}",
    )


def _cn(day):
    return date_text(day)


def test_a_distant_or_passed_deadline_sends_nothing(cast, framework):
    open_return(cast.dept_a, framework, deadline=TODAY + datetime.timedelta(days=10))
    open_return(cast.dept_b, framework, deadline=TODAY - datetime.timedelta(days=1))
    assert deadline_reminders_send(today=TODAY) == 0


def test_an_extension_moves_the_reminder(cast, framework):
    open_return(
        cast.dept_a,
        framework,
        deadline=TODAY - datetime.timedelta(days=5),
        extended_until=TODAY + datetime.timedelta(days=1),
        extension_reason="机构调整",
    )
    assert deadline_reminders_send(today=TODAY) == 1


def test_the_beat_task_runs_the_reminders(cast, framework):
    open_return(cast.dept_b, framework, deadline=TODAY + datetime.timedelta(days=1))
    assert send_deadline_reminders.delay().get() == 1


def test_the_beat_schedule_names_the_task(settings):
    assert settings.CELERY_BEAT_SCHEDULE["reviews-deadline-reminders"]["task"] == "reviews.send_deadline_reminders"


def test_a_user_marks_only_their_own_notices_read(cast):
    mine = Notification.objects.create(recipient=cast.staff_a, kind="approved", title="通过")
    theirs = Notification.objects.create(recipient=cast.staff_b, kind="approved", title="通过")
    assert notification_mark_read(user=cast.staff_a, pk=theirs.pk) == 0
    assert notification_mark_read(user=cast.staff_a) == 1
    assert (unread_count(cast.staff_a), unread_count(cast.staff_b)) == (0, 1)
    assert Notification.objects.get(pk=mine.pk).is_read


def test_email_is_off_by_default(cast, mailoutbox):
    from reviews.services.notifications import notify

    notify(users=[cast.staff_a], kind="approved", title="已审核通过")
    assert mailoutbox == []


def test_email_copies_go_out_after_commit_when_switched_on(
    cast, settings, mailoutbox, django_capture_on_commit_callbacks
):
    from reviews.services.notifications import notify

    settings.REVIEWS_EMAIL_NOTIFICATIONS = True
    cast.staff_a.email = "a@example.cn"
    cast.staff_a.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.staff_a, cast.staff_b], kind="approved", title="已审核通过")
    assert [(mail.subject, mail.to) for mail in mailoutbox] == [("[法治政府建设考核] 已审核通过", ["a@example.cn"])]


# --- the bell's count kept in a shared cache (NOTIFICATION_COUNTS_CACHED) ---------------------------


@pytest.fixture
def counts_cached(settings):
    from django.core.cache import cache

    settings.NOTIFICATION_COUNTS_CACHED = True
    cache.clear()
    yield
    cache.clear()


def test_the_bell_count_comes_from_the_cache_until_the_users_notices_change(
    cast, counts_cached, django_assert_num_queries
):
    from reviews.services.notifications import notify

    Notification.objects.create(recipient=cast.staff_a, kind="approved", title="通过")
    assert unread_count(cast.staff_a) == 1  # first seen: counted, its generation begun
    assert unread_count(cast.staff_a) == 1  # counted and kept
    with django_assert_num_queries(0):
        assert unread_count(cast.staff_a) == 1
    notify(users=[cast.staff_a, cast.staff_b], kind="approved", title="已审核通过")
    assert (unread_count(cast.staff_a), unread_count(cast.staff_b)) == (2, 1)
    notification_mark_read(user=cast.staff_a)
    assert (unread_count(cast.staff_a), unread_count(cast.staff_b)) == (0, 1)
    with django_assert_num_queries(0):
        assert unread_count(cast.staff_b) == 1


def test_a_count_taken_before_a_notice_commits_and_kept_after_is_never_served(
    cast, counts_cached, monkeypatch, django_capture_on_commit_callbacks
):
    from reviews.services import notifications

    unread_count(cast.staff_a)  # the user's generation begins
    counted_in_database = notifications._unread_in_database

    def counted_while_a_notice_commits(user):
        unread = counted_in_database(user)  # 0: the notice is not there yet
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify(users=[user], kind="approved", title="已审核通过")
        return unread

    monkeypatch.setattr(notifications, "_unread_in_database", counted_while_a_notice_commits)
    assert unread_count(cast.staff_a) == 0  # what that request counted, and kept
    monkeypatch.setattr(notifications, "_unread_in_database", counted_in_database)
    assert unread_count(cast.staff_a) == 1


def test_a_notice_renews_the_generation_again_when_it_commits(cast, counts_cached, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from reviews.services.notifications import _generation_key, notify

    unread_count(cast.staff_a)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(users=[cast.staff_a], kind="approved", title="已审核通过")
    in_transaction = cache.get(_generation_key(cast.staff_a.pk))
    for callback in callbacks:
        callback()
    assert cache.get(_generation_key(cast.staff_a.pk)) not in (None, in_transaction)


def test_without_a_shared_cache_the_bell_counts_in_the_database(cast, settings, django_assert_num_queries):
    settings.NOTIFICATION_COUNTS_CACHED = False
    Notification.objects.create(recipient=cast.staff_a, kind="approved", title="通过")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert unread_count(cast.staff_a) == 1


def test_a_cache_that_fails_costs_the_count_query_and_nothing_else(cast, counts_cached, monkeypatch):
    from django.core.cache import cache

    from reviews.services.notifications import notify

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", unreachable)
    monkeypatch.setattr(cache, "set_many", unreachable)
    notify(users=[cast.staff_a], kind="approved", title="已审核通过")
    assert unread_count(cast.staff_a) == 1


def test_an_inactive_user_has_no_count(cast, counts_cached):
    Notification.objects.create(recipient=cast.staff_a, kind="approved", title="通过")
    cast.staff_a.is_active = False
    assert unread_count(cast.staff_a) == 0
