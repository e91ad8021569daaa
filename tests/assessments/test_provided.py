"""Provided figures (数据提供单位): the provider's saves, what the unit may and may not change, the
transition record, disputes and the 提交."""

import pytest

from assessments.models import AnnualReturn, ProvidedValue, ProvidedValueDispute, ProviderSubmission, ValueChange
from assessments.selectors.checking import return_check
from assessments.selectors.provided import provided_notes, provider_grid
from assessments.selectors.returns import return_data_load
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import ReturnActionError
from assessments.services.provided import (
    ProvidedInput,
    ProvisionRefused,
    provided_value_dispute_answer,
    provided_value_dispute_raise,
    provided_values_save,
    provider_submission_submit,
)
from tests.factories import DepartmentFactory

from .factories import value_row


def provide(court, user, annual_return, code, part, text, *, version=None):
    indicator_id = value_row(annual_return, code).indicator_id
    if version is None:
        existing = ProvidedValue.objects.filter(annual_return=annual_return, indicator_id=indicator_id).first()
        version = existing.version if existing else 0
    item = ProvidedInput(annual_return.pk, indicator_id, part, text, version)
    return provided_values_save(provider=court, inputs=[item], user=user)[0]


def test_a_provided_figure_is_written_into_the_units_value(court, court_user, provided_return_a):
    outcome = provide(court, court_user, provided_return_a, "K1", "value", "12")
    assert outcome.is_changed and not outcome.error
    assert value_row(provided_return_a, "K1").value_integer == 12


