"""The department report compares an indicator renamed through `previous_code` with last year's
value stored under its old code: the year-over-year clause and the appendix's last-year column."""

import pytest

from reports.kinds.department_annual import department_report_data, department_report_document
from tests.assessments.factories import open_return
from tests.assessments.test_entry import save
from tests.indicators.factories import RENAMED_FROM, RENAMED_NAME, RENAMED_TO, two_years_with_a_rename

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast):
    """dept_a filed 40/50 under G2.1 in 2024 and 45/50 under G2.5 (previous_code G2.1) in 2025."""
    last_year, this_year = two_years_with_a_rename()
    save(open_return(cast.dept_a, last_year), cast.staff_a, RENAMED_FROM, {"numerator": "40", "denominator": "50"})
    save(open_return(cast.dept_a, this_year), cast.staff_a, RENAMED_TO, {"numerator": "45", "denominator": "50"})
    return department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})


def shortfall_texts(report) -> list[str]:
    return [block.text for block in report.sections[1].blocks]


def test_the_renamed_indicators_sentence_compares_with_last_years_value_under_the_old_code(report):
    assert "较上年提高10个百分点，但仍低于" in "".join(shortfall_texts(report))


def test_the_appendix_shows_last_years_value_and_the_change_on_the_renamed_row(report):
    [row] = [row for row in report.appendices[0].blocks[0].rows if row[1] == RENAMED_NAME]
    assert row[3:5] == ("80%", "提高10个\n百分点")
