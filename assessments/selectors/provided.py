"""Figures from their source (数据提供单位): which returns a provider fills, its grid as data, and
what a unit's return shows of provided figures.

A provider's scope is the subtree of the government it belongs to (the city's 中级人民法院 provides
for every unit of the city, a district court for its district), assessed units only. An indicator
provided by a kind of unit (IndicatorProvision.provider_agency: "each unit's 人民法院") is the
provider's only for the units it is the nearest agency of that kind for (accounts.AgencyDirectory):
the city court then fills the city's own departments, each district court its district. The grid
costs a fixed number of queries whatever the number of units.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q, QuerySet

from accounts.models import Department, User
from accounts.selectors import AgencyDirectory, agency_directory, department_subtree_ids
from indicators.models import Indicator, IndicatorFramework
from indicators.presenting import Place, state_text
from indicators.provisions import needs_directory, provision_provider
from indicators.readings import IndicatorReading
from indicators.selectors import framework_tree

from ..models import AnnualReturn, IndicatorValue, ProvidedValue, ProvidedValueDispute, ProviderSubmission
from ..values import clean_raw, display_raw, parse_raw, raw_from_row, reading_of

PART_LABELS = {"value": "", "numerator": "分子", "denominator": "分母"}


def is_provider_user(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_provider and user.department_id)


def provider_scope_ids(provider: Department) -> set[int]:
    """Units the provider supplies figures for: the subtree of its government (itself if it is one)."""
    root = provider if provider.kind == Department.Kind.GOVERNMENT else provider.parent
    if root is None:
        return set(Department.objects.values_list("pk", flat=True))
    return department_subtree_ids(root_id=root.pk)


def provider_years(provider: Department) -> list[int]:
    """Years with a published framework in which the provider provides something, newest first."""
    provides = Q(indicators__provision_row__provider=provider)
    if provider.agency:
        provides |= Q(indicators__provision_row__provider_agency=provider.agency)
    return sorted(
        set(IndicatorFramework.objects.filter(provides, annual_returns__isnull=False).values_list("year", flat=True)),
        reverse=True,
    )


def provider_returns(provider: Department, year: int) -> QuerySet[AnnualReturn]:
    return (
        AnnualReturn.objects.filter(year=year, department_id__in=provider_scope_ids(provider))
        .select_related("department", "framework")
        .order_by("department__sort_order", "department__code")
    )


def provided_indicators(framework: IndicatorFramework, provider: Department) -> list[Indicator]:
    """The framework's indicators this provider provides, in framework order (from the cached tree)."""
    return [
        indicator
        for indicator in framework_tree(framework).indicators
        if (provision := indicator.provision) is not None and provision.is_provided_by(provider)
    ]


def provides_for(
    provider: Department, indicator: Indicator, department_id: int, directory: AgencyDirectory | None
) -> bool:
    """Whether this provider enters the indicator's figure for this unit (within its scope): always
    for a named provider, only where it is the unit's own agency of the kind otherwise."""
    provision = indicator.provision
    if provision is None or not provision.is_provided_by(provider):
        return False
    found = provision_provider(provision, department_id, directory)
    return found is not None and found.pk == provider.pk


@dataclass(frozen=True)
class GridColumn:
    indicator: Indicator
    part: str  # "value", "numerator", "denominator"

    @property
    def label(self) -> str:
        indicator = self.indicator
        if self.part == "numerator":
            return indicator.numerator_label or "分子"
        if self.part == "denominator":
            return indicator.denominator_label or "分母"
        return indicator.name

    @property
    def unit(self) -> str:
        indicator = self.indicator
        if self.part == "numerator":
            return indicator.numerator_unit
        if self.part == "denominator":
            return indicator.denominator_unit
        return indicator.unit

    @property
    def header(self) -> str:
        """The xlsx column header: the code, with .num / .den for a part (as the bureau's workbook)."""
        suffix = {"numerator": ".num", "denominator": ".den"}.get(self.part, "")
        return f"{self.indicator.code}{suffix}"


def grid_columns(indicators: list[Indicator]) -> list[GridColumn]:
    return [GridColumn(indicator, part) for indicator in indicators for part in indicator.provided_parts]


@dataclass(frozen=True)
class GridCell:
    column: GridColumn
    text: str
    version: int  # 0: nothing provided yet
    error: str
    is_applicable: bool  # the unit has a row for the indicator (it applies to its kind)
    is_locked: bool  # the return is 已确认（锁定）
    open_disputes: int
    self_reported: str  # the unit's own figure before the provider's, if any
    other_provider: str = ""  # the unit whose figure this is, when not this provider's (by kind of unit)

    @property
    def is_editable(self) -> bool:
        return self.is_applicable and not self.is_locked and not self.other_provider

    @property
    def key(self) -> str:
        return f"{self.column.indicator.pk}"


