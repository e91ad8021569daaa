"""Reads of returns. Everything a page or a check needs is fetched here, in a fixed number of
queries independent of the number of indicators, and handed on as frozen data.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, QuerySet

from accounts.models import User
from indicators.lineage import carry_forward
from indicators.models import Indicator
from indicators.readings import IndicatorReading
from indicators.relations import Contradictions, contradictions
from indicators.selectors import FrameworkTree, framework_tree
from indicators.validation import derive_readings

from ..models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ReturnTransition, ValueChange
from ..permissions import readable_returns_for_user
from ..values import TYPED_COLUMNS, filled_readings


@dataclass(frozen=True)
class ReturnData:
    """One return with its framework tree, rows, narratives, evidence counts and last year."""

    annual_return: AnnualReturn
    tree: FrameworkTree
    applicable: tuple[Indicator, ...]  # in tree order, derived ones included
    rows: dict[int, IndicatorValue]  # by indicator id (filled-in indicators only; derived have none)
    narratives: dict[str, NarrativeSection]
    evidence_counts: dict[int | None, int]  # by indicator id; None: evidence of the whole return
    previous_return: AnnualReturn | None
    previous_readings: dict[str, IndicatorReading]  # keyed by this year's codes
    readings: dict[str, IndicatorReading] = field(default_factory=dict)  # this year's, derived included

    @cached_property  # asked once per field on the entry page
    def is_targeted(self) -> bool:
        """Sent back for named indicators/sections only: then only those may change."""
        return any(row.is_reopened for row in self.rows.values()) or any(
            section.is_reopened for section in self.narratives.values()
        )

    def row_for(self, indicator: Indicator) -> IndicatorValue | None:
        return self.rows.get(indicator.pk)


def return_data_load(
    annual_return: AnnualReturn, *, figures_only: bool = False, with_page_details: bool = True
) -> ReturnData:
    """With `figures_only`, this year's values and nothing else (no narratives, evidence counts or
    last year): what scoring reads, for every return of a year at once. Without `with_page_details`,
    no narratives or evidence counts (the review page lists the evidence files itself).

    Last year's values are read as their figures alone (StoredFigures), in a query of their own:
    building a hundred more model rows with every column (texts, JSON, times) cost more than the
    second query (callgrind at city scale: 197 -> 186 M instructions per entry page)."""
    tree = framework_tree(annual_return.framework)
    kind = annual_return.department.kind
    applicable = tuple(indicator for indicator in tree.indicators if indicator.applies_to(kind))
    by_id = {indicator.pk: indicator for indicator in applicable}
    previous_return = None if figures_only else _previous_return(annual_return)
    rows = {}
    # Unordered: the rows are looked up by indicator, and the model's ordering joined the return, its
    # unit and the indicator to sort them (more than half of the review page's database time).
    for row in IndicatorValue.objects.filter(annual_return=annual_return).order_by():
        indicator = by_id.get(row.indicator_id)
        if indicator is not None:
            row.indicator = indicator  # the tree's instance: no query per row
            rows[row.indicator_id] = row
    readings = derive_readings(
        applicable,
        filled_readings((row.indicator, row) for row in rows.values()),
    )
    narratives: dict[str, NarrativeSection] = {}
    evidence_counts: dict[int | None, int] = {}
    if not figures_only and with_page_details:
        narratives = {section.kind: section for section in NarrativeSection.objects.filter(annual_return=annual_return)}
        evidence_counts = dict(
            Evidence.objects.filter(annual_return=annual_return, deleted_at__isnull=True)
            .values_list("indicator_id")
            .annotate(n=Count("pk"))
            .values_list("indicator_id", "n")
        )
    return ReturnData(
        annual_return=annual_return,
        tree=tree,
        applicable=applicable,
        rows=rows,
        narratives=narratives,
        evidence_counts=evidence_counts,
        previous_return=previous_return,
        previous_readings=_previous_readings(previous_return, _stored_figures(previous_return), tree)
        if previous_return
        else {},
        readings=readings,
    )


def return_contradictions(annual_return: AnnualReturn, *, data: ReturnData | None = None) -> Contradictions:
    """Which of a return's figures contradict one another under the framework's relations (数据关系):
    what the report layer and 报告体检 must not build a sentence on. Pass `data` when already loaded."""
    data = data or return_data_load(annual_return, figures_only=True)
    rules = [rule for node in _all_indicator_nodes(data.tree) for rule in node.validation_rules]
    return contradictions([*rules, *data.tree.cross_rules], data.readings)


def _all_indicator_nodes(tree: FrameworkTree):
    for area in tree.areas:
        for group in area.groups:
            yield from group.indicator_nodes


def is_targeted_return(annual_return: AnnualReturn) -> bool:
    """Sent back for named indicators or sections (as ReturnData.is_targeted says from all rows): only
    a reviewer's targeted return reopens single rows, and that needs a submission."""
    if annual_return.first_submitted_at is None:
        return False
    return (
        IndicatorValue.objects.filter(annual_return=annual_return, is_reopened=True).exists()
        or NarrativeSection.objects.filter(annual_return=annual_return, is_reopened=True).exists()
    )


