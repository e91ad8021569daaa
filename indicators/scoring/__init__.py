"""Scoring: pure rule functions (rules.py), one indicator (indicator.py), roll-up and grades (rollup.py)."""

from .indicator import IndicatorScore, Judgement, meets_target, score_indicator, validate_scoring_params
from .rollup import ScoreSummary, grade_for, summarise, thresholds_for_kind
from .rules import ScoringError

__all__ = [
    "IndicatorScore",
    "Judgement",
    "ScoreSummary",
    "ScoringError",
    "grade_for",
    "meets_target",
    "score_indicator",
    "summarise",
    "thresholds_for_kind",
    "validate_scoring_params",
]
