"""Zero, not applicable, not known: a figure (0 included), one part of a rate, 不适用 and 暂无数据,
each saved, checked and shown as itself; relations between figures block submission."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import AnnualReturn
from assessments.selectors.checking import return_check
from assessments.selectors.entry_page import entry_page, field_of
from assessments.selectors.returns import return_contradictions, return_data_load
from assessments.services.errors import SubmissionBlocked
from assessments.services.submission import annual_return_submit
from assessments.values import display
from indicators.models import ValidationRule

from .conftest import COMPLETE, fill_narratives
from .factories import value_row
from .test_entry import save

IN_TIME = timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0))


def fill(annual_return, user, **overrides):
    for code, raw in {**COMPLETE, **overrides}.items():
        save(annual_return, user, code, raw)
    fill_narratives(annual_return)


def blocking_messages(annual_return) -> list[str]:
    return [problem.message for problem in return_check(return_data_load(annual_return)).blocking]


def field_text(annual_return, code) -> str:
    page = entry_page(annual_return, can_edit=True)
    indicator = annual_return.framework.indicators.get(code=code)
    return field_of(page, indicator.pk).current


def test_a_rate_can_be_saved_with_only_its_denominator(cast, return_a):
    outcome = save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"})
    row = value_row(return_a, "K2")
    assert not outcome.error
    assert (row.numerator, row.denominator) == (None, 71)


def test_a_rate_with_one_part_shows_the_part_and_that_the_rate_cannot_be_computed(cast, return_a):
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"})
    assert field_text(return_a, "K2") == "无法计算（应审核件数71件，已审核件数未填）"
    assert display(value_row(return_a, "K2").indicator, value_row(return_a, "K2")) == "未填/71"


def test_a_required_rate_with_one_part_needs_an_explanation_before_submission(cast, return_a):
    fill(return_a, cast.staff_a, K2={"numerator": "", "denominator": "71"})
    assert any("比率无法计算" in message for message in blocking_messages(return_a))
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"}, explanation="按期审核件数未统计")
    assert blocking_messages(return_a) == []


def test_zero_over_zero_is_shown_as_no_such_matters(cast, return_a):
    save(return_a, cast.staff_a, "K2", {"numerator": "0", "denominator": "0"})
    assert field_text(return_a, "K2") == "无此类事项（0/0）"


def test_zero_is_a_figure(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "0"})
    row = value_row(return_a, "K1")
    assert row.value_integer == 0
    assert field_text(return_a, "K1") == "0件"


def test_not_applicable_with_a_reason_stores_no_figure_and_keeps_what_was_typed(cast, return_a):
    raw = {"value": "12", "state": "not_applicable", "reason": "本单位无行政复议职能"}
    outcome = save(return_a, cast.staff_a, "K1", raw)
    row = value_row(return_a, "K1")
    assert not outcome.error
    assert (row.state, row.state_reason, row.value_integer) == ("not_applicable", "本单位无行政复议职能", None)
    assert row.raw_input["value"] == "12"
    assert field_text(return_a, "K1") == "不适用（本单位无行政复议职能）"


def test_switching_back_from_not_applicable_restores_the_typed_figure(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "12", "state": "not_applicable", "reason": "无此职能"})
    save(return_a, cast.staff_a, "K1", {"value": "12", "state": "", "reason": "无此职能"})
    row = value_row(return_a, "K1")
    assert (row.state, row.value_integer) == ("value", 12)


def test_not_applicable_without_a_reason_is_a_draft_that_blocks_submission(cast, return_a):
    fill(return_a, cast.staff_a, K1={"value": "", "state": "not_applicable", "reason": ""})
    assert value_row(return_a, "K1").raw_input["state"] == "not_applicable"
    assert "输入有误：选择“不适用”须说明原因" in blocking_messages(return_a)


def test_not_applicable_typed_in_the_value_cell_is_read_as_the_state(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "不适用：本单位无行政复议职能"})
    row = value_row(return_a, "K1")
    assert (row.state, row.state_reason) == ("not_applicable", "本单位无行政复议职能")


def test_not_available_is_refused_where_the_indicator_does_not_allow_it(cast, return_a):
    outcome = save(return_a, cast.staff_a, "K1", {"state": "not_available", "reason": "尚未统计"})
    assert "不能填“暂无数据”" in outcome.error
    assert value_row(return_a, "K1").state == "value"


def test_not_available_is_saved_where_the_indicator_allows_it(cast, framework):
    framework.indicators.filter(code="K1").update(allows_not_available=True)
    from .factories import open_return

    annual_return = open_return(cast.dept_a, framework)
    outcome = save(annual_return, cast.staff_a, "K1", {"state": "not_available", "reason": "统计口径尚未建立"})
    assert not outcome.error
    assert field_text(annual_return, "K1") == "暂无数据（统计口径尚未建立）"


def test_a_return_with_not_applicable_items_is_submitted_and_they_leave_the_score_base(cast, return_a):
    fill(return_a, cast.staff_a, K2={"state": "not_applicable", "reason": "本单位不制发规范性文件"})
    submitted = annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    assert submitted.status == AnnualReturn.Status.SUBMITTED
    assert submitted.self_score_detail["indicators"]["K2"]["points"] is None


def test_an_optional_indicator_may_be_left_empty_without_fake_zeros(cast, return_a):
    fill(return_a, cast.staff_a, K3={"value": ""})  # K3 is optional
    assert blocking_messages(return_a) == []


@pytest.mark.parametrize("kind_field", ["required_for_department"])
def test_required_ness_follows_the_unit_kind(cast, framework, kind_field):
    framework.indicators.filter(code="K4").update(**{kind_field: False})
    from .factories import open_return

    annual_return = open_return(cast.dept_a, framework)  # a 政府工作部门
    fill(annual_return, cast.staff_a, K4={"value": ""})
    assert blocking_messages(annual_return) == []
    page = entry_page(annual_return, can_edit=True)
    assert not field_of(page, framework.indicators.get(code="K4").pk).is_required


@pytest.fixture
def relation(framework):
    return ValidationRule.objects.create(
        framework=framework,
        code="XK2",
        expression="K2.num <= K1",
        message="已审核件数不能多于行政复议案件数",
        severity=ValidationRule.Severity.ERROR,
        is_relation=True,
    )


def test_a_violated_relation_saves_the_draft_but_refuses_submission_listing_it(cast, return_a, relation):
    fill(return_a, cast.staff_a, K1={"value": "12"}, K2={"numerator": "48", "denominator": "50"})
    assert value_row(return_a, "K2").numerator == 48  # nothing typed is lost
    assert blocking_messages(return_a) == ["数据矛盾：已审核件数不能多于行政复议案件数"]
    with pytest.raises(SubmissionBlocked):
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)


def test_a_violated_relation_is_shown_beside_each_figure_it_involves(cast, return_a, relation):
    fill(return_a, cast.staff_a, K1={"value": "12"})
    page = entry_page(return_a, can_edit=True)
    for code in ("K1", "K2"):
        field = field_of(page, return_a.framework.indicators.get(code=code).pk)
        assert "数据矛盾：已审核件数不能多于行政复议案件数" in [problem.message for problem in field.problems]


def test_the_contradictions_selector_names_the_figures_that_contradict(cast, return_a, relation):
    fill(return_a, cast.staff_a, K1={"value": "0"})
    found = return_contradictions(return_a)
    assert found.involves("K1") and found.involves("K2")
    assert not found.involves("K3")
    assert [item.figures for item in found] == [("K2.num", "K1")]


def test_a_relation_is_not_checked_against_a_figure_not_reported(cast, return_a, relation):
    fill(return_a, cast.staff_a, K1={"state": "not_applicable", "reason": "无复议职能"})
    assert not return_contradictions(return_a)


def test_not_applicable_and_one_part_of_a_rate_count_as_filled_in_the_progress(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"state": "not_applicable", "reason": "无此职能"})
    save(return_a, cast.staff_a, "K2", {"numerator": "", "denominator": "71"})
    return_a.refresh_from_db()
    assert return_a.filled_count == 2
    page = entry_page(return_a, can_edit=True)
    assert page.filled_count == 2
