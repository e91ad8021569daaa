"""One field of the entry page, as an autosave answers it: the field with its problems, and the
progress of its area and of the whole return. Only what that field needs is read — the rows its
checks read (its own, those its rules and relations name, and the inputs of derived figures among
them), last year's figure it is compared with, its evidence count — and the progress is counted in
the database. An autosave is most of the requests on a deadline day; rebuilding the whole page for
one field was most of its cost.

The problems come from the same `return_check` as the page's, run over those rows only: a field's
problems depend on nothing else, and tests/assessments/test_entry_field.py compares every field
with the full page's.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper

from indicators.expressions import parse, references
from indicators.lineage import carry_forward
from indicators.models import Area, Indicator, ValueType
from indicators.provisions import provision_sources
from indicators.relations import relation_rules
from indicators.selectors import FrameworkTree, framework_tree
from indicators.validation import derive_readings

from ..models import AnnualReturn, Evidence, IndicatorValue
from ..services.completion import COLUMNS_FILLED_Q
from ..values import filled_readings
from .checking import return_check
from .entry_page import Field, FieldLinks, Progress, build_field
from .provided import provided_notes
from .returns import ReturnData, _all_indicator_nodes, _previous_return, is_targeted_return

# The swing check compares these types only (indicators.validation.check_year_over_year).
_COMPARED_TYPES = (ValueType.COUNT, ValueType.AMOUNT, ValueType.RATE)


@dataclass(frozen=True)
class AreaProgress(Progress):
    area: Area


@dataclass(frozen=True)
class EntryField:
    field: Field
    area: AreaProgress
    overall: Progress  # the whole return's, as the page's progress bar shows it


def entry_field(
    annual_return: AnnualReturn, indicator: Indicator, *, can_edit: bool, with_provided: bool = False
) -> EntryField:
    """`indicator` is an applicable indicator of the return's tree that has a row (the caller
    checked). `with_provided`: the provided figure's note too (the whole field is shown again;
    an autosave's answer does not show it)."""
    tree = framework_tree(annual_return.framework)
    kind = annual_return.department.kind
    applicable = [item for item in tree.indicators if item.applies_to(kind)]
    codes = _codes_read_by_checks(tree, applicable, indicator)
    by_id = {item.pk: item for item in applicable if item.code in codes}
    rows = {}
    for row in IndicatorValue.objects.filter(annual_return=annual_return, indicator_id__in=list(by_id)).order_by():
        row.indicator = by_id[row.indicator_id]  # the tree's instance, as the page's rows carry
        rows[row.indicator_id] = row
    readings = derive_readings(
        applicable,
        filled_readings((row.indicator, row) for row in rows.values()),
    )
    needs_files = indicator.is_evidence_required or indicator.value_type == ValueType.EVIDENCE
    evidence = (
        Evidence.objects.filter(annual_return=annual_return, indicator=indicator, deleted_at__isnull=True).count()
        if needs_files or with_provided
        else 0
    )
    data = ReturnData(
        annual_return=annual_return,
        tree=tree,
        applicable=tuple(applicable),
        rows=rows,
        narratives={},
        evidence_counts={indicator.pk: evidence} if evidence else {},
        previous_return=None,
        previous_readings=_previous_reading(annual_return, indicator, full=with_provided),
        readings=readings,
    )
    shows_provision = with_provided and indicator.is_provided
    field = build_field(
        data,
        return_check(data),
        indicator,
        can_edit=can_edit,
        links=FieldLinks.of(annual_return),
        notes=provided_notes(annual_return) if shows_provision else None,
        sources=provision_sources([indicator], [annual_return.department_id]) if shows_provision else None,
        is_targeted=is_targeted_return(annual_return),
    )
    area_node = next(node for node in tree.areas if any(indicator in group.indicators for group in node.groups))
    area_ids = {item.pk for group in area_node.groups for item in group.indicators}
    area, overall = _progress(annual_return, applicable, area_ids)
    return EntryField(field=field, area=AreaProgress(*area, area=area_node.area), overall=Progress(*overall))


def _codes_read_by_checks(tree: FrameworkTree, applicable: list[Indicator], indicator: Indicator) -> set[str]:
    """The codes whose readings the field's problems depend on: its own, those its own rules read,
    those of every relation it is part of, and, for derived figures among them, their inputs."""
    own_rules = [rule for rule in _all_rules(tree) if rule.indicator_id == indicator.pk]
    codes = {indicator.code}
    for rule in own_rules:
        codes |= references(parse(rule.expression))
    for rule in relation_rules(_all_rules(tree)):
        read = references(parse(rule.expression))
        if indicator.code in read:
            codes |= read
    formulas = {item.code: item.formula for item in applicable if item.is_derived}
    pending = [code for code in codes if code in formulas]
    while pending:
        for code in references(parse(formulas[pending.pop()])) - codes:
            codes.add(code)
            if code in formulas:
                pending.append(code)
    return codes


