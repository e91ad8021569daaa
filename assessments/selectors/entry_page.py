"""The data-entry page, as data: areas → groups → fields, each field with its inputs, last year's
value, problems and whether it may be edited. Built from loaded data (no queries), so the page costs
the same few queries whatever the number of indicators.
"""

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse

from indicators.models import Area, Group, Indicator, ValueType
from indicators.presenting import Place, time_text, value_text
from indicators.provisions import provision_sources

from ..models import AnnualReturn, IndicatorValue, NarrativeSection
from ..values import display_raw, is_filled, raw_from_row, reading_of
from .checking import Problem, ReturnCheck, return_check
from .deadlines import DeadlineState, deadline_state
from .provided import ProvidedNote, provided_notes
from .returns import ReturnData, return_data_load

# Stands for an indicator's id in a link reversed once per page (see FieldLinks).
_INDICATOR_SLOT = 987654321987
_YES_NO = ("是", "否")  # a yes/no's radios, as value_field.html writes them


@dataclass(frozen=True)
class FieldLinks:
    """The links each field of a return carries, reversed once per page and filled in per field:
    `reverse()` for every field (three per field) was a fifth of the entry page's render time."""

    value_save: str
    evidence_panel: str
    history: str

    @classmethod
    def of(cls, annual_return: AnnualReturn) -> "FieldLinks":
        slot = [annual_return.pk, _INDICATOR_SLOT]
        return cls(
            value_save=reverse("assessments:value_save", args=slot),
            evidence_panel=reverse("assessments:evidence_indicator_panel", args=slot),
            history=reverse("assessments:return_history", args=[annual_return.pk]),
        )

    def for_indicator(self, indicator_id: int) -> "FieldLinks":
        slot, pk = str(_INDICATOR_SLOT), str(indicator_id)
        return FieldLinks(
            value_save=self.value_save.replace(slot, pk),
            evidence_panel=self.evidence_panel.replace(slot, pk),
            history=f"{self.history}?indicator={pk}",
        )


@dataclass(frozen=True)
class Field:
    indicator: Indicator
    row: IndicatorValue | None  # None for derived indicators (computed, not typed)
    inputs: dict
    current: str  # this year's stored value as text
    previous: str  # last year's value as text, "" when there is none
    computed: str  # a derived indicator's value
    evidence_count: int
    problems: tuple[Problem, ...]
    is_editable: bool
    links: FieldLinks
    saved_at: str  # when the row was last saved, as the field's status line says it ("" before the first save)

    is_required: bool = False  # for this unit's kind
    source: str = ""  # 数据来源：市中级人民法院, for a figure a 数据提供单位 provides (whole or a part)
    provided: ProvidedNote | None = None  # what the provider entered, its disputes, the unit's own earlier figure

    @property
    def is_numerator_provided(self) -> bool:
        return "numerator" in self.indicator.provided_parts

    @property
    def is_denominator_provided(self) -> bool:
        return "denominator" in self.indicator.provided_parts

    @property
    def is_filled(self) -> bool:
        return self.row is not None and is_filled(self.indicator, self.row)

    @property
    def rate_preview(self) -> str:
        """The rate beside a rate's inputs before any script runs (the script keeps it live)."""
        if self.row is None or self.state:
            return "—"
        reading = reading_of(self.indicator, self.row)
        if reading.numerator is None and reading.denominator is None:
            return "—"
        return value_text(self.indicator, reading, Place.REPORT_SENTENCE)

    @property
    def state(self) -> str:
        """The state the page shows chosen: what was typed, else what is stored ("" for a figure)."""
        return self.inputs.get("state", "") if self.inputs else ""

    @property
    def has_problems(self) -> bool:
        return bool(self.problems)

    @property
    def shape(self) -> tuple:
        """What the field's form looks like apart from its values: value_field.html keeps its text
        per indicator and shape (indicators.templatetags.indicator_fragments), so every condition
        outside its fresh parts must be the indicator's or one of these."""
        return (
            self.is_editable,
            self.has_problems,
            bool(self.row and self.row.is_reopened),
            self.state,
            self.is_required,
            self.needs_explanation,
            self.is_explained,
            bool(self.source),
            bool(self.saved_at),
            self.chosen_word,
        )

    @property
    def chosen_word(self) -> str:
        """A yes/no's answer as the page shows it chosen (是 or 否, else ""): one of three, so the
        radios are part of the field's shape rather than filled in afresh."""
        if self.indicator.value_type != ValueType.BOOLEAN:
            return ""
        value = self.inputs.get("value", "")
        return value if value in _YES_NO else ""

    @property
    def needs_explanation(self) -> bool:
        return any(problem.is_warning for problem in self.problems) or bool(self.row and self.row.explanation)

    @property
    def reason(self) -> str:
        """Why 不适用 or 暂无数据, as typed ("" for a figure): a key the inputs often lack, and a
        template's lookup of a missing key costs three exceptions."""
        return self.inputs.get("reason", "")

    @property
    def is_explained(self) -> bool:
        return bool(self.row and self.row.explanation)

    @property
    def typed(self) -> str:
        """What was typed, when it could not be read (shown with its error)."""
        return display_raw(self.indicator.value_type, self.row.raw_input) if self.row else ""

    @property
    def anchor(self) -> str:
        return f"ind-{self.indicator.pk}"


