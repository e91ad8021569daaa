"""An autosave's answer reads one field (assessments.selectors.entry_field), not the whole page: its
problems, editability and the progress it shows must be exactly what the full page shows, whatever
rules, relations, derived figures and last year's figures bear on the field."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AnnualReturn, IndicatorValue
from assessments.selectors.entry_field import entry_field
from assessments.selectors.entry_page import entry_page
from assessments.selectors.returns import StoredFigures, _previous_readings, return_data_load
from assessments.values import TYPED_COLUMNS, filled_reading, is_filled, reading_of
from indicators.models import IndicatorNature, ValidationRule, ValueType
from indicators.selectors import framework_tree

from .factories import AreaFactory, FrameworkFactory, GroupFactory, IndicatorFactory, open_return, rate_indicator
from .test_entry import save

WARNING, ERROR = ValidationRule.Severity.WARNING, ValidationRule.Severity.ERROR


def checked_framework(year: int):
    """Two areas: a count with a rule of its own, a rate, a statistical amount whose rule reads a
    derived figure, a yes/no, a count that needs evidence files, and a relation across the areas."""
    framework = FrameworkFactory(year=year)
    first = GroupFactory(area=AreaFactory(framework=framework, order=0, code="A1"))
    second = GroupFactory(area=AreaFactory(framework=framework, order=1, code="A2"))
    k1 = IndicatorFactory(group=first, framework=framework, code="K1", name="行政复议案件数", unit="件", order=1)
    rate_indicator(group=first, framework=framework, code="K2", order=2)
    k3 = IndicatorFactory(
        group=first,
        framework=framework,
        code="K3",
        value_type=ValueType.AMOUNT,
        unit="万元",
        nature=IndicatorNature.STATISTICAL,
        max_points=Decimal(0),
        scoring_rule="",
        is_required=False,
        order=3,
    )
    IndicatorFactory(group=first, framework=framework, code="D1", formula="K1 + K3", order=4)
    IndicatorFactory(group=second, framework=framework, code="K4", value_type=ValueType.BOOLEAN, unit="", order=1)
    IndicatorFactory(group=second, framework=framework, code="K5", is_evidence_required=True, order=2)
    IndicatorFactory(group=second, framework=framework, code="K6", is_required=False, order=3)
    rule = {"framework": framework, "severity": WARNING}
    ValidationRule.objects.create(**rule, indicator=k1, code="V1", expression="K1 <= 1000", message="超过1000件")
    ValidationRule.objects.create(**rule, indicator=k3, code="V2", expression="D1 <= 5000", message="合计过大")
    ValidationRule.objects.create(
        framework=framework,
        code="X1",
        expression="K2.num <= K6",
        message="已审核件数不能多于案件总数",
        severity=ERROR,
        is_relation=True,
    )
    return framework


FILLS = {
    "empty": {},
    "typical": {"K1": {"value": "12"}, "K2": {"numerator": "48", "denominator": "50"}, "K4": {"value": "是"}},
    "troubled": {
        "K1": {"value": "1200"},  # over its rule, and a swing from last year's 10
        "K2": {"numerator": "60", "denominator": ""},  # one part only, and more than K6
        "K3": {"value": "4000"},  # D1 = 5200 breaks K3's rule
        "K5": {"value": "十二"},  # does not parse
        "K6": {"value": "30"},
    },
    "states": {
        "K1": {"state": "not_applicable", "reason": "无此职能"},
        "K2": {"numerator": "", "denominator": "0"},
        "K6": {"state": "not_applicable", "reason": "无"},
    },
}


@pytest.fixture
def checked_return(cast):
    last_year = open_return(cast.dept_a, checked_framework(2024))
    save(last_year, cast.staff_a, "K1", {"value": "10"})
    save(last_year, cast.staff_a, "K6", {"value": "100"})
    return open_return(cast.dept_a, checked_framework(2025))


def the_pages_fields(annual_return):
    page = entry_page(annual_return, can_edit=True)
    for area in page.areas:
        for group in area.groups:
            for field in group.fields:
                if field.row is not None:
                    yield page, area, field


@pytest.mark.django_db
@pytest.mark.parametrize("fill", FILLS)
def test_each_fields_problems_and_progress_are_the_full_pages(cast, checked_return, fill):
    for code, raw in FILLS[fill].items():
        save(checked_return, cast.staff_a, code, raw)
    fields = list(the_pages_fields(checked_return))
    assert len(fields) == 6
    for page, area, expected in fields:
        one = entry_field(checked_return, expected.indicator, can_edit=True, with_provided=True)
        assert one.field == expected, expected.indicator.code
        assert (one.area.area, one.area.filled_count, one.area.total) == (area.area, area.filled_count, area.total)
        assert (one.overall.filled_count, one.overall.total, one.overall.percent) == (
            page.filled_count,
            page.total,
            page.percent,
        )


@pytest.mark.django_db
def test_the_troubled_fill_gives_problems_from_rules_relations_derived_figures_and_last_year(cast, checked_return):
    """The comparison above would pass on pages with no problems: this fill has them all."""
    for code, raw in FILLS["troubled"].items():
        save(checked_return, cast.staff_a, code, raw)
    messages = {
        field.indicator.code: " ".join(problem.message for problem in field.problems)
        for _, _, field in the_pages_fields(checked_return)
    }
    assert "超过1000件" in messages["K1"] and "较上年" in messages["K1"]
    assert "合计过大" in messages["K3"]
    assert "数据矛盾" in messages["K2"] and "数据矛盾" in messages["K6"] and "只填了一项" in messages["K2"]
    assert "输入有误" in messages["K5"] and "须上传佐证材料" in messages["K5"]


@pytest.mark.django_db
def test_a_field_sent_back_is_editable_and_the_rest_locked_as_on_the_page(cast, checked_return):
    AnnualReturn.objects.filter(pk=checked_return.pk).update(
        status=AnnualReturn.Status.RETURNED, first_submitted_at="2026-01-10T09:00:00+08:00"
    )
    IndicatorValue.objects.filter(annual_return=checked_return, indicator__code="K2").update(is_reopened=True)
    checked_return.refresh_from_db()
    for _, _, expected in the_pages_fields(checked_return):
        one = entry_field(checked_return, expected.indicator, can_edit=True)
        assert one.field.is_editable == expected.is_editable == (expected.indicator.code == "K2")


@pytest.mark.django_db
def test_the_progress_counts_provided_figures_as_the_page_does(cast, provided_return_a):
    """K1 is provided whole (not counted), K2's denominator is provided (counted)."""
    save(provided_return_a, cast.staff_a, "K3", {"value": "4"})
    for page, _area, expected in the_pages_fields(provided_return_a):
        one = entry_field(provided_return_a, expected.indicator, can_edit=True, with_provided=True)
        assert one.field == expected
        assert (one.overall.filled_count, one.overall.total) == (page.filled_count, page.total) == (1, 2)


