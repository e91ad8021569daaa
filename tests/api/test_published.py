"""Published reports, their figures and the open data: only what is on the public site now (a report
under 保密审查 or withdrawn is nowhere), each figure as the report prints it, beside the framework's
definition of what it counts."""

import csv
import io
import json

import pytest
from django.urls import reverse

from publication.models import ReportPublication
from tests.publication.factories import publication
from tests.reviews import factories as rf

PUBLISHED = {"A1.3": "96.5%", "A1.1": "3次", "B1.3": "95分"}


@pytest.fixture
def reports(cast):
    """2025: dept_a and dept_b published, the county's report under review; 2024: dept_a's withdrawn."""
    rf.framework_for(2025)
    return {
        "dept_a": publication(cast.dept_a, user=cast.staff_a, figures=PUBLISHED),
        "dept_b": publication(cast.dept_b, user=cast.staff_b, figures={"A1.1": "5次"}),
        "reviewing": publication(
            cast.county, user=cast.reviewer, status=ReportPublication.Status.REVIEWING, figures={"A1.1": "9次"}
        ),
        "withdrawn": publication(
            cast.dept_a, user=cast.staff_a, year=2024, status=ReportPublication.Status.WITHDRAWN, figures=PUBLISHED
        ),
    }


def test_the_report_list_holds_only_published_reports(reports, api):
    ids = {row["id"] for row in api.get(reverse("api:reports")).json()["results"]}
    assert ids == {reports["dept_a"].pk, reports["dept_b"].pk}


def test_the_report_list_filters_by_year_and_unit_subtree(cast, reports, api):
    county = api.get(reverse("api:reports"), {"unit": cast.county.code}).json()["results"]
    assert [row["unit_code"] for row in county] == [cast.dept_b.code]
    assert api.get(reverse("api:reports"), {"year": 2024}).json()["results"] == []


def test_a_report_carries_its_pdf_link_and_metadata(reports, api):
    (row,) = [r for r in api.get(reverse("api:reports")).json()["results"] if r["id"] == reports["dept_a"].pk]
    assert row["pdf_url"].endswith(reverse("api:report_pdf", kwargs={"pk": reports["dept_a"].pk}))
    assert row["title"] == reports["dept_a"].title and row["published_at"]


def test_a_reports_figures_come_in_the_frameworks_order_with_their_names(reports, api):
    body = api.get(reverse("api:report", kwargs={"pk": reports["dept_a"].pk})).json()
    assert [(f["indicator_code"], f["figure"]) for f in body["figures"]] == [
        ("A1.1", "3次"),
        ("A1.3", "96.5%"),
        ("B1.3", "95分"),
    ]
    assert body["figures"][1]["indicator_name"] == "述法覆盖率"


@pytest.mark.parametrize("which", ["reviewing", "withdrawn"])
def test_an_unpublished_report_and_its_pdf_are_not_found(which, reports, api):
    pk = reports[which].pk
    assert api.get(reverse("api:report", kwargs={"pk": pk})).status_code == 404
    assert api.get(reverse("api:report_pdf", kwargs={"pk": pk})).status_code == 404


def test_the_pdf_is_the_public_edition_and_may_be_cached_briefly(reports, api):
    response = api.get(reverse("api:report_pdf", kwargs={"pk": reports["dept_a"].pk}))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 public"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "public, max-age=300"


def test_published_figures_list_each_published_report_with_its_figures(reports, api):
    results = api.get(reverse("api:published_figures"), {"year": 2025}).json()["results"]
    assert {(item["report"]["unit_code"], len(item["figures"])) for item in results} == {("C002", 3), ("C110", 1)}


def test_years_count_the_published_reports_and_link_the_open_data(reports, api):
    (year,) = [row for row in api.get(reverse("api:years")).json() if row["year"] == 2025]
    assert year["published_report_count"] == 2
    assert year["open_data_csv"].endswith("/api/v1/open-data/2025.csv")


def _csv_rows(api, year: int) -> list[dict[str, str]]:
    response = api.get(reverse("api:open_data_csv", kwargs={"year": year}))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_open_data_csv_holds_every_published_figure_with_its_definition(reports, api):
    rows = _csv_rows(api, 2025)
    assert {(row["单位编码"], row["指标编码"], row["公开数值"]) for row in rows} == {
        ("C002", "A1.1", "3次"),
        ("C002", "A1.3", "96.5%"),
        ("C002", "B1.3", "95分"),
        ("C110", "A1.1", "5次"),
    }
    rate = next(row for row in rows if row["指标编码"] == "A1.3")
    assert (rate["指标名称"], rate["分子名称"], rate["分母名称"], rate["目标"]) == (
        "述法覆盖率",
        "已述法",
        "应述法",
        "≥100%",
    )
    assert rate["填报类型"] == "比率（分子/分母）" and rate["报告类型"] == "部门年度报告"


def test_the_open_data_csv_of_a_year_with_only_a_withdrawn_report_is_just_the_header(reports, api):
    assert _csv_rows(api, 2024) == []


def test_the_open_data_json_holds_the_definitions_and_the_published_reports(reports, api):
    response = api.get(reverse("api:open_data_json", kwargs={"year": 2025}))
    document = json.loads(b"".join(response.streaming_content))
    assert [d["code"] for d in document["definitions"]] == ["A1.1", "A1.3", "B1.3"]
    assert {r["unit_code"]: r["figures"] for r in document["reports"]} == {"C002": PUBLISHED, "C110": {"A1.1": "5次"}}
    assert document["definitions"][0]["unit"] == "次"


def test_the_open_data_costs_a_fixed_number_of_queries(cast, reports, api, django_assert_max_num_queries):
    publication(cast.justice_bureau, user=cast.reviewer, figures=PUBLISHED)
    url = reverse("api:open_data_csv", kwargs={"year": 2025})
    api.get(url)  # the framework tree is loaded once per process
    with django_assert_max_num_queries(3):
        api.get(url)
