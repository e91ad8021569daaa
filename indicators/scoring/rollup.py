"""Roll-up 三级 → 二级 → 一级 → total, bonus and deductions, veto, and the grade (等次).

Each level is capped at its own maximum. Indicators that do not apply to a department (absent from
`scores`, or excluded because it had no such matters and the rule says so) leave the maximum, and the
base score is scaled back to the framework's base points (按适用指标折算), so a township is not
marked down for a 复议机关 indicator it can never have.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..models import GradeThreshold
from . import rules
from .indicator import IndicatorScore

if TYPE_CHECKING:  # selectors reads the database; scoring is pure
    from ..selectors import AreaNode

Grade = GradeThreshold.Grade

# Proposed default (domain notes §c.4) when a framework sets no thresholds for a department kind.
DEFAULT_THRESHOLDS: tuple[tuple[str, Decimal], ...] = (
    (Grade.EXCELLENT, Decimal("90")),
    (Grade.GOOD, Decimal("80")),
    (Grade.PASS, Decimal("60")),
)


@dataclass(frozen=True)
class NodeTotal:
    code: str
    name: str
    points: Decimal
    max_points: Decimal  # the level's own maximum
    applicable_max: Decimal  # what was attainable for this department
    children: tuple["NodeTotal", ...] = ()


@dataclass(frozen=True)
class ScoreSummary:
    areas: tuple[NodeTotal, ...]
    earned: Decimal
    applicable_max: Decimal
    base_score: Decimal
    bonus: Decimal
    deductions: Decimal
    total: Decimal
    is_vetoed: bool
    grade: str

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label


def _capped(children: Sequence[NodeTotal], *, code: str, name: str, max_points: Decimal) -> NodeTotal:
    earned = sum((child.points for child in children), rules.ZERO)
    attainable = sum((child.applicable_max for child in children), rules.ZERO)
    return NodeTotal(
        code=code,
        name=name,
        points=min(earned, max_points),
        max_points=max_points,
        applicable_max=min(attainable, max_points),
        children=tuple(children),
    )


def roll_up_areas(areas: "Iterable[AreaNode]", scores: Mapping[str, IndicatorScore]) -> tuple[NodeTotal, ...]:
    """`areas` is the tree from selectors.framework_tree(): area nodes → group nodes → indicators."""
    area_totals: list[NodeTotal] = []
    for area_node in areas:
        group_totals: list[NodeTotal] = []
        for group_node in area_node.groups:
            leaves: list[NodeTotal] = []
            for indicator in group_node.indicators:
                score = scores.get(indicator.code)
                if score is None or score.points is None:  # no score, or excluded
                    continue
                leaves.append(
                    NodeTotal(indicator.code, indicator.name, score.points, score.max_points, score.max_points)
                )
            group = group_node.group
            group_totals.append(_capped(leaves, code=group.code, name=group.name, max_points=group.max_points))
        area = area_node.area
        area_totals.append(_capped(group_totals, code=area.code, name=area.name, max_points=area.max_points))
    return tuple(area_totals)


def grade_for(
    total: Decimal, *, thresholds: Iterable[tuple[str, Decimal]] = DEFAULT_THRESHOLDS, is_vetoed: bool = False
) -> str:
    """The highest grade whose lowest score the total reaches; any veto forces 不合格."""
    if is_vetoed:
        return Grade.FAIL
    for grade, minimum in sorted(thresholds, key=lambda pair: pair[1], reverse=True):
        if total >= minimum:
            return grade
    return Grade.FAIL


def thresholds_for_kind(thresholds: Iterable[GradeThreshold], department_kind: str) -> tuple[tuple[str, Decimal], ...]:
    """The framework's thresholds for a department kind, falling back to the all-kinds row, then to
    the defaults. `thresholds` are GradeThreshold rows (or anything with the same attributes)."""
    rows = list(thresholds)
    for kind in (department_kind, ""):
        chosen = tuple((row.grade, row.min_score) for row in rows if row.department_kind == kind)
        if chosen:
            return chosen
    return DEFAULT_THRESHOLDS


def summarise(
    *,
    areas: "Iterable[AreaNode]",
    scores: Mapping[str, IndicatorScore],
    base_points: Decimal,
    bonus_awards: Iterable[Decimal] = (),
    bonus_cap: Decimal = Decimal("5"),
    deductions: Iterable[tuple[Decimal, Decimal | None]] = (),
    is_vetoed: bool = False,
    thresholds: Iterable[tuple[str, Decimal]] = DEFAULT_THRESHOLDS,
) -> ScoreSummary:
    area_totals = roll_up_areas(areas, scores)
    earned = sum((area.points for area in area_totals), rules.ZERO)
    attainable = sum((area.applicable_max for area in area_totals), rules.ZERO)
    base_score = rules.clamp(earned * base_points / attainable, base_points) if attainable > 0 else rules.ZERO
    bonus = rules.bonus_total(bonus_awards, cap=bonus_cap)
    deducted = rules.deduction_total(deductions)
    total = rules.round_points(max(base_score + bonus - deducted, rules.ZERO))
    return ScoreSummary(
        areas=area_totals,
        earned=rules.round_points(earned),
        applicable_max=rules.round_points(attainable),
        base_score=base_score,
        bonus=bonus,
        deductions=deducted,
        total=total,
        is_vetoed=is_vetoed,
        grade=grade_for(total, thresholds=thresholds, is_vetoed=is_vetoed),
    )
