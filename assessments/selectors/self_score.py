"""自评分: the score a department's own figures earn under the framework's rules, before review.

Computed with indicators.scoring from loaded data (no queries). Items the reviewer judges
(审核员评定) are left out rather than counted as 0, so the base score is scaled over what the
figures alone can earn; bonuses, deductions and vetoes are the reviewers' registers and are not
part of the self score.
"""

from decimal import Decimal

from indicators.models import ScoringRule
from indicators.scoring import IndicatorScore, ScoreSummary, score_indicator, summarise, thresholds_for_kind

from .returns import ReturnData


def indicator_scores(data: ReturnData) -> dict[str, IndicatorScore]:
    return {
        indicator.code: score_indicator(indicator, data.readings.get(indicator.code), readings=data.readings)
        for indicator in data.applicable
        if indicator.scoring_rule != ScoringRule.JUDGEMENT and not indicator.is_statistical
    }


def self_score(data: ReturnData) -> ScoreSummary:
    framework = data.annual_return.framework
    return summarise(
        areas=data.tree.areas,
        scores=indicator_scores(data),
        base_points=framework.base_points,
        bonus_cap=framework.bonus_cap,
        thresholds=thresholds_for_kind(data.tree.grade_thresholds, data.annual_return.department.kind),
    )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else f"{number}"


def score_detail(summary: ScoreSummary, scores: dict[str, IndicatorScore]) -> dict:
    """The breakdown stored with the return (JSON): areas, groups and each indicator's points."""
    return {
        "total": _text(summary.total),
        "base_score": _text(summary.base_score),
        "earned": _text(summary.earned),
        "applicable_max": _text(summary.applicable_max),
        "grade": summary.grade,
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "points": _text(area.points),
                "max_points": _text(area.max_points),
                "applicable_max": _text(area.applicable_max),
                "groups": [
                    {"code": group.code, "name": group.name, "points": _text(group.points)} for group in area.children
                ],
            }
            for area in summary.areas
        ],
        "indicators": {
            code: {
                "points": _text(score.points),
                "max_points": _text(score.max_points),
                "explanation": score.explanation,
            }
            for code, score in scores.items()
        },
    }
