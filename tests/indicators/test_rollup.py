from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.models import GradeThreshold
from indicators.scoring import IndicatorScore, grade_for, summarise, thresholds_for_kind

D = Decimal
Grade = GradeThreshold.Grade


@dataclass
class Node:
    code: str
    name: str
    max_points: Decimal


@dataclass
class GroupNode:
    group: Node
    indicators: tuple


@dataclass
class AreaNode:
    area: Node
    groups: tuple


def tree():
    """A (6) → A1 (4: A1.1 2, A1.2 3 — more than the group's 4) + A2 (2: A2.1 2); B (4) → B1 (4: B1.1 4)."""
    return (
        AreaNode(
            Node("A", "甲", D(6)),
            (
                GroupNode(Node("A1", "甲一", D(4)), (Node("A1.1", "", D(2)), Node("A1.2", "", D(3)))),
                GroupNode(Node("A2", "甲二", D(2)), (Node("A2.1", "", D(2)),)),
            ),
        ),
        AreaNode(Node("B", "乙", D(4)), (GroupNode(Node("B1", "乙一", D(4)), (Node("B1.1", "", D(4)),)),)),
    )


def scores(**points) -> dict:
    maxima = {"A1.1": D(2), "A1.2": D(3), "A2.1": D(2), "B1.1": D(4)}
    return {
        code.replace("_", "."): IndicatorScore(code.replace("_", "."), maxima[code.replace("_", ".")], value, "")
        for code, value in points.items()
    }


def test_full_marks_roll_up_to_the_base_points():
    summary = summarise(areas=tree(), scores=scores(A1_1=D(2), A1_2=D(3), A2_1=D(2), B1_1=D(4)), base_points=D(10))
    assert summary.base_score == D("10.00")
    assert [area.points for area in summary.areas] == [D(6), D(4)]


def test_a_group_is_capped_at_its_maximum():
    summary = summarise(areas=tree(), scores=scores(A1_1=D(2), A1_2=D(3), A2_1=D(0), B1_1=D(0)), base_points=D(10))
    assert summary.areas[0].children[0].points == D(4)


def test_an_area_is_capped_at_its_maximum():
    summary = summarise(areas=tree(), scores=scores(A1_1=D(2), A1_2=D(3), A2_1=D(2), B1_1=D(0)), base_points=D(10))
    assert summary.areas[0].points == D(6)


def test_indicators_that_do_not_apply_leave_the_maximum_and_the_score_is_scaled():
    # Only A applies: 3 of 6 attainable → 5 of 10
    summary = summarise(areas=tree(), scores=scores(A1_1=D(1), A1_2=D(0), A2_1=D(2)), base_points=D(10))
    assert summary.applicable_max == D(6)
    assert summary.base_score == D("5.00")


def test_excluded_scores_leave_the_maximum_too():
    data = scores(A1_1=D(2), A1_2=D(2), A2_1=D(2), B1_1=D(4))
    data["B1.1"] = IndicatorScore("B1.1", D(4), None, "无此类事项，不计入考核")
    summary = summarise(areas=tree(), scores=data, base_points=D(10))
    assert summary.applicable_max == D(6)
    assert summary.base_score == D("10.00")


def test_bonus_is_added_up_to_its_cap_and_deductions_are_subtracted():
    summary = summarise(
        areas=tree(),
        scores=scores(A1_1=D(2), A1_2=D(2), A2_1=D(2), B1_1=D(2)),
        base_points=D(100),
        bonus_awards=[D(3), D(3)],
        bonus_cap=D(5),
        deductions=[(D(2), None)],
    )
    assert summary.base_score == D("80.00")
    assert summary.bonus == D("5.00")
    assert summary.total == D("83.00")


def test_deductions_never_make_the_total_negative():
    summary = summarise(areas=tree(), scores=scores(A1_1=D(0)), base_points=D(10), deductions=[(D(50), None)])
    assert summary.total == D("0.00")


def test_a_veto_forces_fail_whatever_the_points():
    summary = summarise(
        areas=tree(), scores=scores(A1_1=D(2), A1_2=D(3), A2_1=D(2), B1_1=D(4)), base_points=D(100), is_vetoed=True
    )
    assert summary.total == D("100.00")
    assert summary.grade == Grade.FAIL
    assert summary.grade_label == "不合格"


def test_nothing_applicable_scores_zero():
    assert summarise(areas=tree(), scores={}, base_points=D(100)).base_score == D(0)


def test_default_grades_follow_the_proposed_thresholds():
    assert [grade_for(D(x)) for x in ("90", "89.99", "80", "60", "59.99")] == [
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.GOOD,
        Grade.PASS,
        Grade.FAIL,
    ]


@dataclass
class Threshold:
    department_kind: str
    grade: str
    min_score: Decimal


def test_thresholds_for_a_kind_are_preferred_over_the_general_ones():
    rows = [Threshold("", Grade.EXCELLENT, D(90)), Threshold("township", Grade.EXCELLENT, D(85))]
    assert thresholds_for_kind(rows, "township") == ((Grade.EXCELLENT, D(85)),)
    assert thresholds_for_kind(rows, "department") == ((Grade.EXCELLENT, D(90)),)


def test_without_thresholds_the_defaults_apply():
    assert grade_for(D(85), thresholds=thresholds_for_kind([], "government")) == Grade.GOOD


@settings(deadline=None)
@given(
    st.lists(st.decimals(min_value=0, max_value=5, places=2), min_size=4, max_size=4),
    st.lists(st.decimals(min_value=0, max_value=5, places=2), max_size=4),
)
def test_the_base_score_never_exceeds_the_base_points(values, bonus):
    codes = ["A1.1", "A1.2", "A2.1", "B1.1"]
    data = {code: IndicatorScore(code, D(5), value, "") for code, value in zip(codes, values, strict=True)}
    summary = summarise(areas=tree(), scores=data, base_points=D(100), bonus_awards=bonus)
    assert D(0) <= summary.base_score <= D(100)
    assert summary.total <= D(105)
