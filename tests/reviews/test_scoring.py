"""Score sheets on the small framework of factories.py, every figure worked out by hand.

Areas A and B are 10 points each, so the base score is earned × 100 / 20 = earned × 5 (when every
indicator applies). Full marks everywhere and the judgement item A1.4 at 4 of 4 give 100.
"""

from decimal import Decimal

import pytest

from reviews.models import ReviewAuditEntry, ScoreSheet
from reviews.services.adjustments import adjustment_decide, adjustment_register
from reviews.services.errors import ScoresLocked
from reviews.services.scoring import score_sheet_compute

from .factories import judge, submitted_return

D = Decimal


def sheet_for(cast, framework, *, judged="4", township=False, **overrides) -> ScoreSheet:
    department, staff = (cast.dept_b, cast.staff_b) if township else (cast.dept_a, cast.staff_a)
    annual_return = submitted_return(department, staff, framework, **overrides)
    judge(annual_return, cast.reviewer, points=judged)
    return ScoreSheet.objects.get(department=department, year=2025)


def indicator_points(sheet: ScoreSheet, code: str) -> str | None:
    for area in sheet.breakdown["areas"]:
        for group in area["groups"]:
            for item in group["indicators"]:
                if item["code"] == code:
                    return item["points"]
    return None


def test_full_marks_with_the_judgement_at_full_score_one_hundred(cast, framework):
    sheet = sheet_for(cast, framework)
    assert (sheet.earned, sheet.applicable_max, sheet.total, sheet.grade) == (D("20"), D("20"), D("100"), "excellent")


def test_an_unscored_judgement_item_counts_zero_until_the_reviewer_scores_it(cast, framework):
    annual_return = submitted_return(cast.dept_a, cast.staff_a, framework)
    sheet, _ = score_sheet_compute(annual_return=annual_return)
    assert (sheet.earned, sheet.total, sheet.grade) == (D("16"), D("80"), "good")


@pytest.mark.parametrize(
    ("overrides", "code", "points", "total"),
    [
        # deduct_per_shortfall: target 3, 0.5 per missing meeting; 1 held → 2 − 2 × 0.5
        ({"A1.1": {"value": "1"}}, "A1.1", "1.00", "95.00"),
        # all_or_nothing: 否 → 0 of 2
        ({"A1.2": {"value": "否"}}, "A1.2", "0.00", "90.00"),
        # linear with floor 80 %: 17/20 = 85 % → 2 × 0.85
        ({"A1.3": {"numerator": "17", "denominator": "20"}}, "A1.3", "1.70", "98.50"),
        # linear below the floor: 15/20 = 75 % < 80 % → 0
        ({"A1.3": {"numerator": "15", "denominator": "20"}}, "A1.3", "0.00", "90.00"),
        # deduct_per_event: 3 events × 1, capped at 2 → 3 − 2
        ({"B1.1": {"value": "3"}}, "B1.1", "1.00", "90.00"),
        # inverse: 20 % vs benchmark 10 %, steps of 5 → 2 steps × 1 → 3 − 2
        ({"B1.2": {"numerator": "4", "denominator": "20"}}, "B1.2", "1.00", "90.00"),
        # inverse: 15 % → one started step → 3 − 1
        ({"B1.2": {"numerator": "3", "denominator": "20"}}, "B1.2", "2.00", "95.00"),
        # tiered: 85 reaches the 80 tier → 3 of 4
        ({"B1.3": {"value": "85"}}, "B1.3", "3.00", "95.00"),
        # tiered: below every tier → 0
        ({"B1.3": {"value": "50"}}, "B1.3", "0.00", "80.00"),
    ],
)
def test_each_rule_scores_as_worked_out_by_hand(cast, framework, overrides, code, points, total):
    sheet = sheet_for(cast, framework, **overrides)
    assert indicator_points(sheet, code) == points
    assert sheet.total == D(total)


def test_a_rate_with_no_cases_leaves_the_maximum_when_the_rule_says_exclude(cast, framework):
    sheet = sheet_for(cast, framework, **{"B1.2": {"numerator": "0", "denominator": "0"}})
    assert (sheet.earned, sheet.applicable_max, sheet.total) == (D("17"), D("17"), D("100"))
    assert sheet.breakdown["excluded"] == ["B1.2"]


def test_a_judgement_of_two_and_a_half_gives_ninety_two_fifty(cast, framework):
    assert sheet_for(cast, framework, judged="2.5").total == D("92.50")


