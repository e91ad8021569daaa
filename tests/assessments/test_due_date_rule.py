"""One due-date rule everywhere: a return submitted within its approved extension is in time on the
return page, the review queue, the progress page and its export (it read 逾期 / 逾期提交 in red)."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import AnnualReturn
from assessments.services.submission import annual_return_submit

from .test_submission import fill

AFTER_THE_DEADLINE = timezone.make_aware(datetime.datetime(2026, 3, 6, 10, 0))  # deadline 3-1, extension 3-27


@pytest.fixture
def submitted_in_the_extension(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        extended_until=datetime.date(2026, 3, 27), extension_reason="机构改革"
    )
    fill(return_a, cast.staff_a)
    return annual_return_submit(annual_return=return_a, user=cast.staff_a, now=AFTER_THE_DEADLINE)


def test_the_return_page_does_not_say_late(client, cast, submitted_in_the_extension):
    client.force_login(cast.staff_a)
    html = client.get(reverse("assessments:return_detail", args=[submitted_in_the_extension.pk])).content.decode()
    assert "已提交" in html and "逾期" not in html


def test_the_review_queue_does_not_say_late(client, cast, submitted_in_the_extension):
    client.force_login(cast.reviewer)
    html = client.get(reverse("reviews:queue"), {"year": 2025}).content.decode()
    assert "测试市甲局" in html and "逾期提交</span>" not in html
    late_only = client.get(reverse("reviews:queue"), {"year": 2025, "overdue": "on"}).content.decode()
    assert "测试市甲局</a>" not in late_only


def test_the_progress_page_and_its_export_do_not_say_late(client, cast, submitted_in_the_extension):
    client.force_login(cast.reviewer)
    html = client.get(reverse("assessments:progress_dashboard"), {"year": 2025}).content.decode()
    row = html[html.index("测试市甲局</a>") :].split("</tr>")[0]
    assert "逾期" not in row
    export = client.get(reverse("assessments:progress_export"), {"year": 2025})
    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    header = [cell.value for cell in next(sheet.iter_rows(min_row=2, max_row=2))]
    row = next(r for r in sheet.iter_rows(values_only=True) if "测试市甲局" in r)
    assert row[header.index("逾期提交")] == "否"


def test_returns_flagged_late_by_the_old_rule_are_cleared_by_the_migration(cast, return_a, return_b):
    """Old rule: late after the original deadline even within an extension. Late past the extension stays late."""
    within = timezone.make_aware(datetime.datetime(2026, 3, 20, 23, 30))  # China time, the extension's last days
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        status="submitted", first_submitted_at=within, submitted_at=within, is_late=True,
        extended_until=datetime.date(2026, 3, 20), extension_reason="机构改革",
    )  # fmt: skip
    AnnualReturn.objects.filter(pk=return_b.pk).update(
        status="submitted", first_submitted_at=within, submitted_at=within, is_late=True,
        extended_until=datetime.date(2026, 3, 10), extension_reason="机构改革",
    )  # fmt: skip
    migration = importlib.import_module("assessments.migrations.0004_late_means_after_the_extension")

    migration.late_only_after_the_due_date(apps, None)

    assert not AnnualReturn.objects.get(pk=return_a.pk).is_late
    assert AnnualReturn.objects.get(pk=return_b.pk).is_late
