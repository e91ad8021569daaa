"""Targets that can be met: before publishing, the bureau is warned about a target no unit met last
year and one only a perfect score meets."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.services.submission import annual_return_submit
from indicators.exporting import framework_to_xlsx
from indicators.services import framework_clone
from indicators.targets import target_warnings

from .test_value_states import fill

IN_TIME = timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0))


def test_a_target_no_unit_met_last_year_is_warned_about(cast, return_a, return_b):
    for annual_return, user in ((return_a, cast.staff_a), (return_b, cast.staff_b)):
        fill(annual_return, user)  # K2 48/50 = 96% against ≥100%
        annual_return_submit(annual_return=annual_return, user=user, now=IN_TIME)
    draft = framework_clone(framework=return_a.framework)
    warnings = target_warnings(draft)
    assert any(warning.startswith("K2 ") and "2025年填报的2个单位无一达到目标≥100%" in warning for warning in warnings)


def test_a_target_some_unit_met_is_not_warned_about(cast, return_a, return_b):
    fill(return_a, cast.staff_a, K2={"numerator": "50", "denominator": "50"})
    fill(return_b, cast.staff_b)
    for annual_return, user in ((return_a, cast.staff_a), (return_b, cast.staff_b)):
        annual_return_submit(annual_return=annual_return, user=user, now=IN_TIME)
    draft = framework_clone(framework=return_a.framework)
    assert not any(warning.startswith("K2 ") for warning in target_warnings(draft))


def test_a_target_only_the_perfect_score_meets_is_warned_about(framework):
    draft = framework_clone(framework=framework)
    draft.indicators.filter(code="K3").update(
        unit="分", scale_min=0, scale_max=100, target_operator=">=", target_value=100
    )
    assert any("只有取得满分" in warning for warning in target_warnings(draft))


def test_the_admins_framework_excel_import_warns_about_a_target_no_unit_met_last_year(client, cast, return_a, return_b):
    for annual_return, user in ((return_a, cast.staff_a), (return_b, cast.staff_b)):
        fill(annual_return, user)  # K2 48/50 = 96% against ≥100%
        annual_return_submit(annual_return=annual_return, user=user, now=IN_TIME)
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:indicators_indicatorframework_import"),
        {"file": SimpleUploadedFile("framework.xlsx", framework_to_xlsx(return_a.framework)), "year": 2026},
        follow=True,
    )
    page = response.content.decode()
    assert "已导入" in page
    assert "请核实目标：K2 合法性审核率：2025年填报的2个单位无一达到目标≥100%" in page


def test_the_admins_framework_excel_import_warns_nothing_when_some_unit_met_every_target(client, cast, return_a):
    fill(return_a, cast.staff_a, K2={"numerator": "50", "denominator": "50"})
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:indicators_indicatorframework_import"),
        {"file": SimpleUploadedFile("framework.xlsx", framework_to_xlsx(return_a.framework)), "year": 2026},
        follow=True,
    )
    assert "已导入" in response.content.decode() and "请核实目标" not in response.content.decode()