def autosave(client, annual_return, code, data):
    return prepared_autosave(client, annual_return, code, data)()


def prepared_autosave(client, annual_return, code, data):
    """The autosave of one field as a call, its row's version read beforehand."""
    row = IndicatorValue.objects.get(annual_return=annual_return, indicator__code=code)
    url = reverse("assessments:value_save", args=[annual_return.pk, row.indicator_id])
    return lambda: client.post(url, {"version": row.version, **data}, HTTP_HX_REQUEST="true")


@pytest.mark.django_db
def test_an_autosave_shows_the_same_progress_as_the_page_after_it(client, cast, checked_return):
    client.force_login(cast.staff_a)
    html = autosave(client, checked_return, "K1", {"value": "12"}).content.decode()
    page = entry_page(checked_return, can_edit=True)
    first_area = page.areas[0]
    assert f">{first_area.filled_count}/{first_area.total}</span>" in html
    assert f"<span>已填 {page.filled_count}/{page.total} 项</span>" in html
    assert f"<span>{page.percent}%</span>" in html


@pytest.mark.django_db
def test_an_autosave_takes_a_fixed_number_of_queries(client, cast, checked_return, django_assert_num_queries):
    """Session and user; the return; in the save: lock the return, the row, its update, the
    recount (the field was empty), the change log, the return's mark for the reports kept ready;
    then the rows the field's checks read, its evidence count, last year's return and figure, and
    the progress — none of the page's other fields, narratives or evidence, whatever their number.
    Last year's figure comes with its return in one query."""
    client.force_login(cast.staff_a)
    framework_tree(checked_return.framework)
    autosave(client, checked_return, "K6", {"value": "1"})  # the first save also starts the return
    save_k5 = prepared_autosave(client, checked_return, "K5", {"value": "3"})
    with django_assert_num_queries(15):  # 13 statements and the transaction's two
        assert save_k5().status_code == 200


