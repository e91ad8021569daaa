"""How much of a return is filled in: rows with a usable value over all rows (an evidence-only
indicator counts as filled; so do 不适用, 暂无数据 and one part of a rate alone, as values.is_filled
says). Statistical indicators (统计指标) are figures
for reports, optional by default, and are not counted. Stored on the return (filled_count,
item_count) and recounted here, in the database, by whoever writes values: the entry page, the Excel
fill and import (services.entry.value_rows_write), the opening of a year, the demo and the data
generator. Lists and the progress board read the stored counts and never count values themselves.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from indicators.models import IndicatorNature, ProvidedPart, ValueState, ValueType

from ..models import AnnualReturn, IndicatorValue

_TYPED_FILLED_Q = (
    Q(value_integer__isnull=False)
    | Q(value_decimal__isnull=False)
    | Q(numerator__isnull=False)
    | Q(denominator__isnull=False)
    | Q(value_boolean__isnull=False)
    | Q(value_date__isnull=False)
    | ~Q(value_choice="")
    | ~Q(value_text="")
    | ~Q(value_choices=[])
)
FIGURE_FILLED_Q = _TYPED_FILLED_Q | Q(indicator__value_type=ValueType.EVIDENCE)
# A figure, or 不适用 / 暂无数据 with no figure (values.is_filled).
FILLED_Q = FIGURE_FILLED_Q | ~Q(state=ValueState.VALUE)
# FILLED_Q but for the evidence-only rows (filled whatever their columns), without the join to the
# indicator: for a caller that knows each row's value type (selectors.entry_field's progress).
COLUMNS_FILLED_Q = _TYPED_FILLED_Q | ~Q(state=ValueState.VALUE)


def is_counted_as_filled(row: IndicatorValue) -> bool:
    """FILLED_Q of one loaded row (its indicator loaded too), column for column: whether a save
    changed what the stored completion counts (tests/assessments/test_completion.py holds the two
    side by side)."""
    if row.indicator.value_type == ValueType.EVIDENCE or row.state != ValueState.VALUE:
        return True
    return (
        any(getattr(row, name) is not None for name in _NULLABLE_FIGURES)
        or row.value_choice != ""
        or row.value_text != ""
        or row.value_choices != []
    )


_NULLABLE_FIGURES = ("value_integer", "value_decimal", "numerator", "denominator", "value_boolean", "value_date")


# The rows completion counts: not statistical figures, nor values a 数据提供单位 provides whole
# (the unit never types them; indicators.IndicatorProvision).
COUNTED_Q = ~Q(indicator__nature=IndicatorNature.STATISTICAL) & ~Q(indicator__provision_row__part=ProvidedPart.WHOLE)


def completion_counts(
    value_model: type[models.Model] = IndicatorValue, *, counted: Q = COUNTED_Q, filled: Q = FILLED_Q
) -> dict[str, Coalesce]:
    """filled_count and item_count of each return as subquery expressions for an UPDATE of returns.
    The model is a parameter so the migration that added the columns fills them the same way (with
    `counted` Q() there: indicators had no nature yet; `filled` FIGURE_FILLED_Q: values had no state)."""

    def count_of(values_filter: Q | None) -> Coalesce:
        rows = (
            value_model._default_manager.filter(counted, annual_return=OuterRef("pk"))
            .order_by()
            .values("annual_return")
        )
        number = Count("pk", filter=values_filter) if values_filter is not None else Count("pk")
        return Coalesce(Subquery(rows.annotate(n=number).values("n")[:1], output_field=IntegerField()), 0)

    return {"filled_count": count_of(filled), "item_count": count_of(None)}


def completion_recount(returns: QuerySet[AnnualReturn] | Iterable[int]) -> int:
    """Recount the stored completion of these returns (a queryset, or ids) in one UPDATE."""
    if not isinstance(returns, QuerySet):
        returns = AnnualReturn.objects.filter(pk__in=list(returns))
    return returns.update(**completion_counts())


def completion_counted(returns: QuerySet[AnnualReturn]) -> dict[int, tuple[int, int]]:
    """(filled, total) per return counted from the values now: what the stored counts must equal."""
    counts = (
        IndicatorValue.objects.filter(COUNTED_Q, annual_return__in=returns)
        .values("annual_return_id")
        .annotate(total=Count("pk"), filled=Count("pk", filter=FILLED_Q))
        .values_list("annual_return_id", "filled", "total")
        .order_by()
    )
    found = {pk: (filled, total) for pk, filled, total in counts}
    return {pk: found.get(pk, (0, 0)) for pk in returns.values_list("pk", flat=True)}
