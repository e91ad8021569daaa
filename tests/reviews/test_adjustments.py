"""加分 / 扣分 / 一票否决 registers: entered with a reason, approved by someone else."""

from decimal import Decimal

import pytest

from reviews.models import Adjustment, ReviewAuditEntry
from reviews.services.adjustments import adjustment_decide, adjustment_register, adjustment_withdraw
from reviews.services.errors import ReviewError

D = Decimal


def register(cast, framework, code="X5", *, user=None, department=None, **kwargs):
    return adjustment_register(
        department=department or cast.dept_b,
        year=2025,
        item=framework.adjustment_items.get(code=code),
        reason=kwargs.pop("reason", "被省级媒体曝光并查实"),
        user=user or cast.reviewer,
        **kwargs,
    )


def test_an_entry_takes_the_lists_points_per_occurrence(cast, framework):
    entry = register(cast, framework, occurrences=3)
    assert (entry.kind, entry.points, entry.status, entry.entered_by) == ("deduction", D("6"), "pending", cast.reviewer)


def test_a_bonus_entry_stays_within_the_items_cap(cast, framework):
    with pytest.raises(ReviewError):
        register(cast, framework, "K2", points=D("2"))


def test_a_veto_carries_no_points(cast, framework):
    assert register(cast, framework, "X1", points=D("3")).points == 0


def test_an_entry_needs_a_reason(cast, framework):
    with pytest.raises(ReviewError, match="事由"):
        register(cast, framework, reason=" ")


def test_staff_cannot_enter_adjustments(cast, framework):
    with pytest.raises(ReviewError):
        register(cast, framework, user=cast.staff_b)


def test_a_reviewer_cannot_enter_adjustments_outside_their_scope(cast, framework):
    with pytest.raises(ReviewError):
        register(cast, framework, user=cast.reviewer_scoped, department=cast.dept_a)


def test_an_item_of_another_years_framework_is_refused(cast, framework):
    from .factories import scoring_framework

    old = scoring_framework(2024)
    with pytest.raises(ReviewError, match="不属于本年度"):
        adjustment_register(
            department=cast.dept_b, year=2025, item=old.adjustment_items.get(code="X5"), reason="x", user=cast.reviewer
        )


def test_whoever_entered_it_cannot_approve_it(cast, framework):
    entry = register(cast, framework)
    with pytest.raises(ReviewError, match="登记人以外"):
        adjustment_decide(adjustment=entry, approve=True, user=cast.reviewer)
    assert Adjustment.objects.get(pk=entry.pk).status == "pending"


def test_another_reviewer_approves_and_the_decision_is_audited(cast, framework):
    entry = register(cast, framework)
    decided = adjustment_decide(adjustment=entry, approve=True, user=cast.reviewer_scoped, note="属实")
    audit = ReviewAuditEntry.objects.get(action="adjustment_approve")
    assert (decided.status, decided.approved_by) == ("approved", cast.reviewer_scoped)
    assert (audit.before["status"], audit.after["status"], audit.reason) == ("pending", "approved", "属实")


def test_a_decided_entry_cannot_be_decided_again(cast, framework):
    entry = register(cast, framework)
    adjustment_decide(adjustment=entry, approve=False, user=cast.reviewer_scoped)
    with pytest.raises(ReviewError):
        adjustment_decide(adjustment=entry, approve=True, user=cast.reviewer_scoped)


def test_withdrawing_needs_a_reason_and_stops_it_counting(cast, framework):
    entry = register(cast, framework)
    with pytest.raises(ReviewError):
        adjustment_withdraw(adjustment=entry, user=cast.reviewer, reason="")
    assert adjustment_withdraw(adjustment=entry, user=cast.reviewer, reason="重复登记").status == "withdrawn"


def test_evidence_is_stored_under_a_server_name_and_served_only_to_reviewers(cast, framework, client):
    from django.urls import reverse

    from .factories import small_pdf

    entry = register(cast, framework, evidence=small_pdf("../../etc/通报.pdf"))
    assert entry.evidence_name == "通报.pdf"
    assert entry.evidence.name.startswith("reviews/adjustments/2025/") and ".." not in entry.evidence.name
    url = reverse("reviews:adjustment_evidence", kwargs={"pk": entry.pk}) + "?inline=1"
    client.force_login(cast.staff_b)
    assert client.get(url).status_code == 403
    client.force_login(cast.reviewer)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "application/pdf",
        "nosniff",
    )
