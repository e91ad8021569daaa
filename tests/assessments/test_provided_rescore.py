"""A figure provided after the unit's return was approved re-scores it through the normal recompute,
visibly: the score sheet's audit row says which 数据提供单位 provided what, and the unit's result page
and the review page show it as 得分变动说明 with the date and the change of total."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, ProvidedValue
from assessments.services.provided import ProvidedInput, provided_values_save
from reviews.models import ReviewAuditEntry, ScoreSheet
from reviews.selectors import provided_rescore_notices
from reviews.services.scoring import score_sheet_compute

from .factories import value_row


def _provide(court, user, annual_return, text):
    indicator_id = value_row(annual_return, "K1").indicator_id
    existing = ProvidedValue.objects.filter(annual_return=annual_return, indicator_id=indicator_id).first()
    item = ProvidedInput(annual_return.pk, indicator_id, "value", text, existing.version if existing else 0)
    provided_values_save(provider=court, inputs=[item], user=user)


@pytest.fixture
def approved_a(provided_return_a):
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.APPROVED, first_submitted_at=timezone.now(), submitted_at=timezone.now()
    )
    provided_return_a.refresh_from_db()
    score_sheet_compute(annual_return=provided_return_a)
    return provided_return_a


@pytest.fixture
def rescored(court, court_user, approved_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _provide(court, court_user, approved_a, "12")
    return approved_a


def test_the_rescore_audit_names_the_provider_and_the_figure_it_provided(cast, rescored):
    entry = ReviewAuditEntry.objects.filter(department=cast.dept_a, action="score_sheet_compute").latest("pk")
    assert entry.reason.startswith("数据提供单位市中级人民法院提供了K1 行政诉讼案件数（12")
    assert entry.reason.endswith("），按新数据重新计分")


def test_the_notice_gives_the_date_the_figure_and_the_change_of_total(cast, rescored):
    sheet = ScoreSheet.objects.get(department=cast.dept_a)
    [notice] = provided_rescore_notices(department_id=cast.dept_a.pk, year=2025)
    assert notice.what.startswith("数据提供单位市中级人民法院提供了K1 行政诉讼案件数（12")
    assert notice.after_total == f"{sheet.total:f}"
    assert notice.before_total and notice.before_total != notice.after_total
    assert notice.at.date() == timezone.now().date()


def test_the_review_page_shows_the_rescore_notice(client, cast, rescored):
    client.force_login(cast.reviewer)
    page = client.get(reverse("reviews:review", args=[rescored.pk])).content.decode()
    assert "得分变动说明" in page and "数据提供单位市中级人民法院提供了K1 行政诉讼案件数" in page


def test_the_units_score_page_shows_the_rescore_notice(client, cast, rescored):
    client.force_login(cast.reviewer)
    sheet = ScoreSheet.objects.get(department=cast.dept_a)
    page = client.get(reverse("reviews:sheet", args=[sheet.pk])).content.decode()
    assert "得分变动说明" in page and "总分由" in page


def test_a_score_recomputed_for_another_reason_shows_no_notice(client, cast, approved_a):
    client.force_login(cast.reviewer)
    page = client.get(reverse("reviews:review", args=[approved_a.pk])).content.decode()
    assert "得分变动说明" not in page
