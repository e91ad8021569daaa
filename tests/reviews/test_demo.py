"""The demo as `seed_demo` builds it (after assessments.demo): a completed 2024 cycle, 2025 in progress."""

import pytest
from django.db import transaction

from assessments.models import AnnualReturn
from reviews.models import Adjustment, Appeal, Notification, Publication, ReviewAuditEntry, ReviewScore, ScoreSheet
from reviews.services.scoring import score_sheet_compute

SEEDED_APPS = ("accounts", "indicators", "assessments", "reviews")


def _seed():
    from importlib import import_module

    for label in SEEDED_APPS:
        import_module(f"{label}.demo").seed()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        _seed()
        yield
        transaction.set_rollback(True)


pytestmark = pytest.mark.usefixtures("demo")


def test_2024_is_reviewed_published_and_final(db):
    assert Publication.objects.get(year=2024).is_final
    assert set(AnnualReturn.objects.filter(year=2024).values_list("status", flat=True)) == {"confirmed"}
    sheets = ScoreSheet.objects.filter(year=2024)
    assert sheets.count() == 21  # every assessed demo unit (市信访局 included; not the court)
    assert not sheets.filter(is_final=False).exists()
    assert sorted(sheets.values_list("rank", flat=True))[0] == 1


def test_2024_has_an_appeal_decided_by_a_second_reviewer_with_its_audit(db):
    appeal = Appeal.objects.select_related("review_score").get(score_sheet__year=2024)
    assert appeal.status == Appeal.Status.PARTLY_UPHELD
    assert appeal.decided_by != appeal.review_score.reviewer
    entry = ReviewAuditEntry.objects.get(action="appeal_decide", year=2024)
    assert entry.before["final_points"] is None
    assert entry.after["final_points"] == f"{appeal.points_after:f}"


def test_2024_has_a_bonus_a_deduction_and_a_veto(db):
    kinds = set(Adjustment.objects.filter(year=2024, status="approved").values_list("kind", flat=True))
    assert kinds == {"bonus", "deduction", "veto"}
    assert ScoreSheet.objects.get(year=2024, department__code="YZ211").grade == "fail"


def test_2025_is_in_progress_with_returns_waiting_for_review(db):
    statuses = set(AnnualReturn.objects.filter(year=2025).values_list("status", flat=True))
    assert {"submitted", "returned", "approved", "confirmed", "in_progress", "not_started"} <= statuses
    assert not Publication.objects.filter(year=2025).exists()
    assert Adjustment.objects.filter(year=2025, status="pending").exists()


def test_2025_approved_and_confirmed_returns_have_scores_and_sheets(db):
    done = AnnualReturn.objects.filter(year=2025, status__in=["approved", "confirmed"])
    assert done.exists()
    for annual_return in done:
        scored = annual_return.values.exclude(indicator__nature="statistical")  # 统计指标 are never scored
        assert ReviewScore.objects.filter(annual_return=annual_return).count() == scored.count()
        assert ScoreSheet.objects.filter(annual_return=annual_return).exists()


def test_the_department_users_have_notices(db):
    assert Notification.objects.filter(recipient__username="staff_market", kind="published").exists()


def test_seeding_again_changes_nothing(db):
    counts = [model.objects.count() for model in (ReviewScore, ReviewAuditEntry, Adjustment, Appeal, ScoreSheet)]
    assert all(counts), "the demo has rows of each kind to be left unchanged"
    fingerprints = dict(ScoreSheet.objects.values_list("pk", "fingerprint"))
    _seed()
    assert [
        model.objects.count() for model in (ReviewScore, ReviewAuditEntry, Adjustment, Appeal, ScoreSheet)
    ] == counts
    assert dict(ScoreSheet.objects.values_list("pk", "fingerprint")) == fingerprints


def test_recomputation_reproduces_every_stored_sheet(db):
    sheets = list(ScoreSheet.objects.select_related("annual_return__department", "annual_return__framework"))
    reviewed_2025 = set(
        AnnualReturn.objects.filter(year=2025, status__in=["approved", "confirmed"]).values_list("pk", flat=True)
    )
    assert reviewed_2025 and reviewed_2025 <= {sheet.annual_return_id for sheet in sheets}
    assert sum(sheet.year == 2024 for sheet in sheets) == 21
    for sheet in sheets:
        again, changed = score_sheet_compute(annual_return=sheet.annual_return)
        assert (changed, again.total, again.breakdown) == (False, sheet.total, sheet.breakdown)
