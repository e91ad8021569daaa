"""No department sees another's data (ASVS 5.0 8.2.2, 8.4.1; OWASP "Cross-Tenant Boundary Test"):
dept_a's data carries marker strings in every free-text field; every GET URL of the permission
matrix, as staff_b, as reviewer_scoped (whose branch excludes dept_a) and as the court's provider
(which provides figures for dept_a but may read nothing else of its return), answers without any of
them — pages, lists, searches, xlsx exports, rankings, PDF and DOCX downloads alike. Rankings may
name dept_a with its total once published, never its answers."""

import pytest
from django.urls import reverse

from tests.permission_matrix import ROWS
from tests.test_permission_matrix import _url

from .leaks import MARKERS, leaked_markers, plant_markers, response_text

# The provider (数据提供单位) sees the figures it provides for dept_a, never dept_a's own text.
OUTSIDERS = ("staff_b", "reviewer_scoped", "provider")
GET_ROWS = [row for row in ROWS if row.method == "GET" and not row.url_name.startswith("admin:")]
# Search terms that match the markers but are not markers themselves (search pages echo the term).
SEARCHES = {"q": "ZQXNARRATIVE", "search": "ZQXEVIDENCE"}


def _rich_dept_a(cast):
    """dept_a's year well advanced (submitted, scored, published, appealed, adjusted) unless the
    row under test already built its own; then markers everywhere."""
    from assessments.models import AnnualReturn

    if not AnnualReturn.objects.filter(department=cast.dept_a).exists():
        import datetime

        from django.utils import timezone

        from reviews.models import ScoreSheet
        from reviews.services.adjustments import adjustment_register
        from reviews.services.publication import results_publish
        from tests.reviews import factories as rf

        annual_return = rf.confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer)
        adjustment_register(
            department=cast.dept_a,
            year=2025,
            item=annual_return.framework.adjustment_items.get(code="X5"),
            reason="通报",
            user=cast.reviewer,
        )
        deadline = timezone.localdate() + datetime.timedelta(days=7)
        results_publish(year=2025, appeal_deadline=deadline, user=cast.reviewer)
        rf.appeal_on_judgement(ScoreSheet.objects.get(department=cast.dept_a, year=2025), cast.staff_a)
    plant_markers(cast.dept_a, cast.staff_a)


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.id)
def test_no_get_url_shows_another_departments_markers(row, cast, client):
    url = _url(row, cast)
    _rich_dept_a(cast)
    for role in OUTSIDERS:
        client.force_login(getattr(cast, role))
        # Search terms only where a page lists many things (no object in the URL).
        for params in ({}, SEARCHES) if row.kwargs is None and row.target is None else ({},):
            response = client.get(url, params)
            assert response.status_code < 500, (role, url)
            assert not leaked_markers(response_text(response)), (role, url, params)


def test_the_markers_are_really_there_for_those_who_may_see_them(cast, client):
    """The guard of the test above: the same pages do show the markers to dept_a's own staff."""
    from assessments.models import AnnualReturn

    _rich_dept_a(cast)
    annual_return = AnnualReturn.objects.get(department=cast.dept_a)
    client.force_login(cast.staff_a)
    seen = set()
    for name in ("assessments:return_detail", "assessments:return_history", "assessments:evidence_list"):
        seen |= leaked_markers(response_text(client.get(reverse(name, kwargs={"pk": annual_return.pk}))))
    assert {MARKERS["narrative"], MARKERS["explanation"], MARKERS["evidence_name"]} <= seen


def test_a_real_report_of_dept_b_carries_none_of_dept_as_markers(cast, client, django_capture_on_commit_callbacks):
    """Rendered PDF and DOCX of staff_b's own unit, with dept_a's marked data in the database."""
    from reports.models import ReportKind, ReportRun
    from tests.reports.builders import two_years_for

    two_years_for(cast.dept_b)
    two_years_for(cast.dept_a, narratives={"measures": MARKERS["narrative"], "shortcomings": MARKERS["narrative"]})
    plant_markers(cast.dept_a, cast.staff_a)
    client.force_login(cast.staff_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request_run"),
            {"kind": ReportKind.DEPARTMENT_ANNUAL, "year": 2025, "department": cast.dept_b.pk},
        )
    assert response.status_code == 302
    run = ReportRun.objects.get(department=cast.dept_b)
    assert run.status == ReportRun.Status.DONE, run.stage
    for name in ("reports:run_download", "reports:run_download_docx"):
        download = client.get(reverse(name, kwargs={"pk": run.pk}))
        assert download.status_code == 200
        text = response_text(download)
        assert "乙镇" in "".join(text.split()) or name.endswith("docx")
        assert not leaked_markers(text), name
