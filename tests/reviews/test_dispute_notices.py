"""站内通知 of disputes on provided figures: the provider hears of a dispute, the unit of the answer,
and the reviewers of the unit of a dispute left unanswered too long or at the provider's deadline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, ProvidedValue, ProvidedValueDispute, ProviderSubmission
from assessments.services.errors import ReturnActionError
from assessments.services.provided import (
    ProvidedInput,
    provided_value_dispute_answer,
    provided_value_dispute_raise,
    provided_values_save,
)
from reviews.models import Notification
from reviews.services.dispute_notices import dispute_escalations_send
from reviews.tasks import send_deadline_reminders
from tests.assessments.factories import value_row
from tests.factories import UserFactory

TODAY = timezone.localdate()


@pytest.fixture
def value(court, court_user, provided_return_a) -> ProvidedValue:
    """K1 of dept_a's return, provided by the court as 12; the return's deadline far away."""
    AnnualReturn.objects.filter(year=2025).update(deadline=TODAY + datetime.timedelta(days=30))
    indicator_id = value_row(provided_return_a, "K1").indicator_id
    item = ProvidedInput(provided_return_a.pk, indicator_id, "value", "12", 0)
    provided_values_save(provider=court, inputs=[item], user=court_user)
    return ProvidedValue.objects.select_related("indicator", "annual_return__department").get(
        annual_return=provided_return_a, indicator_id=indicator_id
    )


@pytest.fixture
def dispute(cast, value) -> ProvidedValueDispute:
    return provided_value_dispute_raise(value=value, reason="我局实际被诉 10 件", user=cast.staff_a)


def _keep(dispute, court, court_user) -> None:
    provided_value_dispute_answer(
        dispute=dispute, provider=court, answer="以判决书为准", corrected=None, user=court_user
    )


def _raised_days_ago(dispute, days: int) -> None:
    ProvidedValueDispute.objects.filter(pk=dispute.pk).update(raised_at=timezone.now() - datetime.timedelta(days=days))


def test_a_dispute_notifies_the_providers_users(cast, dispute):
    notice = Notification.objects.get(recipient=cast.provider)
    assert notice.kind == Notification.Kind.DISPUTE
    assert notice.title == "测试市甲局对2025年度“行政诉讼案件数”的提供数据提出异议"
    assert notice.url == reverse("assessments:provided_dispute_answer", args=[dispute.pk])


def test_a_dispute_notifies_nobody_but_the_provider(cast, dispute):
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"provider"}


def test_a_dispute_of_another_providers_figure_does_not_reach_this_provider(cast, value):
    other = UserFactory(username="provider_other", role="provider", department=cast.justice_bureau)
    provided_value_dispute_raise(value=value, reason="数不对", user=cast.staff_a)
    assert not Notification.objects.filter(recipient=other).exists()


def test_a_refused_dispute_sends_no_notice(cast, value):
    with pytest.raises(ReturnActionError):
        provided_value_dispute_raise(value=value, reason="  ", user=cast.staff_a)
    assert not Notification.objects.exists()


def test_keeping_the_figure_notifies_the_units_staff(cast, court, court_user, dispute):
    _keep(dispute, court, court_user)
    notice = Notification.objects.get(recipient=cast.staff_a)
    assert notice.kind == Notification.Kind.DISPUTE_ANSWERED
    assert notice.title == "市中级人民法院答复了本单位对2025年度“行政诉讼案件数”的异议：维持原数 12"


def test_a_correction_notifies_the_units_staff_with_the_new_figure(cast, court, court_user, dispute):
    provided_value_dispute_answer(
        dispute=dispute, provider=court, answer="经核对更正", corrected={"value": "10"}, user=court_user
    )
    notice = Notification.objects.get(recipient=cast.staff_a)
    assert notice.title.endswith("的异议：已更正为 10")


def test_an_answer_does_not_notify_another_units_staff(cast, court, court_user, dispute):
    _keep(dispute, court, court_user)
    assert not Notification.objects.filter(recipient=cast.staff_b).exists()


def test_the_answer_notice_opens_the_disputes_history_for_the_unit(client, cast, court, court_user, dispute):
    _keep(dispute, court, court_user)
    client.force_login(cast.staff_a)
    page = client.get(Notification.objects.get(recipient=cast.staff_a).url)
    assert page.status_code == 200 and "以判决书为准" in page.content.decode()


def test_the_dispute_notice_opens_the_answer_form_for_the_provider(client, cast, dispute):
    client.force_login(cast.provider)
    page = client.get(Notification.objects.get(recipient=cast.provider).url)
    assert page.status_code == 200 and "我局实际被诉 10 件" in page.content.decode()


def test_a_dispute_open_for_the_set_days_reaches_the_reviewers_of_the_unit_once(cast, settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 5
    _raised_days_ago(dispute, 5)
    assert dispute_escalations_send(today=TODAY) == 1
    assert dispute_escalations_send(today=TODAY) == 0
    notice = Notification.objects.get(kind=Notification.Kind.DISPUTE_OVERDUE)
    assert notice.recipient == cast.reviewer  # reviewer_scoped's branch does not hold dept_a
    assert notice.title == "测试市甲局对2025年度“行政诉讼案件数”提供数据的异议尚未答复"


def test_a_recent_dispute_before_the_providers_deadline_is_not_escalated(settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 5
    _raised_days_ago(dispute, 4)
    assert dispute_escalations_send(today=TODAY) == 0


def test_an_open_dispute_reaches_the_reviewers_on_the_providers_own_deadline(cast, court, settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 5
    ProviderSubmission.objects.create(provider=court, year=2025, deadline=TODAY)
    assert dispute_escalations_send(today=TODAY) == 1


def test_an_answered_dispute_is_not_escalated(court, court_user, settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 5
    _raised_days_ago(dispute, 9)
    _keep(dispute, court, court_user)
    assert dispute_escalations_send(today=TODAY) == 0


def test_the_escalation_notice_opens_the_review_page(client, cast, settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 0
    AnnualReturn.objects.filter(pk=dispute.provided_value.annual_return_id).update(
        status=AnnualReturn.Status.SUBMITTED, first_submitted_at=timezone.now()
    )
    dispute_escalations_send(today=TODAY)
    client.force_login(cast.reviewer)
    page = client.get(Notification.objects.get(recipient=cast.reviewer).url)
    assert page.status_code == 200 and "异议待答复" in page.content.decode()


def test_the_daily_job_sends_the_escalations(settings, dispute):
    settings.DISPUTE_ESCALATION_DAYS = 0
    assert send_deadline_reminders.delay().get() == 1
