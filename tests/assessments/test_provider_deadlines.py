"""数据提供进度: each provider's status for the year as the bureau reads it, and the deadline the
bureau sets for one provider."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import AnnualReturn, ProvidedValue, ProviderSubmission
from assessments.selectors.provided import provider_deadline
from assessments.selectors.provider_deadlines import provider_progress
from assessments.services.errors import ReturnActionError
from assessments.services.provided import ProvidedInput, provided_values_save, provider_submission_submit
from assessments.services.provider_deadlines import provider_deadline_set
from audit.models import AuditEvent

from .factories import value_row

TODAY = datetime.date(2026, 2, 20)


@pytest.fixture
def year_deadline(provided_return_a, provided_return_b):
    AnnualReturn.objects.filter(year=2025).update(deadline=datetime.date(2026, 3, 1))


def _provide_k1(court, court_user, annual_return, text="12"):
    item = ProvidedInput(annual_return.pk, value_row(annual_return, "K1").indicator_id, "value", text, 0)
    provided_values_save(provider=court, inputs=[item], user=court_user)


def _row(court, today=TODAY):
    (row,) = [row for row in provider_progress(2025, today=today) if row.provider == court]
    return row


def test_a_provider_that_has_filled_nothing_is_not_started(court, year_deadline):
    row = _row(court)
    # K1 and K2's denominator for every unit of the city (all opened by the fixtures)
    assert (row.status_text, row.total) == ("未开始", 2 * AnnualReturn.objects.filter(year=2025).count())


def test_a_provider_part_way_shows_how_many_of_how_many(court, court_user, provided_return_a, year_deadline):
    _provide_k1(court, court_user, provided_return_a)
    row = _row(court)
    assert row.status_text == f"填报中 1/{row.total}" and row.total > 1


def test_the_row_names_the_indicators_the_provider_provides(court, year_deadline):
    assert _row(court).indicators == ("K1 行政诉讼案件数", "K2 负责人出庭应诉率")


def test_a_provider_submitted_by_its_deadline_is_on_time(court, court_user, year_deadline):
    provider_submission_submit(provider=court, year=2025, user=court_user)
    ProviderSubmission.objects.update(submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 30)))
    assert _row(court).status_text == "已按时提交"


def test_a_provider_submitted_after_its_deadline_is_late(court, court_user, year_deadline):
    provider_submission_submit(provider=court, year=2025, user=court_user)
    ProviderSubmission.objects.update(submitted_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 0)))
    row = _row(court)
    assert (row.status_text, row.is_late, row.is_overdue) == ("已提交（逾期）", True, False)


def test_a_provider_not_submitted_after_its_deadline_is_overdue(court, year_deadline):
    assert _row(court, today=datetime.date(2026, 3, 2)).is_overdue
    assert not _row(court, today=datetime.date(2026, 3, 1)).is_overdue


def test_the_bureaus_deadline_for_a_provider_overrides_the_years(cast, court, year_deadline):
    provider_deadline_set(
        provider=court, year=2025, deadline=datetime.date(2026, 2, 25), user=cast.reviewer, today=TODAY
    )
    row = _row(court)
    assert (row.deadline, row.has_own_deadline) == (datetime.date(2026, 2, 25), True)
    assert provider_deadline(court, 2025) == datetime.date(2026, 2, 25)


def test_setting_a_providers_deadline_is_audited(cast, court, year_deadline):
    submission = provider_deadline_set(
        provider=court, year=2025, deadline=datetime.date(2026, 2, 25), user=cast.reviewer, today=TODAY
    )
    event = AuditEvent.objects.get(object_type="assessments.ProviderSubmission", object_id=str(submission.pk))
    assert event.actor == cast.reviewer and "2026-02-25" in str(event.after)


def test_a_deadline_in_the_past_is_refused_in_chinese_and_nothing_changes(cast, court, year_deadline):
    with pytest.raises(ReturnActionError, match="截止日期不能早于今天"):
        provider_deadline_set(
            provider=court, year=2025, deadline=datetime.date(2026, 2, 19), user=cast.reviewer, today=TODAY
        )
    assert provider_deadline(court, 2025) == datetime.date(2026, 3, 1)
    assert not ProvidedValue.objects.exists()
