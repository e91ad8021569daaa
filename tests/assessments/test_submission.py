import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import AnnualReturn, Evidence, ReturnTransition
from assessments.services.errors import DeadlinePassed, StaleReturn, SubmissionBlocked, TransitionNotAllowed
from assessments.services.submission import annual_return_submit, submission_preview
from assessments.services.workflow import annual_return_send_back
from indicators.models import Indicator

from .conftest import COMPLETE, fill_narratives
from .test_entry import save

IN_TIME = timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0))
LATE = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))


def fill(annual_return, user, values=COMPLETE):
    for code, raw in values.items():
        save(annual_return, user, code, raw)
    fill_narratives(annual_return)


def test_a_complete_return_is_submitted_with_its_self_score(cast, return_a):
    fill(return_a, cast.staff_a)
    submitted = annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    assert submitted.status == AnnualReturn.Status.SUBMITTED
    assert submitted.self_score == Decimal("75.00")  # K2 48/50 misses its 100% target: 6 of 8 points
    assert submitted.self_score_detail["indicators"]["K2"]["points"] == "0.00"
    assert not submitted.is_late


def test_submission_is_recorded_as_a_transition(cast, return_a):
    fill(return_a, cast.staff_a)
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    last = ReturnTransition.objects.filter(annual_return=return_a).last()
    assert (last.from_status, last.to_status, last.user) == ("in_progress", "submitted", cast.staff_a)


def test_missing_required_values_block_submission(cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "1"})
    fill_narratives(return_a)
    with pytest.raises(SubmissionBlocked) as blocked:
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    assert {p.message for p in blocked.value.check.blocking} == {"尚未填写"}


def test_an_unreadable_input_blocks_submission(cast, return_a):
    fill(return_a, cast.staff_a, {**COMPLETE, "K1": {"value": "十二"}})
    with pytest.raises(SubmissionBlocked):
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)


def test_a_warning_needs_an_explanation_before_submission(cast, return_a):
    fill(return_a, cast.staff_a, {**COMPLETE, "K1": {"value": "2000"}})
    with pytest.raises(SubmissionBlocked) as blocked:
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    assert "须在“情况说明”中说明原因" in blocked.value.check.blocking[0].message
    save(return_a, cast.staff_a, "K1", {"value": "2000"}, explanation="专项行动集中受理")
    assert annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME).status == "submitted"


@pytest.mark.parametrize("evidence_codes", [("K4",)], ids=["K4"])
def test_required_evidence_blocks_submission_until_a_file_is_attached(cast, return_a):
    fill(return_a, cast.staff_a)
    preview = submission_preview(return_a)
    assert "须上传佐证材料" in [p.message for p in preview.check.blocking]


def test_empty_narrative_sections_block_submission(cast, return_a):
    for code, raw in COMPLETE.items():
        save(return_a, cast.staff_a, code, raw)
    preview = submission_preview(return_a)
    assert {p.narrative_kind for p in preview.check.blocking} == {"measures", "shortcomings", "leadership", "next_year"}


def test_staff_of_another_department_cannot_submit(cast, return_a):
    fill(return_a, cast.staff_a)
    with pytest.raises(TransitionNotAllowed):
        annual_return_submit(annual_return=return_a, user=cast.staff_b, now=IN_TIME)


def test_a_reviewer_cannot_submit_for_a_department(cast, return_a):
    fill(return_a, cast.staff_a)
    with pytest.raises(TransitionNotAllowed):
        annual_return_submit(annual_return=return_a, user=cast.reviewer, now=IN_TIME)


def test_a_double_submit_is_refused_the_second_time(cast, return_a):
    fill(return_a, cast.staff_a)
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    with pytest.raises(TransitionNotAllowed):
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    assert ReturnTransition.objects.filter(annual_return=return_a, action="submit").count() == 1


def test_a_change_after_the_preview_is_caught_at_confirmation(cast, return_a):
    fill(return_a, cast.staff_a)
    preview = submission_preview(return_a)
    save(return_a, cast.staff_a, "K1", {"value": "13"})
    with pytest.raises(StaleReturn):
        annual_return_submit(annual_return=return_a, user=cast.staff_a, fingerprint=preview.fingerprint, now=IN_TIME)


def test_submission_after_the_deadline_without_an_extension_is_refused(cast, return_a):
    fill(return_a, cast.staff_a)
    with pytest.raises(DeadlinePassed) as refused:
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=LATE)
    assert "2026年3月1日" in refused.value.message


def test_the_deadline_day_itself_is_still_in_time_in_china(cast, return_a):
    fill(return_a, cast.staff_a)
    last_minute = timezone.make_aware(datetime.datetime(2026, 3, 1, 23, 59))
    assert not annual_return_submit(annual_return=return_a, user=cast.staff_a, now=last_minute).is_late


def test_within_an_approved_extension_a_submission_after_the_deadline_is_in_time(cast, return_a):
    """One due-date rule (deadlines.due_date): the extension is the date in force, so 逾期 it is not."""
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        extended_until=datetime.date(2026, 3, 15), extension_reason="机构改革"
    )
    fill(return_a, cast.staff_a)
    submitted = annual_return_submit(annual_return=return_a, user=cast.staff_a, now=LATE)
    assert submitted.status == "submitted" and not submitted.is_late


def test_a_resubmission_after_a_return_is_not_held_to_the_original_deadline(cast, return_a):
    fill(return_a, cast.staff_a)
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    annual_return_send_back(annual_return=return_a, user=cast.reviewer, comment="请补充说明")
    resubmitted = annual_return_submit(annual_return=return_a, user=cast.staff_a, now=LATE)
    assert resubmitted.status == "submitted" and not resubmitted.is_late


def test_resubmission_clears_the_reopened_flags_but_keeps_the_comments(cast, return_a):
    fill(return_a, cast.staff_a)
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=IN_TIME)
    k1 = return_a.values.get(indicator__code="K1")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="退回", indicator_comments={k1.indicator_id: "请核实"}
    )
    save(return_a, cast.staff_a, "K1", {"value": "14"})
    annual_return_submit(annual_return=return_a, user=cast.staff_a, now=LATE)
    k1.refresh_from_db()
    assert (k1.is_reopened, k1.reviewer_comment, k1.value_integer) == (False, "请核实", 14)


@pytest.mark.parametrize("evidence_codes", [("K4",)], ids=["K4"])
def test_evidence_counts_only_files_not_deleted(cast, return_a):
    fill(return_a, cast.staff_a)
    Evidence.objects.create(
        annual_return=return_a,
        indicator=Indicator.objects.get(code="K4", framework=return_a.framework),
        file="evidence/x.pdf",
        original_name="报告.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=cast.staff_a,
        deleted_at=timezone.now(),
        deleted_by=cast.staff_a,
    )
    assert "须上传佐证材料" in [p.message for p in submission_preview(return_a).check.blocking]