def _all_rules(tree: FrameworkTree) -> list:
    return [rule for node in _all_indicator_nodes(tree) for rule in node.validation_rules] + list(tree.cross_rules)


def _previous_reading(annual_return: AnnualReturn, indicator: Indicator, *, full: bool) -> dict:
    """{code: last year's reading} for this one indicator, as the page's `_previous_readings` maps
    it: read only when the swing check compares it, or the field is shown whole (上年：…)."""
    if not full and indicator.value_type not in _COMPARED_TYPES:
        return {}
    found = _previous_reading_of_rows(annual_return, indicator)
    if found is not None:
        return found
    previous = _previous_return(annual_return)
    if previous is None:
        return {}
    old_indicators = framework_tree(previous.framework).indicators
    old_codes = {item.code for item in old_indicators}
    predecessors = [code for code in indicator.predecessor_codes if code in old_codes]
    formulas = {item.code: item.formula for item in old_indicators if item.is_derived}
    needed, pending = set(predecessors), [code for code in predecessors if code in formulas]
    while pending:
        for code in references(parse(formulas[pending.pop()])) - needed:
            needed.add(code)
            if code in formulas:
                pending.append(code)
    by_id = {item.pk: item for item in old_indicators if item.code in needed}
    rows = IndicatorValue.objects.filter(annual_return=previous, indicator_id__in=list(by_id)).order_by()
    old_readings = filled_readings((by_id[row.indicator_id], row) for row in rows)
    return carry_forward({indicator.code: predecessors}, derive_readings(old_indicators, old_readings))


def _previous_reading_of_rows(annual_return: AnnualReturn, indicator: Indicator) -> dict | None:
    """`_previous_reading` in one query where last year's rows say it all: the predecessors' rows of
    last year's return (a unit's year is unique), each carrying that return's edition. None when no
    row comes back (no return last year, or a predecessor derived: derived figures have no row) or
    a predecessor is derived there (its inputs are needed too): the caller reads it the long way."""
    codes = indicator.predecessor_codes
    rows = list(
        IndicatorValue.objects.filter(
            annual_return__department_id=annual_return.department_id,
            annual_return__year=annual_return.year - 1,
            indicator__code__in=codes,
        )
        .select_related("annual_return__framework")
        .order_by()
    )
    if not rows:
        return None
    old_indicators = framework_tree(rows[0].annual_return.framework).indicators
    by_code = {item.code: item for item in old_indicators if item.code in codes}
    if any(item.is_derived for item in by_code.values()):
        return None
    by_id = {item.pk: item for item in by_code.values()}
    old_readings = filled_readings((by_id[row.indicator_id], row) for row in rows if row.indicator_id in by_id)
    predecessors = [code for code in codes if code in by_code]
    return carry_forward({indicator.code: predecessors}, derive_readings(old_indicators, old_readings))


def _progress(
    annual_return: AnnualReturn, applicable: list[Indicator], area_ids: set[int]
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(filled, total) of the area and of the return, as the page's AreaSection counts them (the rows
    of applicable indicators neither statistical nor provided whole) and services.completion tells
    filled (FILLED_Q): one flag per row from the database, counted here (four filtered counts in SQL
    cost more to build than the rows they count). The flag leaves out the evidence-only rows, which
    FILLED_Q counts filled whatever they hold, so the query needs no join to the indicators."""
    counted = {
        item.pk: item.value_type == ValueType.EVIDENCE
        for item in applicable
        if not item.is_statistical and not item.is_wholly_provided
    }
    flags = (
        IndicatorValue.objects.filter(annual_return=annual_return)
        .order_by()
        .annotate(is_filled=ExpressionWrapper(COLUMNS_FILLED_Q, output_field=BooleanField()))
        .values_list("indicator_id", "is_filled")
    )
    area_filled = area_total = filled = total = 0
    for indicator_id, columns_filled in flags:
        is_evidence = counted.get(indicator_id)
        if is_evidence is None:
            continue
        row_is_filled = is_evidence or columns_filled
        total += 1
        filled += row_is_filled
        if indicator_id in area_ids:
            area_total += 1
            area_filled += row_is_filled
    return (area_filled, area_total), (filled, total)
