"""自评分: the score a department's own figures earn under the framework's rules, before review.

Computed with indicators.scoring from loaded data (no queries). Items the reviewer judges
(审核员评定) are left out rather than counted as 0, so the base score is scaled over what the
figures alone can earn; bonuses, deductions and vetoes are the reviewers' registers and are not
part of the self score.
"""

from indicators.models import ScoringRule
from indicators.scoring import IndicatorScore, ScoreSummary, score_indicator, summarise, thresholds_for_kind
from indicators.scoring.breakdown import areas_breakdown, points_text

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


def score_detail(summary: ScoreSummary, scores: dict[str, IndicatorScore]) -> dict:
    """The breakdown stored with the return (JSON): areas, groups and each indicator's points."""
    return {
        "total": points_text(summary.total),
        "base_score": points_text(summary.base_score),
        "earned": points_text(summary.earned),
        "applicable_max": points_text(summary.applicable_max),
        "grade": summary.grade,
        "areas": areas_breakdown(summary),
        "indicators": {
            code: {
                "points": points_text(score.points),
                "max_points": points_text(score.max_points),
                "explanation": score.explanation,
            }
            for code, score in scores.items()
        },
    }
