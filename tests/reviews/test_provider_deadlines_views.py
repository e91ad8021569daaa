"""数据提供进度 page: the bureau reads each provider's state, sets a provider's deadline (a bad date
comes back on the page in Chinese, as typed) and reminds a provider that has not submitted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, ProviderSubmission
from assessments.selectors.provided import provider_deadline
from assessments.services.provided import provider_submission_submit
from indicators.presenting import date_text
from reviews.models import Notification

TODAY = timezone.localdate()
YEAR_DEADLINE = TODAY + datetime.timedelta(days=20)
PAGE = reverse("reviews:provider_deadlines")


@pytest.fixture
def year(provided_return_a):
    AnnualReturn.objects.filter(year=2025).update(deadline=YEAR_DEADLINE)
    return 2025


def _change(client, court, deadline: str):
    url = reverse("reviews:provider_deadline_change", args=[court.pk])
    return client.post(url, {"year": "2025", "deadline": deadline})


def test_the_page_lists_each_provider_with_its_indicators_deadline_and_state(client, cast, court, year):
    client.force_login(cast.reviewer)
    page = client.get(PAGE, {"year": 2025}).content.decode()
    assert "测试市中级人民法院" in page and "K1 行政诉讼案件数" in page
    assert f'value="{YEAR_DEADLINE.isoformat()}"' in page and "未开始" in page


def test_an_overdue_provider_is_flagged(client, cast, court, year):
    AnnualReturn.objects.filter(year=2025).update(deadline=TODAY - datetime.timedelta(days=1))
    client.force_login(cast.reviewer)
    page = client.get(PAGE).content.decode()
    assert "逾期未提交：市中级人民法院" in page and "已逾期" in page


def test_a_submitted_provider_shows_no_reminder_button(client, cast, court, court_user, year):
    provider_submission_submit(provider=court, year=2025, user=court_user)
    client.force_login(cast.reviewer)
    page = client.get(PAGE).content.decode()
    assert "已按时提交" in page and "发送提醒" not in page


def test_a_new_deadline_is_saved_and_the_provider_sees_it_on_its_grid(client, cast, court, year):
    new = TODAY + datetime.timedelta(days=5)
    client.force_login(cast.reviewer)
    assert _change(client, court, new.isoformat()).status_code == 302
    assert provider_deadline(court, 2025) == new
    client.force_login(cast.provider)
    grid = client.get(reverse("assessments:provided_grid")).content.decode()
    assert f"提交截止日期：{date_text(new)}" in grid


def test_an_unreadable_date_is_shown_in_its_row_in_chinese_as_typed(client, cast, court, year):
    client.force_login(cast.reviewer)
    response = _change(client, court, "2026-13-45")
    page = response.content.decode()
    assert response.status_code == 400
    assert "日期格式不对，请按 2026-03-01 的格式填写。" in page and 'value="2026-13-45"' in page
    assert provider_deadline(court, 2025) == YEAR_DEADLINE


def test_a_past_date_is_refused_on_the_page_and_nothing_changes(client, cast, court, year):
    client.force_login(cast.reviewer)
    past = (TODAY - datetime.timedelta(days=3)).isoformat()
    response = _change(client, court, past)
    assert response.status_code == 400
    assert "截止日期不能早于今天" in response.content.decode()
    assert provider_deadline(court, 2025) == YEAR_DEADLINE
    assert not ProviderSubmission.objects.filter(deadline__isnull=False).exists()


def test_a_reminder_notifies_the_providers_users_once_a_day(client, cast, court, year):
    client.force_login(cast.reviewer)
    url = reverse("reviews:provider_remind", args=[court.pk])
    client.post(url, {"year": "2025"})
    client.post(url, {"year": "2025"})
    notice = Notification.objects.get(recipient=cast.provider)
    assert notice.title.startswith("司法局提醒：请尽快填齐并提交2025年度提供数据")
    assert ProviderSubmission.objects.get(provider=court).reminded_at is not None


def test_a_submitted_provider_is_not_reminded(client, cast, court, court_user, year):
    provider_submission_submit(provider=court, year=2025, user=court_user)
    client.force_login(cast.reviewer)
    response = client.post(reverse("reviews:provider_remind", args=[court.pk]), {"year": "2025"}, follow=True)
    assert "已提交2025年度提供数据，无需提醒" in response.content.decode()
    assert not Notification.objects.exists()


def test_a_department_that_provides_nothing_is_not_found(client, cast, year):
    client.force_login(cast.reviewer)
    response = _change(client, cast.dept_a, (TODAY + datetime.timedelta(days=5)).isoformat())
    assert response.status_code == 404


def test_a_scoped_reviewer_may_not_set_a_providers_deadline(client, cast, court, year):
    client.force_login(cast.reviewer_scoped)
    assert _change(client, court, (TODAY + datetime.timedelta(days=5)).isoformat()).status_code == 403
    assert provider_deadline(court, 2025) == YEAR_DEADLINE


def test_the_page_costs_a_bounded_number_of_queries(client, cast, court, year, django_assert_max_num_queries):
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(40):
        assert client.get(PAGE).status_code == 200
