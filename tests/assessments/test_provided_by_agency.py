"""An indicator provided by a kind of unit (IndicatorProvision.provider_agency): each assessed unit's
own 人民法院 — its county's, or the city's where the county has none — provides its figure. The city
court fills the city's departments, the county court the county's units; each unit's page and report
name the unit that actually provides it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Department, User
from accounts.selectors import agency_directory
from assessments.selectors.provided import provider_grid
from assessments.services.provided import ProvidedInput, ProvisionRefused, provided_values_save
from indicators.models import IndicatorProvision
from indicators.provisions import indicator_provision_set, provision_sources
from reports.kinds.department_annual import department_report_data, department_report_document
from tests.factories import DepartmentFactory, UserFactory

from .factories import framework_with, open_return, value_row

COURT = Department.Agency.COURT


@pytest.fixture
def county_court(cast) -> Department:
    return DepartmentFactory(
        code="C190", name="测试县人民法院", short_name="县人民法院", kind=Department.Kind.WORKING_DEPARTMENT,
        parent=cast.county, is_assessed=False, agency=COURT,
    )  # fmt: skip


@pytest.fixture
def city_court(cast) -> Department:
    cast.court.agency = COURT
    cast.court.save(update_fields=["agency"])
    return cast.court


@pytest.fixture
def by_agency(db, city_court):
    """K1 provided by each unit's own court; K3 the unit's own."""
    framework = framework_with(
        {"code": "K1", "name": "行政诉讼案件数", "unit": "件"},
        {"code": "K3", "name": "行政复议案件数", "unit": "件"},
    )
    indicator_provision_set(indicator=framework.indicators.get(code="K1"), provider_agency=COURT)
    return framework


@pytest.fixture
def returns(cast, by_agency):
    return open_return(cast.dept_a, by_agency), open_return(cast.dept_b, by_agency)


def _save(provider, user, annual_return, text="5"):
    item = ProvidedInput(annual_return.pk, value_row(annual_return, "K1").indicator_id, "value", text, 0)
    return provided_values_save(provider=provider, inputs=[item], user=user)


def test_a_provision_names_a_unit_or_a_kind_of_unit_never_both(cast, by_agency):
    provision = IndicatorProvision(
        indicator=by_agency.indicators.get(code="K3"), provider=cast.court, provider_agency=COURT
    )
    with pytest.raises(ValidationError):
        provision.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorProvision.objects.create(indicator=by_agency.indicators.get(code="K3"))


def test_a_units_agency_is_the_one_under_its_own_government(cast, city_court, county_court):
    directory = agency_directory()
    assert directory.agency_for(cast.dept_a.pk, COURT) == city_court
    assert directory.agency_for(cast.dept_b.pk, COURT) == county_court
    assert directory.agency_for(cast.county.pk, COURT) == county_court


def test_a_unit_whose_county_has_no_such_agency_gets_the_citys(cast, city_court):
    assert agency_directory().agency_for(cast.dept_b.pk, COURT) == city_court


def test_an_inactive_agency_is_passed_over(cast, city_court, county_court):
    county_court.is_active = False
    county_court.save(update_fields=["is_active"])
    assert agency_directory().agency_for(cast.dept_b.pk, COURT) == city_court


def test_each_court_sees_only_the_units_it_provides_for(cast, city_court, county_court, returns):
    city_rows = [row.annual_return.department for row in provider_grid(city_court, 2025).rows]
    county_rows = [row.annual_return.department for row in provider_grid(county_court, 2025).rows]
    assert set(city_rows) == {cast.city, cast.justice_bureau, cast.dept_a}
    assert set(county_rows) == {cast.county, cast.dept_b}


def test_a_court_cannot_save_a_figure_another_court_provides(cast, city_court, county_court, returns):
    with pytest.raises(ProvisionRefused, match="由其他数据提供单位提供"):
        _save(city_court, cast.provider, returns[1])


def test_the_county_court_saves_its_units_figure_as_the_provider(cast, county_court, returns):
    user = UserFactory(username="provider_county", role=User.Role.PROVIDER, department=county_court)
    outcome = _save(county_court, user, returns[1], "7")[0]
    assert outcome.is_changed and outcome.value.provider == county_court
    assert value_row(returns[1], "K1").value_integer == 7


def test_the_unit_reads_the_name_of_the_court_that_provides_its_figure(client, cast, county_court, returns):
    client.force_login(cast.staff_b)
    page = client.get(reverse("assessments:return_edit", args=[returns[1].pk])).content.decode()
    assert "数据来源：县人民法院" in page
    assert "数据来源：市中级人民法院" not in page


def test_the_department_report_names_the_resolved_court(cast, county_court, returns):
    UserFactory(username="provider_county", role=User.Role.PROVIDER, department=county_court)
    document = department_report_document(department_report_data(department=cast.dept_b, year=2025), options={})
    names = [
        row[1] for appendix in document.appendices for block in appendix.blocks for row in getattr(block, "rows", ())
    ]
    assert "行政诉讼案件数（数据来源：县人民法院）" in names


def test_a_total_over_units_of_two_courts_names_both(cast, city_court, county_court, by_agency):
    indicators = list(by_agency.indicators.select_related("provision_row__provider"))
    sources = provision_sources(indicators, [cast.dept_a.pk, cast.dept_b.pk])
    assert sources[by_agency.indicators.get(code="K1").pk] == "数据来源：市中级人民法院、县人民法院"


def test_a_cell_another_court_provides_is_shown_with_its_name_and_not_editable(
    client, cast, city_court, county_court, by_agency, returns
):
    indicator_provision_set(indicator=by_agency.indicators.get(code="K3"), provider=city_court)
    client.force_login(cast.provider)
    page = client.get(reverse("assessments:provided_grid")).content.decode()
    k1 = value_row(returns[1], "K1").indicator_id
    assert 'title="由县人民法院提供"' in page
    assert f'data-r="{returns[1].pk}" data-i="{k1}"' not in page
    assert f'data-r="{returns[0].pk}" data-i="{k1}"' in page


def test_a_unit_with_no_such_agency_above_it_is_told_so(cast, city_court, by_agency):
    city_court.agency = ""
    city_court.save(update_fields=["agency"])
    indicators = list(by_agency.indicators.select_related("provision_row__provider"))
    sources = provision_sources(indicators, [cast.dept_b.pk])
    assert sources[by_agency.indicators.get(code="K1").pk] == "数据来源：人民法院（未找到提供单位）"


def test_a_total_over_no_unit_names_the_kind_of_unit(cast, city_court, by_agency):
    indicators = list(by_agency.indicators.select_related("provision_row__provider"))
    assert provision_sources(indicators, [])[by_agency.indicators.get(code="K1").pk] == "数据来源：各人民法院"
