"""A score summary as stored JSON: the areas and groups with their points, written once for the
self score stored at submission (assessments) and the score sheet's breakdown (reviews)."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .rollup import NodeTotal, ScoreSummary
from .rules import POINTS_QUANTUM


def points_text(number: Decimal | None) -> str | None:
    """Points as text with two decimals (rules round half up to 0.01; a plain 0 becomes 0.00)."""
    return None if number is None else f"{number.quantize(POINTS_QUANTUM):f}"


def _node(node: NodeTotal) -> dict[str, Any]:
    return {
        "code": node.code,
        "name": node.name,
        "points": points_text(node.points),
        "max_points": points_text(node.max_points),
        "applicable_max": points_text(node.applicable_max),
    }


def areas_breakdown(
    summary: ScoreSummary, indicator_entry: Callable[[NodeTotal], dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Each area with its groups; with `indicator_entry`, each group lists its indicators too."""

    def group(node: NodeTotal) -> dict[str, Any]:
        entry = _node(node)
        if indicator_entry is not None:
            entry["indicators"] = [indicator_entry(leaf) for leaf in node.children]
        return entry

    return [{**_node(area), "groups": [group(child) for child in area.children]} for area in summary.areas]
