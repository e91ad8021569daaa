"""Provided figures in reports: the appendix table names the source, and the 报告体检 flags a
provided figure far from what the unit had reported itself (过渡期)."""

from assessments.models import IndicatorValue, ProvidedValue
from assessments.services.provided import ProvidedInput, provided_values_save
from reports.health import HealthInput, check
from reports.kinds.department_annual import department_report_data, department_report_document

from .factories import value_row


def _provide(court, user, annual_return, text):
    indicator_id = value_row(annual_return, "K1").indicator_id
    existing = ProvidedValue.objects.filter(annual_return=annual_return, indicator_id=indicator_id).first()
    item = ProvidedInput(annual_return.pk, indicator_id, "value", text, existing.version if existing else 0)
    provided_values_save(provider=court, inputs=[item], user=user)


def _appendix_rows(document):
    return [row for appendix in document.appendices for block in appendix.blocks for row in getattr(block, "rows", ())]


def test_the_appendix_table_names_the_source_of_a_provided_figure(cast, court, court_user, provided_return_a):
    _provide(court, court_user, provided_return_a, "12")
    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})
    names = [row[1] for row in _appendix_rows(document)]
    assert "行政诉讼案件数（数据来源：市中级人民法院）" in names
    assert "行政复议案件数" in names  # the unit's own figure names no source


def test_the_report_check_flags_a_provided_figure_far_from_the_units_own(cast, court, court_user, provided_return_a):
    IndicatorValue.objects.filter(annual_return=provided_return_a, indicator__code="K1").update(
        value_integer=9, raw_input={"value": "9"}
    )
    _provide(court, court_user, provided_return_a, "12")
    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})
    items = [item for item in check(HealthInput(document=document, year=2025)) if item.kind == "provided"]
    assert len(items) == 1
    assert "市中级人民法院提供的数（12）" in items[0].message and "相差 33.33%" in items[0].message


def test_the_government_reports_appendix_names_the_source_of_a_provided_figure(
    cast, court, court_user, provided_return_a
):
    from django.utils import timezone

    from assessments.models import AnnualReturn
    from reports.kinds.government_annual import government_report_data, government_report_document

    _provide(court, court_user, provided_return_a, "12")
    now = timezone.now()
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, submitted_at=now, first_submitted_at=now
    )
    document = government_report_document(government_report_data(government=cast.city, year=2025), options={})
    names = [row[1] for row in _appendix_rows(document)]
    assert "行政诉讼案件数（数据来源：市中级人民法院）" in names
    assert "行政复议案件数" in names
    [summary] = [block for block in document.appendices[0].blocks if getattr(block, "note", "")]
    assert "不是各单位自报" in summary.note


def test_the_congress_reports_indicator_appendix_names_the_source_of_a_provided_figure(
    cast, court, court_user, provided_return_a
):
    from django.utils import timezone

    from assessments.models import AnnualReturn
    from reports.kinds.congress_survey import congress_survey_data, congress_survey_document
    from tests.congress.factories import CongressYearFactory

    CongressYearFactory(year=2025)
    _provide(court, court_user, provided_return_a, "12")
    now = timezone.now()
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, submitted_at=now, first_submitted_at=now
    )
    document = congress_survey_document(congress_survey_data(year=2025), options={})
    names = [row[1] for row in _appendix_rows(document)]
    assert "行政诉讼案件数（数据来源：市中级人民法院）" in names
    assert "行政复议案件数" in names