@dataclass(frozen=True)
class GridRow:
    annual_return: AnnualReturn
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class ProviderGrid:
    provider: Department
    year: int
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    submission: ProviderSubmission | None
    open_disputes: int
    filled: int
    total: int
    deadline: datetime.date | None = None  # provider_deadline, from what the grid has loaded

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.total) if self.total else 100


# What a grid cell reads of a provided value: named tuples, not model instances.
_GRID_VALUE_FIELDS = ("annual_return_id", "indicator_id", "raw_input", "input_error", "version", "self_reported_text")


def provider_grid(provider: Department, year: int) -> ProviderGrid:
    # What the grid reads of a return: its unit, framework, status and deadline (its timestamps were
    # a third of the page's row loading).
    returns = list(provider_returns(provider, year).only("department", "framework", "year", "status", "deadline"))
    submission = ProviderSubmission.objects.filter(provider=provider, year=year).first()
    deadline = _deadline(submission.deadline if submission else None, (r.deadline for r in returns))
    indicators = provided_indicators(returns[0].framework, provider) if returns else []
    columns = tuple(grid_columns(indicators))
    others: dict[tuple[int, int], str] = {}  # cells another unit of the kind provides: its name
    if needs_directory(indicators):
        directory = agency_directory()
        for annual_return in returns:
            for indicator in indicators:
                provision = indicator.provision
                if provision is None or not provision.is_by_agency:
                    continue
                found = provision_provider(provision, annual_return.department_id, directory)
                if found is None or found.pk != provider.pk:
                    others[(annual_return.pk, indicator.pk)] = found.display_name if found else "未确定"
        # A unit none of whose figures are this provider's is not its row (a district's units, for
        # the city court providing "each unit's own court" figures).
        returns = [
            annual_return
            for annual_return in returns
            if any((annual_return.pk, indicator.pk) not in others for indicator in indicators)
        ]
    indicator_ids = [indicator.pk for indicator in indicators]
    return_ids = [annual_return.pk for annual_return in returns]
    applicable = set(
        IndicatorValue.objects.filter(annual_return_id__in=return_ids, indicator_id__in=indicator_ids).values_list(
            "annual_return_id", "indicator_id"
        )
    )
    provided = {
        (value.annual_return_id, value.indicator_id): value
        for value in ProvidedValue.objects.filter(
            annual_return_id__in=return_ids, indicator_id__in=indicator_ids
        ).values_list(*_GRID_VALUE_FIELDS, named=True)
    }
    disputes: dict[tuple[int, int], int] = defaultdict(int)
    for return_id, indicator_id in ProvidedValueDispute.objects.filter(
        provided_value__annual_return_id__in=return_ids,
        provided_value__indicator_id__in=indicator_ids,
        status=ProvidedValueDispute.Status.OPEN,
    ).values_list("provided_value__annual_return_id", "provided_value__indicator_id"):
        disputes[(return_id, indicator_id)] += 1
    rows, filled, total = [], 0, 0
    for annual_return in returns:
        cells = []
        for column in columns:
            key = (annual_return.pk, column.indicator.pk)
            value = provided.get(key)
            text = _part_text(value.raw_input, column.part) if value else ""
            is_applicable = key in applicable
            other = others.get(key, "")
            if is_applicable and not other:
                total += 1
                filled += bool(text)
            cells.append(
                GridCell(
                    column=column,
                    text=text,
                    version=value.version if value else 0,
                    error=value.input_error if value else "",
                    is_applicable=is_applicable,
                    is_locked=annual_return.status == AnnualReturn.Status.CONFIRMED,
                    open_disputes=disputes.get(key, 0),
                    self_reported=value.self_reported_text if value else "",
                    other_provider=other,
                )
            )
        rows.append(GridRow(annual_return, tuple(cells)))
    return ProviderGrid(
        provider=provider,
        year=year,
        columns=columns,
        rows=tuple(rows),
        submission=submission,
        open_disputes=sum(disputes.values()),
        filled=filled,
        total=total,
        deadline=deadline,
    )


def _part_text(raw: dict, part: str) -> str:
    """A cell's text from the provider's raw input; a state (不适用：原因) shows in the first cell."""
    if raw.get("state"):
        first = "numerator" if "numerator" in raw or part in ("numerator", "denominator") else "value"
        return state_text(raw["state"], raw.get("reason", ""), place=Place.EXCEL) if part == first else ""
    return str(raw.get(part, "") or "")


# --- what a unit's return and the review page show of provided figures ----------------------------


@dataclass(frozen=True)
class ProvidedNote:
    """One provided figure of a return, as the unit and the reviewer see it."""

    value: ProvidedValue
    source: str  # 数据来源：市中级人民法院
    disputes: tuple[ProvidedValueDispute, ...]
    difference_percent: Decimal | None  # |provided − self-reported| / self-reported, when both are figures
    threshold: Decimal

    @property
    def open_disputes(self) -> list[ProvidedValueDispute]:
        return [dispute for dispute in self.disputes if dispute.is_open]

    @property
    def is_flagged(self) -> bool:
        return self.difference_percent is not None and self.difference_percent > self.threshold


