"""The 审核记录 page and the 得分变动说明 come from one read (selectors.audit_log), paged as
Paginator.get_page pages them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewAuditEntry
from reviews.selectors import audit_log
from reviews.services import provided_scores

START = timezone.now() - datetime.timedelta(days=10)


def _entry(cast, minute: int, *, is_rescore: bool = False) -> ReviewAuditEntry:
    entry = ReviewAuditEntry.objects.create(
        department=cast.dept_a,
        year=2025,
        user=cast.reviewer,
        action="score_sheet_compute" if is_rescore else "score",
        subject=f"记录{minute}",
        reason=f"{provided_scores.REASON_START}提供了第{minute}项{provided_scores.REASON_END}" if is_rescore else "",
        before={"total": "80.00"},
        after={"total": f"{minute}.00"},
    )
    ReviewAuditEntry.objects.filter(pk=entry.pk).update(created_at=START + datetime.timedelta(minutes=minute))
    return entry


@pytest.fixture
def log_of_45(cast, db):
    """45 rows, one a minute; the re-scores are minutes 0, 5, 10, 15, 20, 25 and 30 (the newest page of
    20 rows holds minutes 44 down to 25)."""
    return [_entry(cast, minute, is_rescore=minute % 5 == 0 and minute <= 30) for minute in range(45)]


def _subjects(entries) -> list[str]:
    return [entry.subject for entry in entries]


def test_the_page_the_total_and_the_notices_take_one_query(cast, log_of_45, django_assert_num_queries):
    with django_assert_num_queries(1):
        audit_log(department_id=cast.dept_a.pk, year=2025, page=1, per_page=20)


def test_a_page_holds_its_rows_newest_first(cast, log_of_45):
    log = audit_log(department_id=cast.dept_a.pk, year=2025, page=2, per_page=20)

    assert _subjects(log.entries) == [f"记录{minute}" for minute in range(24, 4, -1)]
    assert log.total == 45


def test_the_notices_are_the_five_newest_rescores_wherever_their_rows_are_paged(cast, log_of_45):
    log = audit_log(department_id=cast.dept_a.pk, year=2025, page=1, per_page=20)

    assert [notice.after_total for notice in log.rescore_notices] == ["30.00", "25.00", "20.00", "15.00", "10.00"]
    assert log.rescore_notices[0].what == f"{provided_scores.REASON_START}提供了第30项"


def test_rows_of_another_unit_or_year_are_neither_paged_nor_counted(cast, log_of_45):
    ReviewAuditEntry.objects.create(department=cast.dept_b, year=2025, action="score", subject="别的单位")
    ReviewAuditEntry.objects.create(department=cast.dept_a, year=2024, action="score", subject="上一年")

    log = audit_log(department_id=cast.dept_a.pk, year=2025, page=3, per_page=20)

    assert log.total == 45
    assert _subjects(log.entries) == [f"记录{minute}" for minute in range(4, -1, -1)]


def test_a_page_past_the_end_still_says_the_total(cast, db):
    for minute in range(3):
        _entry(cast, minute)

    log = audit_log(department_id=cast.dept_a.pk, year=2025, page=4, per_page=20)

    assert (log.entries, log.total, log.rescore_notices) == ([], 3, [])


def test_a_unit_without_rows_has_an_empty_first_page(cast, db):
    log = audit_log(department_id=cast.dept_a.pk, year=2025, page=1, per_page=20)

    assert (log.entries, log.total, log.rescore_notices) == ([], 0, [])


@pytest.mark.parametrize(
    ("asked", "shown"), [("2", "第2/3页"), ("9", "第3/3页"), ("0", "第3/3页"), ("x", "第1/3页"), ("", "第1/3页")]
)
def test_the_review_page_turns_its_audit_pages_as_paginator_get_page_does(
    cast, client, return_a, log_of_45, asked, shown
):
    client.force_login(cast.reviewer)

    html = client.get(reverse("reviews:review", args=[return_a.pk]), {"audit_page": asked}).content.decode()

    assert f"共45条，{shown}" in html


def test_the_review_page_shows_the_newest_rescores_while_its_audit_is_on_another_page(
    cast, client, return_a, log_of_45
):
    client.force_login(cast.reviewer)

    html = client.get(reverse("reviews:review", args=[return_a.pk]), {"audit_page": 3}).content.decode()

    assert "得分变动说明" in html and "提供了第30项" in html and "提供了第10项" in html
    assert "提供了第5项" not in html
