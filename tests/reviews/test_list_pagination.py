"""Lists are paginated with the total said (共N条，第x/y页), never cut off silently."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Appeal, ReviewAuditEntry, ReviewScore

from .factories import published_sheet

APPEALS = 520  # more than the 500 the appeal list used to stop at


@pytest.fixture
def many_appeals(cast, framework):
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    score = ReviewScore.objects.get(annual_return_id=sheet.annual_return_id, indicator__code="A1.4")
    Appeal.objects.bulk_create(
        Appeal(
            score_sheet=sheet,
            review_score=score,
            statement=f"第{n}次异议",
            submitted_by=cast.staff_a,
            status=Appeal.Status.REJECTED,
            points_before=score.points,
            points_after=score.points,
            decided_by=cast.reviewer_scoped,
            decided_at=timezone.now(),
            decision_reason="不成立",
        )
        for n in range(APPEALS)
    )
    return sheet


def _appeal_links(html: str) -> set[str]:
    prefix = reverse("reviews:appeals")
    return set(re.findall(rf'href="{prefix}(\d+)/"', html))


def test_the_appeal_list_past_500_rows_says_the_total_and_the_page(cast, client, many_appeals):
    client.force_login(cast.reviewer)

    html = client.get(reverse("reviews:appeals")).content.decode()

    assert f"共{APPEALS}条，第1/11页" in html
    assert len(_appeal_links(html)) == 50


def test_page_2_of_the_appeal_list_holds_the_next_rows(cast, client, many_appeals):
    client.force_login(cast.reviewer)

    first = client.get(reverse("reviews:appeals")).content.decode()
    second = client.get(reverse("reviews:appeals"), {"page": 2}).content.decode()

    assert "共520条，第2/11页" in second
    assert len(_appeal_links(second)) == 50
    assert not _appeal_links(first) & _appeal_links(second)


def test_the_last_page_of_the_appeal_list_holds_the_rows_past_500(cast, client, many_appeals):
    client.force_login(cast.reviewer)

    html = client.get(reverse("reviews:appeals"), {"page": 11}).content.decode()

    assert "共520条，第11/11页" in html
    assert len(_appeal_links(html)) == APPEALS - 500


def test_the_score_sheet_audit_turns_its_own_pages_and_keeps_the_others(cast, client, framework):
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    existing = ReviewAuditEntry.objects.filter(department=cast.dept_a, year=2025).count()
    ReviewAuditEntry.objects.bulk_create(
        ReviewAuditEntry(department=cast.dept_a, year=2025, user=cast.reviewer, action="score", subject=f"记录{n}")
        for n in range(45 - existing)
    )
    client.force_login(cast.reviewer)

    html = client.get(reverse("reviews:sheet", args=[sheet.pk]), {"x": "1", "audit_page": 2}).content.decode()

    assert "共45条，第2/3页" in html
    assert 'href="?x=1&amp;audit_page=3"' in html