def test_each_provided_change_is_audited_with_the_provider_as_source(court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    change = ValueChange.objects.get(annual_return=provided_return_a, indicator__code="K1")
    assert (change.source, change.user, change.new_value) == (ValueChange.Source.PROVIDER, court_user, "12")


def test_an_unreadable_provided_figure_is_kept_as_typed_with_its_chinese_error(court, court_user, provided_return_a):
    outcome = provide(court, court_user, provided_return_a, "K1", "value", "十二")
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    assert value.raw_input == {"value": "十二"}
    assert "阿拉伯数字" in outcome.error
    assert value_row(provided_return_a, "K1").value_integer is None


def test_a_save_against_an_older_version_is_a_conflict_and_changes_nothing(court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    outcome = provide(court, court_user, provided_return_a, "K1", "value", "15", version=0)
    assert outcome.is_conflict and outcome.theirs == "12"
    assert value_row(provided_return_a, "K1").value_integer == 12


def test_a_provided_part_of_a_rate_keeps_the_units_own_part(cast, court, court_user, provided_return_a):
    row = value_row(provided_return_a, "K2")
    indicator_values_save(
        annual_return=provided_return_a,
        inputs=[ValueInput(row.indicator_id, {"numerator": "8", "denominator": ""}, row.version)],
        user=cast.staff_a,
    )
    provide(court, court_user, provided_return_a, "K2", "denominator", "10")
    row = value_row(provided_return_a, "K2")
    assert (row.numerator, row.denominator) == (8, 10)


def test_the_unit_cannot_change_a_part_the_provider_provides(cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K2", "denominator", "10")
    row = value_row(provided_return_a, "K2")
    indicator_values_save(
        annual_return=provided_return_a,
        inputs=[ValueInput(row.indicator_id, {"numerator": "8", "denominator": "99"}, row.version)],
        user=cast.staff_a,
    )
    row = value_row(provided_return_a, "K2")
    assert (row.numerator, row.denominator) == (8, 10)


def test_the_unit_cannot_type_a_value_provided_whole(cast, provided_return_a):
    row = value_row(provided_return_a, "K1")
    outcome = indicator_values_save(
        annual_return=provided_return_a,
        inputs=[ValueInput(row.indicator_id, {"value": "3"}, row.version)],
        user=cast.staff_a,
    )[0]
    assert "测试市中级人民法院" in outcome.refused or "市中级人民法院" in outcome.refused
    assert value_row(provided_return_a, "K1").value_integer is None


def test_a_missing_provided_value_does_not_block_the_units_submission(provided_return_a):
    check = return_check(return_data_load(provided_return_a))
    k1 = value_row(provided_return_a, "K1").indicator_id
    assert not [problem for problem in check.blocking if problem.indicator_id == k1]


def test_the_units_own_earlier_figure_is_kept_when_the_provider_first_writes(
    cast, court, court_user, provided_framework
):
    from assessments.models import IndicatorValue

    from .factories import open_return

    annual_return = open_return(cast.dept_a, provided_framework)
    IndicatorValue.objects.filter(annual_return=annual_return, indicator__code="K1").update(
        value_integer=9, raw_input={"value": "9"}
    )
    provide(court, court_user, annual_return, "K1", "value", "12")
    value = ProvidedValue.objects.get(annual_return=annual_return)
    assert (value.self_reported, value.self_reported_text) == ({"value": "9"}, "9")


def test_a_difference_beyond_the_threshold_is_flagged(cast, court, court_user, provided_return_a):
    from assessments.models import IndicatorValue

    IndicatorValue.objects.filter(annual_return=provided_return_a, indicator__code="K1").update(
        value_integer=9, raw_input={"value": "9"}
    )
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    note = provided_notes(provided_return_a)[value_row(provided_return_a, "K1").indicator_id]
    assert note.is_flagged and str(note.difference_percent) == "33.33"  # (12 − 9) / 9, threshold 10%


def test_a_difference_within_the_threshold_is_not_flagged(cast, court, court_user, provided_return_a):
    from assessments.models import IndicatorValue

    IndicatorValue.objects.filter(annual_return=provided_return_a, indicator__code="K1").update(
        value_integer=100, raw_input={"value": "100"}
    )
    provide(court, court_user, provided_return_a, "K1", "value", "105")
    note = provided_notes(provided_return_a)[value_row(provided_return_a, "K1").indicator_id]
    assert not note.is_flagged


def test_a_unit_outside_the_providers_scope_is_refused(cast, court_user, provided_return_a):
    other = DepartmentFactory(code="X900", name="县人民法院", parent=cast.county, is_assessed=False)
    with pytest.raises(ProvisionRefused):  # its scope is the county: dept_a is a city department
        provide(other, court_user, provided_return_a, "K1", "value", "12")


def test_an_indicator_the_provider_does_not_provide_is_refused(court, court_user, provided_return_a):
    with pytest.raises(ProvisionRefused):
        provide(court, court_user, provided_return_a, "K3", "value", "12")


def test_a_confirmed_return_is_not_changed_by_the_provider(court, court_user, provided_return_a):
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.CONFIRMED, first_submitted_at="2026-02-01T00:00:00Z"
    )
    outcome = provide(court, court_user, provided_return_a, "K1", "value", "12")
    assert "锁定" in outcome.refused
    assert value_row(provided_return_a, "K1").value_integer is None


def test_a_pasted_block_saves_every_unit_in_one_call(court, court_user, provided_return_a, provided_return_b):
    items = [
        ProvidedInput(r.pk, value_row(r, "K1").indicator_id, "value", text, 0)
        for r, text in ((provided_return_a, "4"), (provided_return_b, "7"))
    ]
    outcomes = provided_values_save(provider=court, inputs=items, user=court_user)
    assert all(outcome.is_changed for outcome in outcomes)
    assert [value_row(r, "K1").value_integer for r in (provided_return_a, provided_return_b)] == [4, 7]


def test_the_grid_lists_every_unit_in_scope_with_its_provided_columns(
    court, court_user, provided_return_a, provided_return_b
):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    grid = provider_grid(court, 2025)
    assert [column.header for column in grid.columns] == ["K1", "K2.den"]
    assert {row.annual_return.department.code for row in grid.rows} == {"C000", "C001", "C002", "C100", "C110"}
    assert (grid.filled, grid.total) == (1, 10)


def test_a_unit_disputes_and_the_provider_corrects(cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    dispute = provided_value_dispute_raise(value=value, reason="我局实际被诉 10 件", user=cast.staff_a)
    provided_value_dispute_answer(
        dispute=dispute, provider=court, answer="经核对更正", corrected={"value": "10"}, user=court_user
    )
    dispute.refresh_from_db()
    assert (dispute.status, dispute.corrected_text) == (ProvidedValueDispute.Status.CORRECTED, "10")
    assert value_row(provided_return_a, "K1").value_integer == 10


def test_the_provider_may_keep_a_disputed_value(cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    dispute = provided_value_dispute_raise(value=value, reason="数不对", user=cast.staff_a)
    provided_value_dispute_answer(
        dispute=dispute, provider=court, answer="以判决书为准", corrected=None, user=court_user
    )
    dispute.refresh_from_db()
    assert dispute.status == ProvidedValueDispute.Status.KEPT
    assert value_row(provided_return_a, "K1").value_integer == 12


def test_another_units_staff_cannot_dispute(cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    with pytest.raises(ReturnActionError):
        provided_value_dispute_raise(value=value, reason="数不对", user=cast.staff_b)


def test_a_second_open_dispute_on_the_same_value_is_refused(cast, court, court_user, provided_return_a):
    provide(court, court_user, provided_return_a, "K1", "value", "12")
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    provided_value_dispute_raise(value=value, reason="数不对", user=cast.staff_a)
    with pytest.raises(ReturnActionError):
        provided_value_dispute_raise(value=value, reason="还是不对", user=cast.staff_a)


def test_submitting_the_grid_records_who_and_when(court, court_user, provided_return_a):
    submission = provider_submission_submit(provider=court, year=2025, user=court_user)
    assert submission.status == ProviderSubmission.Status.SUBMITTED
    assert submission.submitted_by == court_user and submission.submitted_at is not None


def test_the_provider_is_reminded_of_its_deadline_once(court, court_user, provided_return_a):
    import datetime

    from reviews.models import Notification
    from reviews.services.notifications import provider_deadline_reminders_send

    AnnualReturn.objects.filter(year=2025).update(deadline=datetime.date(2026, 3, 1))
    today = datetime.date(2026, 2, 27)
    assert provider_deadline_reminders_send(today=today) == 1
    assert provider_deadline_reminders_send(today=today) == 0
    assert Notification.objects.get(recipient=court_user).title == "2025年度提供数据提交截止日期为2026年3月1日"


def test_a_submitted_provider_is_not_reminded(court, court_user, provided_return_a):
    import datetime

    from reviews.services.notifications import provider_deadline_reminders_send

    AnnualReturn.objects.filter(year=2025).update(deadline=datetime.date(2026, 3, 1))
    provider_submission_submit(provider=court, year=2025, user=court_user)
    assert provider_deadline_reminders_send(today=datetime.date(2026, 2, 27)) == 0


def test_a_value_provided_after_approval_rescores_the_unit(
    cast, court, court_user, provided_return_a, django_capture_on_commit_callbacks
):
    from reviews.models import ScoreSheet
    from reviews.services.scoring import score_sheet_compute

    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.APPROVED, first_submitted_at="2026-02-01T00:00:00Z"
    )
    provided_return_a.refresh_from_db()
    score_sheet_compute(annual_return=provided_return_a)
    before = ScoreSheet.objects.get(department=cast.dept_a).total
    with django_capture_on_commit_callbacks(execute=True):
        provide(court, court_user, provided_return_a, "K1", "value", "12")
    assert ScoreSheet.objects.get(department=cast.dept_a).total > before
