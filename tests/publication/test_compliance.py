"""The bureau's table of who published the year's report by 4月1日 of the next year."""

import datetime

from django.utils import timezone

from publication.models import ReportPublication
from publication.selectors import Compliance, compliance_table

from .factories import publication

Status = ReportPublication.Status
DEADLINE = datetime.date(2026, 4, 1)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 30)))


def _states(table) -> dict[str, Compliance]:
    return {row.department_code: row.state for row in table.rows}


def test_on_time_late_and_missing_units_after_the_deadline(cast):
    publication(cast.dept_a, user=cast.admin, published_at=_at(datetime.date(2026, 3, 20)))
    publication(cast.dept_b, user=cast.admin, published_at=_at(datetime.date(2026, 4, 2)))  # planted late
    table = compliance_table(year=2025, today=datetime.date(2026, 6, 1))
    assert table.deadline == DEADLINE
    states = _states(table)
    assert states[cast.dept_a.code] == Compliance.ON_TIME
    assert states[cast.dept_b.code] == Compliance.LATE
    assert states[cast.county.code] == Compliance.OVERDUE  # planted missing: a government with no report out
    assert table.count(Compliance.OVERDUE) == 3  # county, city, justice bureau


def test_a_report_published_on_the_first_of_april_is_on_time(cast):
    publication(cast.dept_a, user=cast.admin, published_at=_at(DEADLINE))
    assert _states(compliance_table(year=2025, today=DEADLINE))[cast.dept_a.code] == Compliance.ON_TIME


def test_before_the_deadline_a_missing_report_is_not_yet_overdue(cast):
    assert _states(compliance_table(year=2025, today=DEADLINE))[cast.dept_a.code] == Compliance.NOT_YET


def test_a_report_under_review_or_withdrawn_counts_as_not_published(cast):
    publication(cast.dept_a, user=cast.admin, status=Status.REVIEWING)
    publication(cast.dept_b, user=cast.admin, status=Status.WITHDRAWN, published_at=_at(datetime.date(2026, 3, 1)))
    states = _states(compliance_table(year=2025, today=datetime.date(2026, 6, 1)))
    assert states[cast.dept_a.code] == states[cast.dept_b.code] == Compliance.OVERDUE


def test_a_government_is_judged_by_its_government_report_not_a_department_one(cast):
    publication(cast.county, user=cast.admin, published_at=_at(datetime.date(2026, 3, 1)))  # a department_annual
    assert _states(compliance_table(year=2025, today=datetime.date(2026, 6, 1)))[cast.county.code] == Compliance.OVERDUE


def test_the_date_counts_in_china_time(cast):
    """23:30 UTC on 1 April is 2 April in Beijing: late."""
    late = datetime.datetime(2026, 4, 1, 23, 30, tzinfo=datetime.UTC)
    publication(cast.dept_a, user=cast.admin, published_at=late)
    assert _states(compliance_table(year=2025, today=datetime.date(2026, 6, 1)))[cast.dept_a.code] == Compliance.LATE


def test_the_table_reads_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    publication(cast.dept_a, user=cast.admin)
    publication(cast.dept_b, user=cast.admin)
    with django_assert_max_num_queries(2):
        compliance_table(year=2025, today=datetime.date(2026, 6, 1))
