"""In-app notices and the deadline reminder job."""

import datetime

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