@dataclass(frozen=True)
class Progress:
    """Filled items over items to fill, as the progress bar and the area tabs show them."""

    filled_count: int
    total: int

    @property
    def percent(self) -> int:
        return percent_of(self.filled_count, self.total)


def percent_of(filled: int, total: int) -> int:
    return round(filled * 100 / total) if total else 100


@dataclass(frozen=True)
class GroupSection:
    group: Group
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class AreaSection:
    area: Area
    groups: tuple[GroupSection, ...]

    # Cached: the tabs, the progress bar and the sent-back list each ask them, and each count
    # walks the area's fields (a tenth of the page's render time before).
    @cached_property
    def fillable(self) -> list[Field]:
        """What the area's progress counts: statistical figures (统计指标) and figures a 数据提供单位
        provides whole are shown but not counted (as services.completion counts)."""
        return [
            field
            for group in self.groups
            for field in group.fields
            if field.row is not None and not field.indicator.is_statistical and not field.indicator.is_wholly_provided
        ]

    @cached_property
    def filled_count(self) -> int:
        return sum(field.is_filled for field in self.fillable)

    @cached_property
    def total(self) -> int:
        return len(self.fillable)

    @property
    def percent(self) -> int:
        return percent_of(self.filled_count, self.total)


@dataclass(frozen=True)
class NarrativeField:
    section: NarrativeSection
    problems: tuple[Problem, ...]
    is_editable: bool


@dataclass(frozen=True)
class EntryPage:
    annual_return: AnnualReturn
    data: ReturnData
    check: ReturnCheck
    areas: tuple[AreaSection, ...]
    narratives: tuple[NarrativeField, ...]
    deadline: DeadlineState
    can_edit: bool

    @cached_property
    def filled_count(self) -> int:
        return sum(area.filled_count for area in self.areas)

    @cached_property
    def total(self) -> int:
        return sum(area.total for area in self.areas)

    @property
    def percent(self) -> int:
        return percent_of(self.filled_count, self.total)

    @property
    def reopened_fields(self) -> list[Field]:
        return [
            field for area in self.areas for field in area.fillable if field.row is not None and field.row.is_reopened
        ]


def build_field(
    data: ReturnData,
    check: ReturnCheck,
    indicator: Indicator,
    *,
    can_edit: bool,
    links: FieldLinks,
    notes: dict[int, ProvidedNote] | None = None,
    sources: dict[int, str] | None = None,
    is_targeted: bool | None = None,
) -> Field:
    """`is_targeted`: whether the return was sent back for named items, when `data` holds only
    some of its rows (selectors.entry_field); by default, as `data` says."""
    row = data.row_for(indicator)
    targeted = data.is_targeted if is_targeted is None else is_targeted
    editable = can_edit and row is not None and (row.is_reopened or not targeted)
    editable = editable and not indicator.is_wholly_provided
    return Field(
        indicator=indicator,
        row=row,
        inputs=raw_from_row(indicator, row) if row is not None else {},
        current=value_text(indicator, reading_of(indicator, row), Place.ENTRY) if row is not None else "",
        previous=value_text(indicator, data.previous_readings.get(indicator.code), Place.ENTRY),
        computed="" if row is not None else value_text(indicator, data.readings.get(indicator.code), Place.ENTRY),
        evidence_count=data.evidence_counts.get(indicator.pk, 0),
        problems=check.by_indicator.get(indicator.pk, ()),
        is_editable=editable and indicator.value_type != ValueType.EVIDENCE,
        links=links.for_indicator(indicator.pk),
        saved_at=time_text(row.updated_at) if row is not None and row.version > 1 else "",
        is_required=indicator.is_required_for(data.annual_return.department.kind),
        source=(sources or {}).get(indicator.pk, ""),
        provided=(notes or {}).get(indicator.pk),
    )


def entry_page(annual_return: AnnualReturn, *, can_edit: bool) -> EntryPage:
    data = return_data_load(annual_return)
    check = return_check(data)
    applicable = {indicator.pk for indicator in data.applicable}
    links = FieldLinks.of(annual_return)
    notes, sources = {}, {}
    if any(indicator.is_provided for indicator in data.applicable):
        notes = provided_notes(annual_return)
        sources = provision_sources(data.applicable, [annual_return.department_id])
    areas = []
    for area_node in data.tree.areas:
        groups = []
        for group_node in area_node.groups:
            fields = tuple(
                build_field(data, check, indicator, can_edit=can_edit, links=links, notes=notes, sources=sources)
                for indicator in group_node.indicators
                if indicator.pk in applicable
            )
            if fields:
                groups.append(GroupSection(group_node.group, fields))
        if groups:
            areas.append(AreaSection(area_node.area, tuple(groups)))
    narratives = tuple(
        NarrativeField(
            section=data.narratives[kind],
            problems=tuple(check.for_narrative(kind)),
            is_editable=can_edit and (data.narratives[kind].is_reopened or not data.is_targeted),
        )
        for kind in NarrativeSection.Kind.values
        if kind in data.narratives
    )
    return EntryPage(
        annual_return=annual_return,
        data=data,
        check=check,
        areas=tuple(areas),
        narratives=narratives,
        deadline=deadline_state(annual_return),
        can_edit=can_edit,
    )


def field_of(page: EntryPage, indicator_id: int) -> Field | None:
    for area in page.areas:
        for group in area.groups:
            for field in group.fields:
                if field.indicator.pk == indicator_id:
                    return field
    return None
