"""Reads of frameworks: the list, the tree, last year's edition and indicator lineage (comparing two
editions is comparison.py).

Trees come back as frozen dataclasses with everything fetched, so templates and scoring never query.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from django.db.models import Count, Prefetch, QuerySet

from .models import (
    APPLICABILITY_FIELDS,
    AdjustmentItem,
    Area,
    AssessmentPoint,
    GradeThreshold,
    Group,
    Indicator,
    IndicatorFramework,
    ValidationRule,
)


def frameworks_for_list() -> QuerySet[IndicatorFramework]:
    return IndicatorFramework.objects.select_related("cloned_from").annotate(
        indicator_count=Count("indicators", distinct=True)
    )


def framework_published_for_year(year: int) -> IndicatorFramework | None:
    """The edition returns of `year` are filed against."""
    return IndicatorFramework.objects.filter(year=year, status=IndicatorFramework.Status.PUBLISHED).first()


def indicators_for_department_kind(*, framework: IndicatorFramework, kind: str) -> QuerySet[Indicator]:
    """The indicators a department of this kind reports, in tree order."""
    return (
        Indicator.objects.filter(framework=framework, **{APPLICABILITY_FIELDS[kind]: True})
        .select_related("group__area", "provision_row__provider")
        .order_by("group__area__order", "group__order", "order", "code")
    )


# --- the tree ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorNode:
    indicator: Indicator
    assessment_points: tuple[AssessmentPoint, ...]
    validation_rules: tuple[ValidationRule, ...]


@dataclass(frozen=True)
class GroupNode:
    group: Group
    indicator_nodes: tuple[IndicatorNode, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(node.indicator for node in self.indicator_nodes)


@dataclass(frozen=True)
class AreaNode:
    area: Area
    groups: tuple[GroupNode, ...]

    @property
    def indicator_count(self) -> int:
        return sum(len(group.indicator_nodes) for group in self.groups)


@dataclass(frozen=True)
class FrameworkTree:
    framework: IndicatorFramework
    areas: tuple[AreaNode, ...]
    cross_rules: tuple[ValidationRule, ...]  # rules not attached to one indicator
    adjustments: tuple[AdjustmentItem, ...]
    grade_thresholds: tuple[GradeThreshold, ...] = ()

    @property
    def indicators(self) -> list[Indicator]:
        return [indicator for area in self.areas for group in area.groups for indicator in group.indicators]

    def adjustments_of(self, kind: str) -> list[AdjustmentItem]:
        return [item for item in self.adjustments if item.kind == kind]


# Published and archived editions never change (a change makes a new version, and reopening one
# to draft changes its updated_at), so their trees are kept per process: every entry page, autosave,
# review page and score sheet needs the tree, and loading it is eight queries and ~300 model rows.
_TREE_CACHE: OrderedDict[tuple[object, ...], FrameworkTree] = OrderedDict()
_TREE_CACHE_SIZE = 32
_TREE_CACHE_LOCK = threading.Lock()


def framework_tree(framework: IndicatorFramework, *, department_kind: str = "") -> FrameworkTree:
    """The whole framework in a fixed number of queries (none when a published edition's tree is
    already held), in display order; with a department kind, only the indicators that apply to it."""
    if framework.is_draft or framework.updated_at is None:
        return _framework_tree_load(framework, department_kind=department_kind)
    key = (framework.pk, framework.updated_at, framework.status, department_kind)
    with _TREE_CACHE_LOCK:
        tree = _TREE_CACHE.get(key)
        if tree is not None:
            _TREE_CACHE.move_to_end(key)
    if tree is None:
        tree = _framework_tree_load(framework, department_kind=department_kind)
        with _TREE_CACHE_LOCK:
            _TREE_CACHE[key] = tree
            while len(_TREE_CACHE) > _TREE_CACHE_SIZE:
                _TREE_CACHE.popitem(last=False)
    return tree if tree.framework is framework else replace(tree, framework=framework)


def framework_tree_cache_clear() -> None:
    with _TREE_CACHE_LOCK:
        _TREE_CACHE.clear()


def _framework_tree_load(framework: IndicatorFramework, *, department_kind: str = "") -> FrameworkTree:
    indicators = Indicator.objects.order_by("order", "code")
    if department_kind:
        indicators = indicators.filter(**{APPLICABILITY_FIELDS[department_kind]: True})
    indicators = indicators.select_related("provision_row__provider").prefetch_related(
        Prefetch("assessment_points", queryset=AssessmentPoint.objects.order_by("order", "code")),
        Prefetch("validation_rules", queryset=ValidationRule.objects.order_by("order", "code")),
    )
    areas = (
        Area.objects.filter(framework=framework)
        .order_by("order", "code")
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=Group.objects.order_by("order", "code").prefetch_related(
                    Prefetch("indicators", queryset=indicators)
                ),
            )
        )
    )
    area_nodes = tuple(
        AreaNode(
            area=area,
            groups=tuple(
                GroupNode(
                    group=group,
                    indicator_nodes=tuple(
                        IndicatorNode(
                            indicator=indicator,
                            assessment_points=tuple(indicator.assessment_points.all()),
                            validation_rules=tuple(indicator.validation_rules.all()),
                        )
                        for indicator in group.indicators.all()
                    ),
                )
                for group in area.groups.all()
            ),
        )
        for area in areas
    )
    return FrameworkTree(
        framework=framework,
        areas=area_nodes,
        cross_rules=tuple(framework.validation_rules.filter(indicator__isnull=True).order_by("order", "code")),
        adjustments=tuple(framework.adjustment_items.order_by("kind", "order", "code")),
        grade_thresholds=tuple(framework.grade_thresholds.order_by("department_kind", "-min_score")),
    )


# --- last year -----------------------------------------------------------------------------


def previous_framework(framework: IndicatorFramework) -> IndicatorFramework | None:
    """Last year's edition: the nearest earlier-year ancestor along `cloned_from`, else the
    published (or latest archived) edition of the year before."""
    ancestor = framework.cloned_from
    seen = {framework.pk}
    while ancestor is not None and ancestor.pk not in seen:
        if ancestor.year < framework.year:
            return ancestor
        seen.add(ancestor.pk)
        ancestor = ancestor.cloned_from
    return framework_published_for_year(framework.year - 1) or (
        IndicatorFramework.objects.filter(year=framework.year - 1, status=IndicatorFramework.Status.ARCHIVED)
        .order_by("-version")
        .first()
    )


def indicator_predecessors(framework: IndicatorFramework) -> dict[str, list[Indicator]]:
    """For each indicator code of `framework`, last year's indicator(s) it continues, found through
    `previous_code` (a rename, or several codes for a merge) or else the same code. New indicators
    map to an empty list. Two queries."""
    previous = previous_framework(framework)
    if previous is None:
        return {code: [] for code in framework.indicators.values_list("code", flat=True)}
    old_by_code = {indicator.code: indicator for indicator in previous.indicators.all()}
    return {
        indicator.code: [old_by_code[code] for code in indicator.predecessor_codes if code in old_by_code]
        # Not framework.indicators.only(...): the related manager sets `framework` on every row it
        # returns, which reloads the deferred framework_id one query per indicator.
        for indicator in Indicator.objects.filter(framework=framework).only("code", "previous_code")
    }
