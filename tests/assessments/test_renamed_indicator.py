"""A 2025 framework cloned from 2024 with one indicator renamed through `previous_code`: last year's
stored value must still reach this year's return under the new code — on the entry page, in the
swing check — exactly as it does for an indicator whose code never changed."""

import re

import pytest
from django.urls import reverse

from assessments.selectors.checking import return_check
from assessments.selectors.returns import return_data_load
from indicators.models import Indicator
from indicators.services import framework_clone, framework_publish, indicator_update
from tests.indicators.factories import RENAMED_FROM, RENAMED_NAME, RENAMED_TO, small_framework, two_years_with_a_rename

from .factories import open_return, value_row
from .test_entry import save

pytestmark = pytest.mark.django_db


@pytest.fixture
def returns(cast):
    """dept_a's 2024 return on the old code, 40/50 saved; its 2025 return on the renamed edition."""
    last_year, this_year = two_years_with_a_rename()
    old_return = open_return(cast.dept_a, last_year)
    save(old_return, cast.staff_a, RENAMED_FROM, {"numerator": "40", "denominator": "50"})
    return old_return, open_return(cast.dept_a, this_year)


def field_html(html: str, indicator: Indicator) -> str:
    """The entry page's form of one indicator."""
    match = re.search(rf'<form id="ind-{indicator.pk}".*?</form>', html, re.S)
    assert match, f"no field for {indicator.code}"
    return match.group(0)


def test_the_renamed_indicator_carries_last_years_stored_value_under_its_new_code(returns):
    _, new_return = returns
    previous = return_data_load(new_return).previous_readings
    assert RENAMED_FROM not in previous
    assert (previous[RENAMED_TO].numerator, previous[RENAMED_TO].denominator) == (40, 50)
    assert f"{previous[RENAMED_TO].rate:f}" == "80.00"


def test_the_entry_page_shows_last_years_value_beside_the_renamed_indicator(client, cast, returns):
    _, new_return = returns
    client.force_login(cast.staff_a)
    html = client.get(reverse("assessments:return_edit", args=[new_return.pk])).content.decode()
    field = field_html(html, value_row(new_return, RENAMED_TO).indicator)
    assert RENAMED_NAME in field
    assert "上年：80%（40/50）" in field


def test_a_large_swing_from_last_years_value_under_the_old_code_needs_an_explanation(cast, returns):
    _, new_return = returns
    save(new_return, cast.staff_a, RENAMED_TO, {"numerator": "10", "denominator": "50"})
    row = value_row(new_return, RENAMED_TO)
    [problem] = [p for p in return_check(return_data_load(new_return)).problems if p.is_warning]
    assert problem.indicator_id == row.indicator_id
    assert problem.message == f"{RENAMED_NAME}较上年（80）变化75%，超过50%，请填写说明（须在“情况说明”中说明原因）"
    assert problem.is_blocking


def test_an_explained_swing_on_the_renamed_indicator_no_longer_blocks(cast, returns):
    _, new_return = returns
    save(new_return, cast.staff_a, RENAMED_TO, {"numerator": "10", "denominator": "50"}, explanation="案件结构变化")
    [problem] = [p for p in return_check(return_data_load(new_return)).problems if p.is_warning]
    assert not problem.is_blocking


def test_without_previous_code_a_new_code_has_no_last_year_and_no_swing_check(cast):
    """The control: the link above comes from previous_code, not from anything else."""
    last_year = framework_publish(framework=small_framework(year=2024))
    this_year = framework_clone(framework=last_year, year=2025)
    indicator_update(indicator=this_year.indicators.get(code=RENAMED_FROM), code=RENAMED_TO)
    this_year = framework_publish(framework=this_year)
    save(open_return(cast.dept_a, last_year), cast.staff_a, RENAMED_FROM, {"numerator": "40", "denominator": "50"})
    new_return = open_return(cast.dept_a, this_year)
    save(new_return, cast.staff_a, RENAMED_TO, {"numerator": "10", "denominator": "50"})
    data = return_data_load(new_return)
    assert RENAMED_TO not in data.previous_readings
    assert not [p for p in return_check(data).problems if p.is_warning]