def _previous_return(annual_return: AnnualReturn) -> AnnualReturn | None:
    return (
        AnnualReturn.objects.filter(department_id=annual_return.department_id, year=annual_return.year - 1)
        .select_related("framework")
        .order_by("pk")  # one at most (a unit's year is unique): not the list order, which joins the unit
        .first()
    )


class StoredFigures(NamedTuple):
    """What `values.reading_of` and `values.is_filled` read of a stored row, and its indicator."""

    indicator_id: int
    value_integer: int | None
    value_decimal: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    value_boolean: bool | None
    value_date: datetime.date | None
    value_choice: str
    value_choices: list[str]
    value_text: str
    state: str
    state_reason: str


def _stored_figures(annual_return: AnnualReturn) -> list[StoredFigures]:
    figures = IndicatorValue.objects.filter(annual_return=annual_return).order_by()
    return [StoredFigures(*values) for values in figures.values_list("indicator_id", *TYPED_COLUMNS)]


def _previous_readings(
    previous: AnnualReturn, rows: list[StoredFigures], tree: FrameworkTree
) -> dict[str, IndicatorReading]:
    """Last year's figures under this year's codes."""
    old_indicators = framework_tree(previous.framework).indicators
    by_id = {indicator.pk: indicator for indicator in old_indicators}
    old_readings = filled_readings((by_id[row.indicator_id], row) for row in rows if row.indicator_id in by_id)
    old_readings = derive_readings(old_indicators, old_readings)
    return carry_forward(_predecessor_codes(tree, old_indicators), old_readings)


def _predecessor_codes(tree: FrameworkTree, old_indicators: list[Indicator]) -> dict[str, list[str]]:
    """This year's code → last year's code(s), as indicators.selectors.indicator_predecessors maps
    them (previous_code, else the same code), against the edition last year's return was filed on."""
    old_codes = {indicator.code for indicator in old_indicators}
    return {
        indicator.code: [code for code in indicator.predecessor_codes if code in old_codes]
        for indicator in tree.indicators
    }


def returns_list_for_user(user: User) -> QuerySet[AnnualReturn]:
    return (
        readable_returns_for_user(user)
        .select_related("department", "framework")
        .order_by("-year", "department__sort_order", "department__code")
    )


def transitions_of(annual_return: AnnualReturn) -> list[ReturnTransition]:
    return list(annual_return.transitions.select_related("user").order_by("created_at", "pk"))


def value_changes_of(annual_return: AnnualReturn, *, indicator_id: int | None = None) -> QuerySet[ValueChange]:
    """Newest first; the page paginates it."""
    changes = annual_return.value_changes.select_related("indicator", "user").order_by("-changed_at", "-pk")
    if indicator_id is not None:
        changes = changes.filter(indicator_id=indicator_id)
    return changes


@dataclass(frozen=True)
class ReturnProgress:
    filled: int
    total: int

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 100


def progress_by_return(returns: list[AnnualReturn]) -> dict[int, ReturnProgress]:
    """Filled rows over all rows, per return, as stored on the returns (assessments.services.completion keeps
    them): no query, however many returns a list or the progress board shows."""
    return {r.pk: ReturnProgress(filled=r.filled_count, total=r.item_count) for r in returns}


def status_counts(returns: QuerySet[AnnualReturn]) -> Counter:
    return Counter(dict(returns.values_list("status").annotate(n=Count("pk")).values_list("status", "n")))
