"""No page prints a raw `None`, `nan`, `{{` or `}}` with the demo city loaded (the 审议意见 page read
"已回头看 None 于 2025年11月20日"). tests/test_permission_matrix.py checks every GET row of the matrix
for every role allowed to see it on the test cast; here the demo's own data: every GET row that
needs no object, as the demo user of the allowed role, and the demo's records on the pages that show
one record each. One test: loading the demo takes most of a minute."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User

from .permission_matrix import ROLES, ROWS, raw_values

# The demo user standing for each role of the matrix (README: demo logins).
DEMO_USER = {
    "staff_a": "staff_police",
    "staff_b": "staff_qingshi",
    "reviewer": "reviewer",
    "reviewer_scoped": "reviewer_dc",
    "congress": "congress",
    "admin": "admin",
}
# Pages that show one record, and which demo records to show there (model, demo user).
DEMO_RECORDS = {
    "congress:opinion_detail": ("congress.DeliberationOpinion", "congress"),
    "congress:assignment_detail": ("congress.Assignment", "congress"),
    "congress:survey_detail": ("congress.Survey", "congress"),
    "reviews:review": ("assessments.AnnualReturn", "reviewer"),
    "assessments:return_detail": ("assessments.AnnualReturn", "reviewer"),
    "reviews:sheet": ("reviews.ScoreSheet", "reviewer"),
    "reviews:appeal": ("reviews.Appeal", "reviewer"),
    "reports:run_detail": ("reports.ReportRun", "congress"),
    "indicators:framework_detail": ("indicators.IndicatorFramework", "admin"),
}
RECORDS_PER_PAGE = 12


def _allowed_role(row) -> str | None:
    return next((role for role in ROLES if role != "anonymous" and row.expected.get(role) == 200), None)


@pytest.mark.django_db
def test_no_demo_page_prints_none_nan_or_template_braces(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    found = {}
    for row in ROWS:
        role = _allowed_role(row)
        if row.method != "GET" or role is None or row.kwargs or row.target:
            continue
        client.force_login(User.objects.get(username=DEMO_USER[role]))
        if raw := raw_values(client.get(reverse(row.url_name))):
            found[f"{row.url_name} as {DEMO_USER[role]}"] = raw
    for url_name, (model_path, username) in DEMO_RECORDS.items():
        client.force_login(User.objects.get(username=username))
        for pk in apps.get_model(model_path).objects.order_by("pk").values_list("pk", flat=True)[:RECORDS_PER_PAGE]:
            response = client.get(reverse(url_name, args=[pk]))
            if response.status_code == 200 and (raw := raw_values(response)):
                found[f"{url_name} {pk} as {username}"] = raw
    assert found == {}
