import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from publication import demo
from publication.models import ReportPublication
from publication.selectors import Compliance, compliance_table, published_reports

pytestmark = pytest.mark.django_db


def test_the_demo_city_publishes_its_2024_reports_once_one_of_them_late(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)  # the reports render after this returns: nothing to publish yet
    call_command("seed_demo", verbosity=0)
    demo.seed()
    assert ReportPublication.objects.count() == 2
    published = {item.department.code: item for item in published_reports(year=2024)}
    assert set(published) == {"YZ002", "YZ000"}
    assert all(item.pdf_file and item.html and item.run.is_final for item in published.values())
    table = compliance_table(year=2024, today=timezone.localdate())
    states = {row.department_code: row.state for row in table.rows}
    assert (states["YZ002"], states["YZ000"], states["YZ003"]) == (
        Compliance.ON_TIME,
        Compliance.LATE,
        Compliance.OVERDUE if timezone.localdate() > datetime.date(2025, 4, 1) else Compliance.NOT_YET,
    )
