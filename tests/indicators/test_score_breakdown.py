"""indicators.scoring.breakdown: a score summary as stored JSON, for the self score and the sheet."""

from decimal import Decimal

from indicators.scoring.breakdown import areas_breakdown, points_text
from indicators.scoring.rollup import NodeTotal, ScoreSummary

D = Decimal


def _summary() -> ScoreSummary:
    leaf = NodeTotal("A1.1", "制度建设", D("3"), D("4"), D("4"))
    group = NodeTotal("A1", "依法决策", D("3"), D("4"), D("4"), children=(leaf,))
    area = NodeTotal("A", "政府职能", D("3"), D("10"), D("4"), children=(group,))
    return ScoreSummary(
        areas=(area,),
        earned=D("3"),
        applicable_max=D("4"),
        base_score=D("75"),
        bonus=D("0"),
        deductions=D("0"),
        total=D("75"),
        is_vetoed=False,
        grade="good",
    )


def test_points_are_written_with_two_decimals():
    assert (points_text(D("0")), points_text(D("3.5")), points_text(None)) == ("0.00", "3.50", None)


def test_areas_and_groups_carry_points_maximum_and_attainable():
    assert areas_breakdown(_summary()) == [
        {
            "code": "A",
            "name": "政府职能",
            "points": "3.00",
            "max_points": "10.00",
            "applicable_max": "4.00",
            "groups": [
                {"code": "A1", "name": "依法决策", "points": "3.00", "max_points": "4.00", "applicable_max": "4.00"}
            ],
        }
    ]


def test_groups_list_their_indicators_when_an_entry_is_given():
    groups = areas_breakdown(_summary(), lambda leaf: {"code": leaf.code})[0]["groups"]

    assert groups[0]["indicators"] == [{"code": "A1.1"}]
