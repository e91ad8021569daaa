"""Least privilege (issue 18 §3), each rule with planted markers that must not leak:

- a reviewer scoped to one branch sees, on the results page and its export, the units of its branch
  only, until the year is published;
- congress staff read a return from its submission on, never a department's draft (its page, its
  history, its evidence);
- department staff see other units' 加分, 扣分 and per-area points only when the bureau turned on
  公开明细; reviews.permissions.can_see_breakdowns, the page and the export agree.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AnnualReturn, NarrativeSection
from reviews.models import Publication
from reviews.permissions import can_see_breakdowns
from reviews.services.scoring import score_sheet_compute
from tests.assessments.factories import framework_with, open_return
from tests.reviews import factories as rf

UNIT_A = "ZQXUNITA7750"  # dept_a's name: outside reviewer_scoped's branch
DRAFT_TEXT = "ZQXDRAFT7751"


def _publish(cast, year: int = 2025) -> None:
    import datetime

    from django.utils import timezone

    from reviews.services.publication import results_publish

    results_publish(year=year, appeal_deadline=timezone.localdate() + datetime.timedelta(days=7), user=cast.reviewer)


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join("" if value is None else str(value) for value in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _xlsx_header(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [value for value in next(workbook.worksheets[0].iter_rows(values_only=True)) if value]


@pytest.fixture
def scored_year(cast):
    """dept_a (outside the county branch) and dept_b (inside) confirmed and scored, not published."""
    cast.dept_a.name = UNIT_A
    cast.dept_a.save(update_fields=["name"])
    for department, staff in ((cast.dept_a, cast.staff_a), (cast.dept_b, cast.staff_b)):
        annual_return = rf.confirmed_return(department, staff, cast.reviewer)
        score_sheet_compute(annual_return=annual_return)
    return 2025


# --- the scoped reviewer on results ---------------------------------------------------------------


def test_scoped_reviewer_sees_only_its_branch_on_the_unpublished_results_page(scored_year, cast, client):
    client.force_login(cast.reviewer_scoped)
    page = client.get(reverse("reviews:results", args=[scored_year])).content.decode()
    assert cast.dept_b.name in page
    assert UNIT_A not in page


def test_scoped_reviewer_exports_only_its_branch_before_publication(scored_year, cast, client):
    client.force_login(cast.reviewer_scoped)
    response = client.get(reverse("reviews:results_export", args=[scored_year]))
    assert response.status_code == 200
    content = response.getvalue()
    text = _xlsx_text(content)
    assert cast.dept_b.name in text
    assert UNIT_A not in text
    assert "同类名次" not in _xlsx_header(content)


def test_unscoped_reviewer_sees_every_unit_before_publication(scored_year, cast, client):
    client.force_login(cast.reviewer)
    assert UNIT_A in client.get(reverse("reviews:results", args=[scored_year])).content.decode()


def test_scoped_reviewer_sees_every_unit_once_published(scored_year, cast, client):
    _publish(cast)
    client.force_login(cast.reviewer_scoped)
    assert UNIT_A in client.get(reverse("reviews:results", args=[scored_year])).content.decode()
    assert UNIT_A in _xlsx_text(client.get(reverse("reviews:results_export", args=[scored_year])).getvalue())


# --- congress on drafts ---------------------------------------------------------------------------


@pytest.fixture
def draft_a(cast):
    framework = framework_with({"code": "K1", "name": "行政复议案件数", "unit": "件"})
    annual_return = open_return(cast.dept_a, framework)
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    NarrativeSection.objects.filter(annual_return=annual_return).update(text=DRAFT_TEXT)
    return annual_return


@pytest.mark.parametrize("url_name", ["assessments:return_detail", "assessments:return_history"])
def test_congress_cannot_read_a_draft_return_or_its_history(url_name, draft_a, cast, client):
    client.force_login(cast.congress)
    response = client.get(reverse(url_name, args=[draft_a.pk]))
    assert response.status_code == 404
    assert DRAFT_TEXT not in response.content.decode()


def test_congress_return_list_leaves_out_drafts(draft_a, cast, client):
    client.force_login(cast.congress)
    page = client.get(reverse("assessments:return_list")).content.decode()
    assert reverse("assessments:return_detail", args=[draft_a.pk]) not in page


def test_congress_reads_a_return_once_it_is_submitted(cast, client):
    annual_return = rf.submitted_return(cast.dept_a, cast.staff_a, rf.framework_for())
    NarrativeSection.objects.filter(annual_return=annual_return).update(text=DRAFT_TEXT)
    client.force_login(cast.congress)
    response = client.get(reverse("assessments:return_detail", args=[annual_return.pk]))
    assert response.status_code == 200
    assert DRAFT_TEXT in response.content.decode()


def test_reviewers_still_see_a_draft_in_their_scope(draft_a, cast, client):
    client.force_login(cast.reviewer)
    assert client.get(reverse("assessments:return_detail", args=[draft_a.pk])).status_code == 200


# --- staff on the published ranking and its export ------------------------------------------------


@pytest.fixture
def public_ranking(cast):
    """dept_a and dept_b confirmed, scored and published, with the ranking public."""
    for department, staff in ((cast.dept_a, cast.staff_a), (cast.dept_b, cast.staff_b)):
        rf.confirmed_return(department, staff, cast.reviewer)
    _publish(cast)
    Publication.objects.filter(year=2025).update(is_ranking_public=True)
    return 2025


BREAKDOWN_COLUMNS = ("加分", "扣分")


@pytest.mark.parametrize("is_breakdown_public", [False, True], ids=["明细不公开", "公开明细"])
def test_staff_export_carries_others_breakdowns_only_when_they_are_public(
    is_breakdown_public, public_ranking, cast, client
):
    Publication.objects.filter(year=public_ranking).update(is_breakdown_public=is_breakdown_public)
    client.force_login(cast.staff_b)
    response = client.get(reverse("reviews:results_export", args=[public_ranking]))
    assert response.status_code == 200
    content = response.getvalue()
    header = _xlsx_header(content)
    area_columns = [title for title in header if title[:1].isalpha() and title[:1].isupper()]
    assert can_see_breakdowns(cast.staff_b, public_ranking) is is_breakdown_public
    assert all((column in header) is is_breakdown_public for column in BREAKDOWN_COLUMNS)
    assert bool(area_columns) is is_breakdown_public
    assert cast.dept_a.name in _xlsx_text(content)  # the ranking itself is public either way


@pytest.mark.parametrize("is_breakdown_public", [False, True], ids=["明细不公开", "公开明细"])
def test_staff_page_ranks_by_area_only_when_breakdowns_are_public(is_breakdown_public, public_ranking, cast, client):
    Publication.objects.filter(year=public_ranking).update(is_breakdown_public=is_breakdown_public)
    client.force_login(cast.staff_b)
    area_code = rf.framework_for().areas.order_by("order").first().code
    page = client.get(reverse("reviews:results", args=[public_ranking]), {"area": area_code}).content.decode()
    assert ('name="area"' in page) is is_breakdown_public
    assert (f"{area_code} 得分" in page) is is_breakdown_public


def test_bureau_turns_breakdowns_public_with_an_audit_event(public_ranking, cast, client):
    from reviews.models import ReviewAuditEntry

    client.force_login(cast.reviewer)
    response = client.post(reverse("reviews:breakdown_visibility", args=[public_ranking]), {"public": "1"})
    assert response.status_code == 302
    assert Publication.objects.get(year=public_ranking).is_breakdown_public
    assert ReviewAuditEntry.objects.filter(action="breakdown_visibility").count() == 1


def test_breakdowns_are_off_by_default_when_results_are_published(public_ranking):
    assert Publication.objects.get(year=public_ranking).is_breakdown_public is False


# --- headers --------------------------------------------------------------------------------------


def test_every_page_sends_a_permissions_policy_that_turns_off_powerful_features(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
