"""Completion is stored on the return and recounted by every path that writes values."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.excel.bulk import bulk_preview
from assessments.models import AnnualReturn, IndicatorValue
from assessments.selectors.entry_field import entry_field
from assessments.selectors.entry_page import entry_page
from assessments.selectors.progress import ProgressFilter, progress_board
from assessments.services.completion import COLUMNS_FILLED_Q, FILLED_Q, completion_recount, is_counted_as_filled
from indicators.models import ValueState, ValueType
from indicators.selectors import framework_tree

from .factories import AreaFactory, FrameworkFactory, GroupFactory, IndicatorFactory, open_return, value_row
from .test_entry import save
from .test_xlsx_bulk import apply, wide


def stored(annual_return: AnnualReturn) -> tuple[int, int]:
    annual_return.refresh_from_db(fields=["filled_count", "item_count"])
    return annual_return.filled_count, annual_return.item_count


def test_opening_a_year_stores_how_many_items_each_return_has(return_a):
    assert stored(return_a) == (0, 4)


def test_a_saved_value_counts_as_filled(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    assert stored(return_a) == (1, 4)


def test_a_rate_counts_with_either_part_since_each_part_is_a_figure(cast, return_a):
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": ""})
    assert stored(return_a) == (0, 4)
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"})
    assert stored(return_a) == (1, 4)
    save(return_a, cast.staff_a, "K2", {"numerator": "48", "denominator": "50"})
    assert stored(return_a) == (1, 4)


def test_not_applicable_counts_as_filled(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"state": "not_applicable", "reason": "无此职能"})
    assert stored(return_a) == (1, 4)


def test_clearing_a_value_counts_it_as_missing_again(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    save(return_a, cast.staff_a, "K1", {"value": ""})
    assert stored(return_a) == (0, 4)


def test_a_draft_that_does_not_parse_is_not_counted_as_filled(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "十二"})
    assert stored(return_a) == (0, 4)


def test_the_bureaus_bulk_import_recounts_every_return_it_writes(cast, return_a, return_b):
    apply(
        bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K1": 3, "K4": "是"}})), cast.reviewer
    )
    assert stored(return_a) == (1, 4)
    assert stored(return_b) == (2, 4)


def test_the_progress_board_shows_the_stored_completion(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})
    [row] = [
        row for row in progress_board(cast.reviewer, ProgressFilter(year=2025)).rows if row.annual_return == return_a
    ]
    assert (row.filled, row.total, row.percent) == (1, 4, 25)


def test_a_recount_repairs_counts_written_around_the_services(cast, return_a):
    IndicatorValue.objects.filter(annual_return=return_a, indicator__code="K1").update(value_integer=5)
    assert stored(return_a) == (0, 4)
    completion_recount(AnnualReturn.objects.filter(pk=return_a.pk))
    assert stored(return_a) == (1, 4)


@pytest.mark.parametrize(
    "columns",
    [
        {},
        {"value_integer": 0},
        {"value_decimal": Decimal("0")},
        {"numerator": Decimal("1")},
        {"denominator": Decimal("0")},
        {"value_boolean": False},
        {"value_date": datetime.date(2025, 3, 1)},
        {"value_choice": "甲"},
        {"value_text": "文字"},
        {"value_choices": ["甲"]},
        {"value_choices": []},
        {"state": ValueState.NOT_APPLICABLE, "state_reason": "无此职能"},
        {"state": ValueState.NOT_AVAILABLE},
    ],
    ids=lambda columns: "-".join(f"{name}={value}" for name, value in columns.items()) or "empty",
)
def test_a_loaded_row_is_filled_exactly_when_the_stored_count_says_so(return_a, columns):
    IndicatorValue.objects.filter(annual_return=return_a, indicator__code="K1").update(**columns)
    row = IndicatorValue.objects.select_related("indicator").get(annual_return=return_a, indicator__code="K1")

    assert is_counted_as_filled(row) == IndicatorValue.objects.filter(FILLED_Q, pk=row.pk).exists()
    assert IndicatorValue.objects.filter(COLUMNS_FILLED_Q, pk=row.pk).exists() == is_counted_as_filled(row)


def test_an_evidence_only_row_is_filled_in_both_counts(cast):
    framework = FrameworkFactory(year=2031)
    group = GroupFactory(area=AreaFactory(framework=framework))
    IndicatorFactory(group=group, framework=framework, code="E1", value_type=ValueType.EVIDENCE, unit="")
    row = value_row(open_return(cast.dept_a, framework), "E1")

    assert is_counted_as_filled(row) is True
    assert IndicatorValue.objects.filter(FILLED_Q, pk=row.pk).exists()
    page = entry_page(row.annual_return, can_edit=True)  # the autosave's progress, without FILLED_Q's join
    one = entry_field(row.annual_return, framework_tree(framework).indicators[0], can_edit=True)
    assert (one.overall.filled_count, one.overall.total) == (page.filled_count, page.total) == (1, 1)


def test_a_save_that_changes_a_figure_already_there_writes_no_recount(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12"})

    with CaptureQueriesContext(connection) as queries:
        save(return_a, cast.staff_a, "K1", {"value": "13"})

    recounts = [
        query for query in queries.captured_queries if query["sql"].startswith('UPDATE "assessments_annualreturn"')
    ]
    assert recounts == []
    assert stored(return_a) == (1, 4)