def provided_notes(annual_return: AnnualReturn) -> dict[int, ProvidedNote]:
    """By indicator id: each provided figure of the return with its disputes and the transition
    difference (the unit's own earlier figure against the provided one). Two queries."""
    tree = {indicator.pk: indicator for indicator in framework_tree(annual_return.framework).indicators}
    values = list(
        ProvidedValue.objects.filter(annual_return=annual_return)
        .select_related("provider", "updated_by")
        .order_by("pk")
    )
    disputes: dict[int, list[ProvidedValueDispute]] = defaultdict(list)
    for dispute in ProvidedValueDispute.objects.filter(provided_value__in=values).select_related(
        "raised_by", "answered_by", "evidence"
    ):
        disputes[dispute.provided_value_id].append(dispute)
    notes = {}
    for value in values:
        indicator = tree.get(value.indicator_id)
        if indicator is None:
            continue
        value.indicator = indicator
        provision = indicator.provision
        threshold = provision.difference_percent if provision else Decimal("10")
        notes[value.indicator_id] = ProvidedNote(
            value=value,
            source=f"数据来源：{value.provider.display_name}",
            disputes=tuple(disputes.get(value.pk, ())),
            difference_percent=transition_difference(indicator, value),
            threshold=threshold,
        )
    return notes


def transition_difference(indicator: Indicator, value: ProvidedValue) -> Decimal | None:
    """How far the provided figure is from what the unit had reported itself, in percent of the
    unit's figure (rates: of the rate), or None when either is not a figure."""
    if not value.self_reported:
        return None
    theirs = _reading(indicator, value.raw_input)
    own = _reading(indicator, value.self_reported)
    if theirs is None or own is None:
        return None
    mine, provided = _figure(own), _figure(theirs)
    if mine is None or provided is None:
        return None
    if mine == 0:
        return Decimal(0) if provided == 0 else Decimal(100)
    return (abs(provided - mine) * 100 / abs(mine)).quantize(Decimal("0.01"))


def _reading(indicator: Indicator, raw: dict) -> IndicatorReading | None:
    parsed = parse_raw(indicator, raw)
    if parsed.errors:
        return None
    return reading_of(indicator, SimpleNamespace(**parsed.columns))


def _figure(reading: IndicatorReading) -> Decimal | None:
    """The number to compare: a rate in percent, one part of a rate alone (a provided part), a count."""
    if reading.is_empty:
        return None
    numerator, denominator = reading.numerator, reading.denominator
    if numerator is not None and denominator is not None:
        return Decimal(numerator) / Decimal(denominator) * 100 if denominator else None
    if numerator is not None or denominator is not None:
        return Decimal(numerator if numerator is not None else denominator)  # type: ignore[arg-type]
    return reading.value if isinstance(reading.value, Decimal) else None


def unit_raw(indicator: Indicator, row: IndicatorValue) -> dict:
    """The row's raw input as the page shows it (typed, or derived from the stored figure)."""
    return clean_raw(indicator.value_type, raw_from_row(indicator, row))


def provider_deadline(provider: Department, year: int) -> datetime.date | None:
    """The provider's deadline: its own if the bureau set one, else the year's (the earliest of the
    returns' deadlines in its scope: the units need the figures before they submit)."""
    own = ProviderSubmission.objects.filter(provider=provider, year=year).values_list("deadline", flat=True).first()
    if own:
        return own
    return _deadline(
        None,
        AnnualReturn.objects.filter(
            year=year, department_id__in=provider_scope_ids(provider), deadline__isnull=False
        ).values_list("deadline", flat=True),
    )


def _deadline(own: datetime.date | None, return_deadlines: Iterable[datetime.date | None]) -> datetime.date | None:
    """The provider's own deadline, else the earliest of the returns' in its scope."""
    return own or min((deadline for deadline in return_deadlines if deadline is not None), default=None)


def provided_differences(annual_return: AnnualReturn) -> list[str]:
    """过渡期: each provided figure that differs from the unit's own earlier one beyond its threshold,
    as the 报告体检 says it."""
    messages = []
    for note in provided_notes(annual_return).values():
        if not note.is_flagged:
            continue
        value = note.value
        indicator = value.indicator
        provided = display_raw(indicator.value_type, value.raw_input)
        messages.append(
            f"{indicator.code} {indicator.name}：{value.provider.display_name}提供的数（{provided}）"
            f"与{annual_return.department.display_name}此前自报的数（{value.self_reported_text}）"
            f"相差 {note.difference_percent}%，超过 {note.threshold.normalize()}%，请核对；报告采用提供的数。"
        )
    return messages