@pytest.mark.django_db
def test_an_autosave_of_a_field_without_swing_check_or_files_skips_their_queries(client, cast, checked_return):
    client.force_login(cast.staff_a)
    framework_tree(checked_return.framework)
    autosave(client, checked_return, "K6", {"value": "1"})
    save_k4 = prepared_autosave(client, checked_return, "K4", {"value": "否"})
    with CaptureQueriesContext(connection) as captured:
        assert save_k4().status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not any("assessments_evidence" in statement for statement in statements)
    assert len(statements) == 15 - 2  # no evidence count, no last year's figure


def lineage_framework(year: int, previous_codes: dict[str, str]):
    """K1, K6 and D1 = K1 + K6 as in 2024; in 2025, P1…P4 continuing what `previous_codes` names."""
    framework = FrameworkFactory(year=year)
    group = GroupFactory(area=AreaFactory(framework=framework, order=0, code="A1"))
    IndicatorFactory(group=group, framework=framework, code="K1", order=1)
    IndicatorFactory(group=group, framework=framework, code="K6", order=2)
    IndicatorFactory(group=group, framework=framework, code="D1", formula="K1 + K6", order=3)
    for order, (code, previous) in enumerate(previous_codes.items(), start=4):
        IndicatorFactory(group=group, framework=framework, code=code, previous_code=previous, order=order)
    return framework


@pytest.mark.django_db
@pytest.mark.parametrize("has_last_year", [True, False])
def test_last_years_figure_of_a_field_is_the_pages_whatever_it_continues(cast, has_last_year):
    """Renamed, merged, continuing a derived figure (read with its inputs), or a code last year did
    not have; and a unit without last year's return: the field's 上年 and swing check are the page's."""
    if has_last_year:
        last_year = open_return(cast.dept_a, lineage_framework(2024, {}))
        save(last_year, cast.staff_a, "K1", {"value": "10"})
        save(last_year, cast.staff_a, "K6", {"value": "100"})
    previous_codes = {"P1": "K1", "P2": "K1,K6", "P3": "D1", "P4": "X9"}
    this_year = open_return(cast.dept_a, lineage_framework(2025, previous_codes))
    for code in ("K1", "P1", "P2", "P3", "P4"):
        save(this_year, cast.staff_a, code, {"value": "900"})
    fields = list(the_pages_fields(this_year))
    assert len(fields) == 6
    for _page, _area, expected in fields:
        for with_provided in (False, True):
            one = entry_field(this_year, expected.indicator, can_edit=True, with_provided=with_provided)
            assert one.field == expected, expected.indicator.code
    previous = {field.indicator.code: field.previous for _, _, field in fields}
    if has_last_year:
        assert previous == {"K1": "10件", "K6": "100件", "P1": "10件", "P2": "110件", "P3": "110件", "P4": ""}
    else:
        assert set(previous.values()) == {""}


@pytest.mark.django_db
@pytest.mark.parametrize("fill", FILLS)
def test_last_years_figures_read_as_figures_are_those_its_rows_give(cast, fill):
    """return_data_load reads last year's values as StoredFigures (the typed columns alone), not
    as model rows: the readings carried over must be the rows' own."""
    last_year = open_return(cast.dept_a, checked_framework(2024))
    for code, raw in FILLS[fill].items():
        save(last_year, cast.staff_a, code, raw)
    this_year = open_return(cast.dept_a, checked_framework(2025))
    data = return_data_load(this_year)
    rows = list(IndicatorValue.objects.filter(annual_return=last_year))
    assert data.previous_readings == _previous_readings(last_year, rows, data.tree)  # type: ignore[arg-type]
    assert StoredFigures._fields == ("indicator_id", *TYPED_COLUMNS)
    if fill != "empty":
        assert data.previous_readings


@pytest.mark.django_db
@pytest.mark.parametrize("fill", FILLS)
def test_a_rows_filled_reading_is_its_reading_exactly_when_it_is_filled(cast, checked_return, fill):
    for code, raw in FILLS[fill].items():
        save(checked_return, cast.staff_a, code, raw)
    for row in IndicatorValue.objects.filter(annual_return=checked_return).select_related("indicator"):
        expected = reading_of(row.indicator, row) if is_filled(row.indicator, row) else None
        assert filled_reading(row.indicator, row) == expected, row.indicator.code
