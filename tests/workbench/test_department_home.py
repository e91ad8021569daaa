"""The department home's look back: last year's return (approved or not) and last year's report,
linked to its download when a finished edition exists, 尚未生成 otherwise."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ReportKind
from tests.assessments.factories import framework_with, open_return
from tests.factories import UserFactory
from tests.reports.builders import done_run, failed_run
from workbench.department_home import department_home, latest_department_report


@pytest.fixture
def last_year(cast, return_a):
    """dept_a's 2024 return next to its 2025 one (return_a)."""
    return open_return(cast.dept_a, framework_with({"code": "K1"}, year=2024))


def approve(annual_return):
    type(annual_return).objects.filter(pk=annual_return.pk).update(
        status="confirmed", first_submitted_at=timezone.now(), self_score="87.50"
    )


def home_html(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("accounts:home")).content.decode()


def test_last_years_approved_return_is_linked_with_its_self_score(client, cast, last_year):
    approve(last_year)
    html = home_html(client, cast.staff_a)
    detail = reverse("assessments:return_detail", args=[last_year.pk])
    assert f'<a href="{detail}">查看审核通过的2024年度填报</a>（已确认（锁定），自评分 87.50）' in html
    assert "尚未审核通过" not in html


def test_last_years_return_not_yet_approved_says_so(client, cast, last_year):
    html = home_html(client, cast.staff_a)
    assert "查看2024年度填报</a>（未开始）" in html and "尚未审核通过" in html


def test_without_a_return_last_year_the_home_says_none(client, cast, return_a):
    assert '2024年度填报：<span class="text-muted">无</span>' in home_html(client, cast.staff_a)


def test_without_a_finished_report_the_home_says_not_generated(client, cast, last_year):
    failed_run(cast.dept_a, user=cast.staff_a, year=2024)
    assert '2024年度报告：<span class="text-muted">尚未生成</span>' in home_html(client, cast.staff_a)


def test_last_years_report_links_to_the_download_of_its_latest_edition(client, cast, last_year):
    done_run(cast.dept_a, user=cast.staff_a, year=2024, edition=1)
    newest = done_run(cast.dept_a, user=cast.staff_a, year=2024, edition=2)
    html = home_html(client, cast.staff_a)
    assert f'<a href="{reverse("reports:run_download", args=[newest.pk])}">下载部门年度报告（PDF）</a>' in html
    assert reverse("reports:run_download_docx", args=[newest.pk]) in html and "第 2 版" in html
    download = client.get(reverse("reports:run_download", args=[newest.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_only_the_departments_own_report_of_last_year_counts(cast, last_year):
    done_run(cast.dept_b, user=cast.staff_b, year=2024)
    done_run(cast.dept_a, user=cast.staff_a, year=2025)
    assert latest_department_report(cast.staff_a, cast.dept_a, 2024) is None
    assert department_home(cast.staff_a).previous_report is None


def test_a_government_finds_its_government_annual_report(cast, framework):
    open_return(cast.county, framework)
    staff = UserFactory(username="county_staff", department=cast.county)
    run = done_run(cast.county, user=staff, year=2024, kind=ReportKind.GOVERNMENT_ANNUAL)
    assert department_home(staff).previous_report == run
