from decimal import Decimal

import pytest

from assessments.models import AnnualReturn, IndicatorValue, ValueChange
from assessments.services.entry import ValueInput, indicator_values_save, narrative_save, value_rows_write
from assessments.services.errors import ReturnNotEditable
from assessments.services.workflow import annual_return_send_back

from .factories import value_row


def save(annual_return, user, code, raw, *, explanation=None, version=None):
    row = value_row(annual_return, code)
    item = ValueInput(
        indicator_id=row.indicator_id,
        raw=raw,
        expected_version=row.version if version is None else version,
        explanation=explanation,
    )
    return indicator_values_save(annual_return=annual_return, inputs=[item], user=user)[0]


def test_saving_a_valid_count_stores_it_typed_and_keeps_what_was_typed(cast, return_a):
    outcome = save(return_a, cast.staff_a, "K1", {"value": "１２件"})
    row = value_row(return_a, "K1")
    assert outcome.is_changed and not outcome.error
    assert row.value_integer == 12
    assert row.raw_input == {"value": "１２件"}


def test_an_invalid_draft_is_saved_as_typed_with_its_error_and_no_typed_value(cast, return_a):
    outcome = save(return_a, cast.staff_a, "K1", {"value": "十二"})
    row = value_row(return_a, "K1")
    assert row.raw_input == {"value": "十二"}
    assert row.value_integer is None
    assert "阿拉伯数字" in row.input_error
    assert outcome.error == row.input_error


def test_a_rate_with_numerator_above_denominator_is_kept_as_typed_but_not_stored_as_numbers(cast, return_a):
    save(return_a, cast.staff_a, "K2", {"numerator": "51", "denominator": "50"})
    row = value_row(return_a, "K2")
    assert (row.numerator, row.denominator) == (None, None)
    assert row.raw_input == {"numerator": "51", "denominator": "50"}
    assert "不能大于分母" in row.input_error


def test_each_save_bumps_the_version(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "1"})
    save(return_a, cast.staff_a, "K1", {"value": "2"})
    assert value_row(return_a, "K1").version == 3


def test_saving_the_same_input_again_changes_nothing(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "1"})
    outcome = save(return_a, cast.staff_a, "K1", {"value": "1"})
    assert not outcome.is_changed
    assert value_row(return_a, "K1").version == 2


def test_a_stale_save_is_a_conflict_carrying_both_values_and_changes_nothing(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "10"}, version=1)
    outcome = save(return_a, cast.staff_a, "K1", {"value": "20"}, version=1)
    assert outcome.is_conflict
    assert outcome.row.value_integer == 10
    assert outcome.submitted.raw == {"value": "20"}
    assert value_row(return_a, "K1").value_integer == 10


def test_every_change_is_audited_with_old_and_new_value_and_user(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "10"})
    save(return_a, cast.staff_a, "K1", {"value": "11"}, explanation="新增专项整治")
    changes = list(ValueChange.objects.filter(annual_return=return_a).values_list("field", "old_value", "new_value"))
    assert changes == [("value", "", "10"), ("value", "10", "11"), ("explanation", "", "新增专项整治")]
    assert set(ValueChange.objects.values_list("user", flat=True)) == {cast.staff_a.pk}


def test_the_first_save_moves_the_return_to_in_progress_and_logs_it(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "1"})
    return_a.refresh_from_db()
    assert return_a.status == AnnualReturn.Status.IN_PROGRESS
    assert list(return_a.transitions.values_list("action", flat=True)) == ["open", "start"]


def test_staff_of_another_department_cannot_save(cast, return_a):
    with pytest.raises(ReturnNotEditable):
        save(return_a, cast.staff_b, "K1", {"value": "1"})


def test_a_reviewer_cannot_save_department_values(cast, return_a):
    with pytest.raises(ReturnNotEditable):
        save(return_a, cast.reviewer, "K1", {"value": "1"})


def test_a_submitted_return_cannot_be_edited(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    with pytest.raises(ReturnNotEditable):
        save(return_a, cast.staff_a, "K1", {"value": "1"})
    assert value_row(return_a, "K1").raw_input == {}


def test_after_a_targeted_return_only_the_reopened_indicators_can_be_edited(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = value_row(return_a, "K2")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="请核实", indicator_comments={k2.indicator_id: "分母有误"}
    )
    save(return_a, cast.staff_a, "K2", {"numerator": "1", "denominator": "2"})
    with pytest.raises(ReturnNotEditable):
        save(return_a, cast.staff_a, "K1", {"value": "1"})
    assert value_row(return_a, "K2").numerator == 1


def test_narrative_save_checks_the_version_and_audits(cast, return_a):
    section = return_a.narratives.get(kind="measures")
    first = {"annual_return": return_a, "kind": "measures", "expected_version": 1, "user": cast.staff_a}
    narrative_save(text="第一稿", **first)
    outcome = narrative_save(text="第二稿", **first)
    section.refresh_from_db()
    assert outcome.is_conflict and section.text == "第一稿"
    assert ValueChange.objects.filter(narrative_kind="measures").count() == 1


def test_narrative_over_the_limit_is_refused_not_cut(cast, return_a):
    outcome = narrative_save(
        annual_return=return_a, kind="other", text="字" * 20001, expected_version=1, user=cast.staff_a
    )
    assert "不能超过" in outcome.error
    assert return_a.narratives.get(kind="other").text == ""


def test_values_of_another_return_cannot_be_saved_through_this_one(cast, return_a, return_b):
    row_b = IndicatorValue.objects.filter(annual_return=return_b).first()
    with pytest.raises(ReturnNotEditable):
        indicator_values_save(
            annual_return=return_a,
            inputs=[ValueInput(indicator_id=row_b.indicator_id + 10_000, raw={"value": "1"}, expected_version=1)],
            user=cast.staff_a,
        )


def test_a_whole_form_saved_at_once_stores_every_value_typed(cast, return_a):
    """Several rows are written by one statement on PostgreSQL: every type reaches its column."""
    inputs = [
        ValueInput(value_row(return_a, code).indicator_id, raw, 1)
        for code, raw in (
            ("K1", {"value": "12"}),
            ("K2", {"numerator": "48", "denominator": "50"}),
            ("K3", {"value": "3.5万元"}),
            ("K4", {"value": "否"}),
        )
    ]
    indicator_values_save(annual_return=return_a, inputs=inputs, user=cast.staff_a)

    k1, k2, k3, k4 = (value_row(return_a, code) for code in ("K1", "K2", "K3", "K4"))
    assert k1.value_integer == 12 and k1.raw_input == {"value": "12"}
    assert (k2.numerator, k2.denominator) == (Decimal(48), Decimal(50))
    assert k3.value_decimal == Decimal("3.5") and k3.value_integer is None
    assert k4.value_boolean is False
    assert {row.version for row in (k1, k2, k3, k4)} == {2}
    assert {row.updated_by_id for row in (k1, k2, k3, k4)} == {cast.staff_a.pk}


def test_a_batch_write_checking_versions_leaves_a_row_changed_meanwhile(cast, return_a):
    rows = [value_row(return_a, "K1"), value_row(return_a, "K3")]
    for row in rows:
        row.value_text, row.version = "", row.version + 1
        row.raw_input = {"value": "7"}
    IndicatorValue.objects.filter(pk=rows[1].pk).update(version=5)  # another writer got there first

    written = value_rows_write(rows, recount=False, check_versions=True)

    assert written == 1
    assert value_row(return_a, "K1").raw_input == {"value": "7"}
    assert value_row(return_a, "K3").raw_input != {"value": "7"}
