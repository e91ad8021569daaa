"""Figures of approved returns for other systems (the API's approved-figures endpoint): each
stored value of a return the bureau has approved (已审核 or 已确认), one row per unit × indicator,
with what the presenter needs joined, so a page of rows costs one query whatever its size."""

from collections.abc import Collection

from django.db.models import Q, QuerySet

from indicators.models import ValueState, ValueType

from ..models import AnnualReturn, IndicatorValue

APPROVED_STATUSES = (AnnualReturn.Status.APPROVED, AnnualReturn.Status.CONFIRMED)

# A row with something in it (as assessments.values.is_filled says, in SQL): a state, or a figure in
# one of the typed columns. Evidence-only indicators hold no figure.
_RECORDED = (
    ~Q(state=ValueState.VALUE)
    | Q(value_integer__isnull=False)
    | Q(value_decimal__isnull=False)
    | Q(numerator__isnull=False)
    | Q(denominator__isnull=False)
    | Q(value_boolean__isnull=False)
    | Q(value_date__isnull=False)
    | ~Q(value_choice="")
    | ~Q(value_choices=[])
    | ~Q(value_text="")
)

_INDICATOR_FIELDS = (
    "indicator__code",
    "indicator__name",
    "indicator__value_type",
    "indicator__unit",
    "indicator__numerator_label",
    "indicator__numerator_unit",
    "indicator__denominator_label",
    "indicator__denominator_unit",
)
_VALUE_FIELDS = (
    "id",
    "annual_return_id",
    "indicator_id",
    "state",
    "state_reason",
    "value_integer",
    "value_decimal",
    "numerator",
    "denominator",
    "value_boolean",
    "value_date",
    "value_choice",
    "value_choices",
    "value_text",
    "updated_at",
)


def approved_values(
    *, department_ids: Collection[int], year: int | None = None, indicator_code: str = ""
) -> QuerySet[IndicatorValue]:
    """The recorded values of approved returns of the given units; the caller orders and pages."""
    values = IndicatorValue.objects.filter(
        _RECORDED,
        annual_return__status__in=APPROVED_STATUSES,
        annual_return__department_id__in=department_ids,
    ).exclude(indicator__value_type=ValueType.EVIDENCE)
    if year is not None:
        values = values.filter(annual_return__year=year)
    if indicator_code:
        values = values.filter(indicator__code=indicator_code)
    return values.select_related("indicator", "annual_return__department").only(
        *_VALUE_FIELDS,
        *_INDICATOR_FIELDS,
        "annual_return__year",
        "annual_return__status",
        "annual_return__department__code",
        "annual_return__department__name",
    )
