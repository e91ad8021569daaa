import pytest
from django.core.management import call_command

from reports.demo import DEMO_REPORTS
from reports.models import ReportRun

pytestmark = pytest.mark.django_db


def test_demo_generates_one_report_of_each_kind_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    runs = ReportRun.objects.all()
    assert runs.count() == len(DEMO_REPORTS)
    assert {run.status for run in runs} == {ReportRun.Status.DONE}
    assert {run.kind for run in runs} == {kind for kind, _, _ in DEMO_REPORTS}
    assert all(run.file and run.sha256 for run in runs)