def test_area_subtotals_are_stored_for_rankings(cast, framework):
    sheet = sheet_for(cast, framework, judged="3", **{"B1.3": {"value": "85"}})
    assert sheet.area_points == {"A": "9.00", "B": "9.00"}


def test_township_thresholds_make_eighty_eight_excellent_for_a_township_only(cast, framework):
    # B1.3 60 → tier 2 (−2); A1.3 16/20 = 80 % → 1.6 (−0.4): earned 17.6 → 88.00
    overrides = {"B1.3": {"value": "60"}, "A1.3": {"numerator": "16", "denominator": "20"}}
    township = sheet_for(cast, framework, township=True, **overrides)
    department = sheet_for(cast, framework, **overrides)
    assert (township.total, township.grade) == (D("88.00"), "excellent")
    assert (department.total, department.grade) == (D("88.00"), "good")


def approved_entry(cast, framework, code, *, occurrences=1, department=None):
    entry = adjustment_register(
        department=department or cast.dept_a,
        year=2025,
        item=framework.adjustment_items.get(code=code),
        occurrences=occurrences,
        reason=f"{code} 事由",
        user=cast.reviewer,
    )
    return adjustment_decide(adjustment=entry, approve=True, user=cast.reviewer_scoped_for_a)


@pytest.fixture
def cast_with_second(cast, second_reviewer):
    cast.reviewer_scoped_for_a = second_reviewer
    return cast


def test_bonuses_add_up_to_the_framework_cap_of_five(cast_with_second, framework):
    sheet = sheet_for(cast_with_second, framework, judged="3")  # 95
    approved_entry(cast_with_second, framework, "K1")  # +3
    approved_entry(cast_with_second, framework, "K2")  # +1.5 → 99.5
    sheet.refresh_from_db()
    assert (sheet.bonus, sheet.total) == (D("4.50"), D("99.50"))
    approved_entry(cast_with_second, framework, "K1")  # +3 more, but the cap is 5
    sheet.refresh_from_db()
    assert (sheet.bonus, sheet.total) == (D("5.00"), D("100.00"))


def test_deductions_count_per_occurrence(cast_with_second, framework):
    sheet = sheet_for(cast_with_second, framework)
    approved_entry(cast_with_second, framework, "X5", occurrences=2)  # 2 × 2
    sheet.refresh_from_db()
    assert (sheet.deductions, sheet.total, sheet.grade) == (D("4.00"), D("96.00"), "excellent")


def test_a_veto_forces_fail_whatever_the_points(cast_with_second, framework):
    sheet = sheet_for(cast_with_second, framework)
    approved_entry(cast_with_second, framework, "X1")
    sheet.refresh_from_db()
    assert (sheet.total, sheet.is_vetoed, sheet.grade) == (D("100.00"), True, "fail")


def test_a_pending_adjustment_does_not_count(cast, framework):
    sheet = sheet_for(cast, framework)
    adjustment_register(
        department=cast.dept_a,
        year=2025,
        item=framework.adjustment_items.get(code="X5"),
        reason="待批",
        user=cast.reviewer,
    )
    sheet.refresh_from_db()
    assert sheet.total == D("100")


def test_recomputing_unchanged_inputs_writes_nothing(cast, framework):
    sheet = sheet_for(cast, framework, judged="3")
    audits = ReviewAuditEntry.objects.count()
    again, changed = score_sheet_compute(annual_return=sheet.annual_return)
    assert changed is False
    assert (again.fingerprint, again.version, again.breakdown) == (sheet.fingerprint, sheet.version, sheet.breakdown)
    assert ReviewAuditEntry.objects.count() == audits


def test_a_changed_input_rewrites_the_sheet_with_before_and_after_in_the_audit(cast, framework):
    sheet = sheet_for(cast, framework, judged="3")
    judge(sheet.annual_return, cast.reviewer, points="2", reason="补充材料不足")
    sheet.refresh_from_db()
    entry = ReviewAuditEntry.objects.filter(action="score_sheet_compute").latest("pk")
    assert sheet.total == D("90.00")
    assert (entry.before["total"], entry.after["total"]) == ("95.00", "90.00")


def test_a_final_sheet_is_not_recomputed_outside_an_appeal_decision(cast, framework):
    sheet = sheet_for(cast, framework, judged="3")
    ScoreSheet.objects.filter(pk=sheet.pk).update(is_final=True, fingerprint="stale")
    with pytest.raises(ScoresLocked):
        score_sheet_compute(annual_return=sheet.annual_return)
    assert ScoreSheet.objects.get(pk=sheet.pk).total == D("95.00")
