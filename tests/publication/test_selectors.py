from publication.models import ReportPublication
from publication.selectors import published_reports

from .factories import publication

Status = ReportPublication.Status


def test_published_reports_lists_only_what_is_published_now(cast):
    shown = publication(cast.dept_a, user=cast.admin)
    publication(cast.dept_b, user=cast.admin, status=Status.REVIEWING)
    publication(cast.county, user=cast.admin, status=Status.WITHDRAWN)
    assert list(published_reports()) == [shown]


def test_published_reports_filters_by_year_and_unit(cast):
    a_2025 = publication(cast.dept_a, user=cast.admin, year=2025)
    a_2024 = publication(cast.dept_a, user=cast.admin, year=2024)
    b_2025 = publication(cast.dept_b, user=cast.admin, year=2025)
    assert set(published_reports(year=2025)) == {a_2025, b_2025}
    assert list(published_reports(unit=cast.dept_a)) == [a_2025, a_2024]
    assert list(published_reports(year=2024, unit=cast.dept_a.pk)) == [a_2024]


def test_published_reports_reads_units_and_runs_in_one_query(cast, django_assert_num_queries):
    publication(cast.dept_a, user=cast.admin)
    publication(cast.dept_b, user=cast.admin)
    with django_assert_num_queries(1):
        assert [item.department.name + str(item.run.edition) for item in published_reports()]


def test_published_reports_leave_the_search_column_in_the_database(cast):
    publication(cast.dept_a, user=cast.admin)
    assert published_reports().get().get_deferred_fields() == {"search_text"}
