"""Applying the bureau's wide import as a whole: every unit's return locked by one statement, the
value rows written together (on PostgreSQL: COPY into a staging table, one UPDATE … FROM), the audit
rows in bulk, and still all or nothing."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from assessments.excel.bulk import bulk_preview
from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection, ReturnTransition, ValueChange
from assessments.services.bulk_writes import value_rows_write_many
from assessments.services.errors import StaleReturn
from assessments.services.excel_import import ExcelImportRefused
from tests.factories import DepartmentFactory

from .factories import open_return, value_row
from .test_xlsx_bulk import apply, wide

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and COPY exist on PostgreSQL only"
)


def _units(cast, framework, count: int) -> list[str]:
    """`count` more departments with returns in progress (so the import moves none of them)."""
    codes = [f"D{number:03d}" for number in range(count)]
    for code in codes:
        open_return(DepartmentFactory(code=code, parent=cast.city), framework, status=AnnualReturn.Status.IN_PROGRESS)
    return codes


def _queries_of_apply(cast, codes: list[str]) -> list[str]:
    edits = {code: {"K1": 7, "K2.num": "9", "K2.den": "10"} for code in codes}
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, edits))
    assert preview.is_valid and len(preview.changes) == 2 * len(codes)
    with CaptureQueriesContext(connection) as captured:
        apply(preview, cast.reviewer)
    return [query["sql"] for query in captured.captured_queries]


def test_the_apply_takes_as_many_queries_for_forty_units_as_for_two(cast, framework):
    codes = _units(cast, framework, 40)
    few = _queries_of_apply(cast, codes[:2])
    many = _queries_of_apply(cast, codes[2:])
    assert len(many) == len(few)


@postgres_only
def test_every_unit_of_the_file_is_locked_by_one_statement(cast, framework):
    codes = _units(cast, framework, 30)
    queries = _queries_of_apply(cast, codes)
    locking = [sql for sql in queries if "FOR NO KEY UPDATE" in sql or "FOR UPDATE" in sql]
    assert len(locking) == 1 and "assessments_annualreturn" in locking[0]


def test_each_changed_value_has_its_audit_row_with_old_and_new_text(cast, return_a, return_b):
    apply(bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K1": 3}})), cast.reviewer)
    preview = bulk_preview(
        cast.reviewer, 2025, wide(cast, {"C002": {"K1": 8, "K2.num": "9", "K2.den": "10"}, "C110": {"K4": "否"}})
    )
    apply(preview, cast.reviewer)
    second = ValueChange.objects.filter(source="import").order_by("pk")[2:]
    assert {(change.annual_return_id, change.field, change.old_value, change.new_value) for change in second} == {
        (return_a.pk, "value", "7", "8"),
        (return_a.pk, "value", "", "9/10"),
        (return_b.pk, "value", "", "否"),
    }
    assert {change.user_id for change in second} == {cast.reviewer.pk}


def test_the_written_rows_carry_the_new_figures_version_and_importer(cast, return_a):
    before = value_row(return_a, "K2")
    apply(bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K2.num": "9", "K2.den": "10"}})), cast.reviewer)
    after = value_row(return_a, "K2")
    assert (after.numerator, after.denominator, after.raw_input) == (9, 10, {"numerator": "9", "denominator": "10"})
    assert (after.version, after.updated_by, after.input_error) == (before.version + 1, cast.reviewer, "")


def test_a_returned_unit_is_resumed_by_the_import(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="returned", first_submitted_at="2026-01-01T00:00Z")
    apply(bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}})), cast.reviewer)
    return_a.refresh_from_db()
    assert return_a.status == AnnualReturn.Status.IN_PROGRESS
    assert ReturnTransition.objects.filter(annual_return=return_a, action="resume", user=cast.reviewer).exists()


def test_a_unit_sent_back_in_part_after_the_preview_refuses_the_whole_file(cast, return_a, return_b):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}, "C110": {"K1": 3}}))
    AnnualReturn.objects.filter(pk=return_b.pk).update(status="returned", first_submitted_at="2026-01-01T00:00Z")
    IndicatorValue.objects.filter(annual_return=return_b, indicator__code="K2").update(is_reopened=True)
    with pytest.raises(ExcelImportRefused, match="只退回了部分指标"):
        apply(preview, cast.reviewer)
    assert value_row(return_a, "K1").value_integer is None
    assert not ValueChange.objects.filter(source="import").exists()


def test_a_section_sent_back_alone_locks_every_indicator_against_the_import(cast, return_a):
    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}}))
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="returned", first_submitted_at="2026-01-01T00:00Z")
    NarrativeSection.objects.filter(annual_return=return_a).update(is_reopened=True)
    with pytest.raises(ExcelImportRefused, match="只退回了部分指标"):
        apply(preview, cast.reviewer)


def test_a_value_changed_by_a_writer_that_skipped_the_returns_lock_fails_the_write(cast, return_a):
    row = value_row(return_a, "K1")
    row.value_integer, row.raw_input, row.version = 5, {"value": "5"}, row.version + 1
    IndicatorValue.objects.filter(pk=row.pk).update(version=row.version)  # someone else's save meanwhile
    with pytest.raises(StaleReturn), transaction.atomic():
        value_rows_write_many([row], stale_message="已被修改")
    assert value_row(return_a, "K1").value_integer is None


@postgres_only
def test_two_imports_in_one_transaction_each_have_their_own_staging_table(cast, return_a):
    with transaction.atomic():
        apply(bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 7}})), cast.reviewer)
        apply(bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K1": 8}})), cast.reviewer)
    assert value_row(return_a, "K1").value_integer == 8


def test_an_init_signal_listening_to_value_rows_still_sees_the_rows_the_apply_loads(cast, return_a):
    """The apply builds its value rows without Model.__init__ only while no init signal listens."""
    from django.db.models.signals import post_init

    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.indicator_id)

    preview = bulk_preview(cast.reviewer, 2025, wide(cast, {"C002": {"K2.num": "9", "K2.den": "10"}}))
    post_init.connect(listener, sender=IndicatorValue)
    try:
        apply(preview, cast.reviewer)
    finally:
        post_init.disconnect(listener, sender=IndicatorValue)
    after = value_row(return_a, "K2")
    assert after.indicator_id in seen
    assert (after.numerator, after.denominator, after.version) == (9, 10, preview.changes[0].expected_version + 1)
