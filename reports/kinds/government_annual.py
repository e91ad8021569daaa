"""本级政府年度报告: a city's or county's annual report, aggregated over every unit in its branch.

Counts and amounts are summed; a rate is Σnumerators / Σdenominators over the units that reported
both, never an average of the units' rates (DESIGN.md); a zero Σdenominator is 无此类事项. The parts
of a rate are figures of their own and add up independently: a unit that knows only its
denominator adds to Σdenominator (AggregateFigure.denominator_total) but not to the rate. Units that
reported 不适用 or 暂无数据 add to nothing and are named (never counted as 0). Each judged indicator
also says how many units met its target.

selector `government_report_data` (a fixed number of queries, whatever the number of units) →
builder `government_report_document` (pure) → templates/reports/pdf/government_annual.html.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Case, DateTimeField, F, When
from django.utils import timezone

from accounts.models import Department
from accounts.selectors import department_subtree
from assessments.models import REPORTED_STATUSES, AnnualReturn, NarrativeSection
from indicators.models import Area, Indicator, TargetOperator, ValidationRule, ValueType
from indicators.presenting import Place, date_text, number_text, value_text
from indicators.provisions import provision_sources
from indicators.readings import IndicatorReading
from indicators.relations import Contradiction as BrokenRelation
from indicators.relations import contradictions
from indicators.selectors import framework_published_for_year

from .. import editorial, wording
from ..area_narratives import split_by_area
from ..charts import horizontal_bar_chart
from ..document import (
    Appendix,
    Chart,
    Column,
    Cover,
    Paragraph,
    ReportDocument,
    Section,
    Table,
    first_level_heading,
    second_level_heading,
)
from ..health import Contradiction, FigureFact, ReportFacts, contradictions_from
from ..models import ReportKind
from ..plan import plan_report, shortfall_paragraphs
from . import BuildRequest, ReportDataMissing
from .department_annual import Figure, figures_by_area, short_label
from .figures_table import figures_table
from .government_figures import AGGREGATED_TYPES, BranchTally, ReturnRef, branch_tallies


@dataclass(frozen=True)
class AggregateFigure(Figure):
    """A branch-wide figure plus how many of the units that reported it met the target."""

    unit_count: int = 0  # units with a stored value for it, whatever its state
    units_judged: int = 0  # units whose figure was judged against the target
    units_meeting: int = 0
    units_below: tuple[str, ...] = ()  # the units that missed it, in directory order
    # The parts of a rate summed independently over every unit that reported that part (a unit with
    # only its denominator counts here), for sentences such as 全市审结行政复议案件181件.
    numerator_total: Decimal | None = None
    denominator_total: Decimal | None = None
    partial_units: tuple[str, ...] = ()  # reported one part of the rate only: left out of the rate
    not_applicable_units: tuple[str, ...] = ()
    not_available_units: tuple[str, ...] = ()


# What a figure takes from its tally beside its current reading (the same names on both).
TALLY_FIELDS = tuple(f.name for f in fields(BranchTally) if f.name not in ("current", "previous"))


@dataclass(frozen=True)
class ReturnRow:
    unit_name: str
    kind_label: str
    status_label: str
    is_reported: bool


@dataclass(frozen=True)
class GovernmentReportData:
    government_name: str
    place_name: str
    parent_name: str
    year: int
    figures: tuple[AggregateFigure, ...]
    returns: tuple[ReturnRow, ...]
    unit_count: int
    narratives: dict[str, str]
    submitted_on: datetime.date | None
    area_names: tuple[str, ...] = ()  # the framework's areas in order, for 一、's subsections
    missing_units: tuple[str, ...] = ()  # units of the branch whose returns are not in
    contradictions: tuple[Contradiction, ...] = ()  # relations the branch's figures break
    # 数据来源 of provided figures, by indicator id: the unit(s) that provide the units' figures summed
    sources: dict[int, str] = field(default_factory=dict)


class _Return(NamedTuple):
    """What the report reads of each return (a city has ~300): its unit, status and whether it counts."""

    pk: int
    department_id: int
    framework_id: int
    unit_name: str
    unit_kind: str
    status: str
    is_historical: bool
    submitted_at: datetime.datetime | None  # read for the government's own return only (own_submitted_at)

    @property
    def is_reported(self) -> bool:
        """AnnualReturn.is_reported: submitted (or further), or a 历史数据年度's figures."""
        return self.status in REPORTED_STATUSES or self.is_historical


RETURN_COLUMNS = (
    "id",
    "department_id",
    "framework_id",
    "department__name",
    "department__kind",
    "status",
    "framework__is_historical",
    "own_submitted_at",
)
KIND_LABELS = dict(Department.Kind.choices)
STATUS_LABELS = dict(AnnualReturn.Status.choices)


def government_report_data(*, government: Department, year: int) -> GovernmentReportData:
    framework = framework_published_for_year(year)
    if framework is None:
        raise ReportDataMissing(f"{year}年度指标体系尚未发布，无法生成报告。")
    branch_units = department_subtree(root_id=government.pk)  # in directory order
    unit_ids = [u.pk for u in branch_units]
    indicators = list(
        Indicator.objects.filter(framework=framework, value_type__in=AGGREGATED_TYPES)
        .select_related("group__area", "provision_row__provider")
        .order_by("group__area__order", "group__order", "order", "code")
    )
    # This year's returns and last year's in one read: the branch's ids are sent once.
    both_years = AnnualReturn.objects.filter(department_id__in=unit_ids, year__in=(year - 1, year)).annotate(
        # The report dates only the government's own return: converting the ~550 others' times to
        # aware datetimes was a tenth of the government report's selector CPU at city scale.
        own_submitted_at=Case(When(department_id=government.pk, then=F("submitted_at")), output_field=DateTimeField())
    )
    returns: list[_Return] = []
    previous: list[_Return] = []
    for *columns, of_year in both_years.order_by("department__sort_order", "department__code").values_list(
        *RETURN_COLUMNS, "year"
    ):
        (returns if of_year == year else previous).append(_Return(*columns))
    if not returns:
        raise ReportDataMissing(f"{government.name}及所属单位尚无{year}年度填报，无法生成报告。")
    # Only submitted returns count: a draft or a return sent back for correction is not a figure yet.
    reported = [r for r in returns if r.is_reported]
    last_year = [ReturnRef(r.pk, r.department_id, r.framework_id) for r in previous if r.is_reported]
    # Aggregated in the database: a few rows per indicator, not every unit's values of two years.
    tallies = branch_tallies(
        indicators, [ReturnRef(r.pk, r.department_id, r.framework_id, r.unit_name) for r in reported], last_year
    )
    own = next((r for r in returns if r.department_id == government.pk), None)
    narratives: dict[str, str] = {}
    if own is not None:
        narratives = dict(NarrativeSection.objects.filter(annual_return_id=own.pk).values_list("kind", "text"))
    parent = None
    if government.parent_id is not None:
        parent = Department.objects.filter(pk=government.parent_id).only("name").first()
    empty = BranchTally(current=None)
    figures = []
    for indicator in indicators:
        tally = tallies.get(indicator.pk, empty)
        figures.append(
            AggregateFigure(
                indicator=indicator,
                current=tally.current,
                # Like for like: last year's figure of the same units, so that a unit not yet
                # reporting this year does not show up as a fall.
                previous=tally.previous,
                **{name: getattr(tally, name) for name in TALLY_FIELDS},
            )
        )
    reported_ids = {r.department_id for r in reported}
    missing = tuple(
        u.name
        for u in branch_units
        if u.is_active and u.is_assessed and u.pk not in reported_ids  # not a court (issue 20)
    )
    branch = {f.indicator.code: f.current for f in figures if f.current is not None}
    return GovernmentReportData(
        government_name=government.name,
        place_name=government.name.removesuffix("人民政府"),
        parent_name=parent.name if parent else "",
        year=year,
        figures=tuple(figures),
        returns=tuple(
            ReturnRow(r.unit_name, KIND_LABELS.get(r.unit_kind, r.unit_kind), STATUS_LABELS[r.status], r.is_reported)
            for r in returns
        ),
        unit_count=len(unit_ids),
        narratives=narratives,
        submitted_on=timezone.localdate(own.submitted_at) if own and own.submitted_at else None,
        area_names=tuple(Area.objects.filter(framework=framework).values_list("name", flat=True)),
        missing_units=missing,
        contradictions=contradictions_from(
            _like_for_like(
                contradictions(ValidationRule.objects.filter(framework=framework, is_relation=True), branch), figures
            )
        ),
        sources=provision_sources(indicators, [r.department_id for r in reported]),
    )


def _like_for_like(found: Iterable[BrokenRelation], figures: Sequence[AggregateFigure]) -> list[BrokenRelation]:
    """The relations the branch's totals break, where the totals are of the same units. Two totals
    over different units (集体讨论决定率 only governments report, 归档完整率 every unit) differ
    without any unit's figures contradicting each other: no contradiction to report."""
    units = {f.indicator.code: (f.unit_count, f.not_applicable_units, f.not_available_units) for f in figures}
    return [item for item in found if len({units.get(code) for code in item.codes}) == 1]


# --- the pure part ---------------------------------------------------------------------------------


def _narrative(data: GovernmentReportData, kind: str, *, empty: str = "") -> tuple[Paragraph, ...]:
    texts = wording.paragraphs_of(data.narratives.get(kind, ""))
    return tuple(Paragraph(t) for t in texts) or ((Paragraph(empty),) if empty else ())


def government_facts(data: GovernmentReportData) -> ReportFacts:
    """What the 报告体检 checks: the figures as printed, the coverage, targets no unit met."""
    return ReportFacts(
        figures=tuple(
            FigureFact(
                f.indicator.code,
                f.indicator.name,
                aggregate_text(f.indicator, f.current) if f.current else "",
                aggregate_text(f.indicator, f.previous) if f.previous else "",
            )
            for f in data.figures
        ),
        reporting_units=tuple(r.unit_name for r in data.returns if r.is_reported),
        missing_units=data.missing_units,
        targets_no_unit_met=tuple(
            FigureFact(f.indicator.code, f.indicator.name, f"{f.units_judged}个单位均未达到")
            for f in data.figures
            if f.units_judged > 1 and f.units_meeting == 0
        ),
        contradictions=data.contradictions,
        narratives=tuple(text for text in data.narratives.values() if text),
    )


def coverage_sentence(data: GovernmentReportData) -> str:
    """What the figures cover, in words, whenever some units' returns are not in (issue 17: a report
    that silently uses 10 of 20 units' returns misleads)."""
    if not data.missing_units:
        return ""
    reported = sum(1 for r in data.returns if r.is_reported)
    return (
        f"本报告所列数据涵盖已报送年度情况的{reported}个单位，"
        f"另有{len(data.missing_units)}个单位尚未报送，未计入（各单位报送情况见附件2）。"
    )


def place_word(place: str) -> str:
    """全市 / 全区 / 全县: the branch as reports name it."""
    return f"全{place[-1]}" if place else ""


def aggregate_text(indicator: Indicator, reading: IndicatorReading | None, *, with_fraction: bool = False) -> str:
    """A branch figure as a table cell; a yes/no indicator is the number of units that said 是."""
    if indicator.value_type == ValueType.BOOLEAN and reading is not None and isinstance(reading.value, Decimal):
        return f"{number_text(reading.value)}个单位"  # aggregate() counts the units that answered 是
    return value_text(indicator, reading, Place.REPORT_TABLE if with_fraction else Place.REPORT_SENTENCE)


def _left_out(figure: AggregateFigure) -> str:
    """Units whose 不适用 or 暂无数据 the total leaves out, said in the cell: "（不含暂无数据的1个单位）"."""
    parts = [
        f"{label}的{len(units)}个单位"
        for label, units in (("不适用", figure.not_applicable_units), ("暂无数据", figure.not_available_units))
        if units
    ]
    return f"（不含{'、'.join(parts)}）" if parts else ""


def _change_cell(figure: AggregateFigure) -> str:
    # A unit with 暂无数据 this year is in last year's total but not in this year's: the two totals
    # are not of the same units, so no change is stated (不适用 is the same every year, so it is).
    if figure.not_available_units and figure.indicator.value_type != ValueType.BOOLEAN:
        return "—"
    return editorial.change_cell(figure.indicator, figure.current, figure.previous)


def _current_cell(figure: AggregateFigure) -> str:
    current = aggregate_text(figure.indicator, figure.current, with_fraction=True)
    return current + _left_out(figure) if current != "—" else current


def summary_table(figures: Sequence[AggregateFigure], *, year: int, sources: dict[int, str] | None = None) -> Table:
    return figures_table(
        figures,
        year=year,
        caption=f"{year}年度法治政府建设主要指标汇总",
        current=_current_cell,
        previous=lambda f: aggregate_text(f.indicator, f.previous),
        change=_change_cell,
        outcome_heading="达标单位",
        outcome=lambda f: f"{f.units_meeting}/{f.units_judged}" if f.units_judged else "—",
        note=(
            "说明：数量为各单位合计；比率按各单位数量合计计算，不是各单位比率的平均数；"
            "制度落实类指标为已落实的单位数；以“分”计的得分为各单位平均分；上年数为同一批单位的上年数据；"
            "“达标单位”为达到目标的单位数与有该项数据的单位数。"
            + ("指标后注明“数据来源”的，各单位数据由所注单位统一提供，不是各单位自报。" if sources else "")
        ),
        sources=sources,
    )


CHARTED_RATES = 8


def rates_furthest_below_target(figures: Iterable[Figure]) -> list[Figure]:
    """The rate indicators furthest from a "not less than" target (at most eight, in framework
    order). "Not more than" targets (败诉率) point the other way and would read as a shortfall; they
    stay in the table."""
    gaps: list[tuple[Figure, Decimal]] = []  # (figure, its rate less its target), in framework order
    for f in figures:
        target, rate = f.indicator.target_value, f.current.rate if f.current is not None else None
        wants_more = f.indicator.target_operator in (TargetOperator.GTE, TargetOperator.GT)
        if f.indicator.value_type == ValueType.RATE and wants_more and target is not None and rate is not None:
            gaps.append((f, rate - target))
    furthest = sorted(gaps, key=lambda pair: pair[1])[:CHARTED_RATES]
    chosen = {id(f) for f, _ in furthest}
    return [f for f, _ in gaps if id(f) in chosen]


def target_chart(figures: Iterable[Figure], *, year: int, place: str) -> Chart | None:
    """The branch's rates beside their targets: where the year's work fell short, at a glance."""
    chosen = rates_furthest_below_target(figures)
    if len(chosen) < 2:
        return None
    svg = horizontal_bar_chart(
        labels=[short_label(f.indicator.name) for f in chosen],
        series=[
            ("目标值", [f.indicator.target_value for f in chosen]),
            (f"{year}年{place}", [f.current.rate if f.current is not None else None for f in chosen]),
        ],
        unit="%",
    )
    return Chart(caption=f"{year}年度{place}主要比率指标与目标值对比", svg=svg)


def returns_table(data: GovernmentReportData) -> Table:
    with_returns = {r.unit_name for r in data.returns}
    rows = [(r.unit_name, r.kind_label, "已报送" if r.is_reported else "未报送") for r in data.returns]
    rows += [(name, "—", "未报送") for name in data.missing_units if name not in with_returns]
    return Table(
        caption=f"{data.year}年度各单位填报情况",
        columns=(
            Column("序号", "8%"),
            Column("单位", "52%", is_text=True),
            Column("类型", "20%"),
            Column("状态", "20%"),
        ),
        rows=tuple((str(n), *row) for n, row in enumerate(rows, start=1)),
    )


def government_report_document(data: GovernmentReportData, *, options: dict[str, Any]) -> ReportDocument:
    year, place = data.year, data.place_name
    Kind = NarrativeSection.Kind
    # The government's own 主要举措和成效 text, cut by area as in the department report.
    narratives = split_by_area(data.narratives.get(Kind.MEASURES, ""), data.area_names)
    plan = plan_report(data.figures, kind=ReportKind.GOVERNMENT_ANNUAL, place=place_word(place))
    by_area = figures_by_area(data.figures)
    subsections: list[Section] = []
    for area in list(data.area_names) + [a for a in by_area if a not in data.area_names]:
        texts = editorial.unique((*narratives.of(area), *plan.area(area).achievement_paragraphs))
        blocks = tuple(Paragraph(t) for t in texts if t)
        if blocks:
            subsections.append(Section(second_level_heading(len(subsections) + 1, area), blocks=blocks))
    title = f"{data.government_name}关于{year}年度法治政府建设情况的报告"
    dated = date_text(data.submitted_on)
    chart = target_chart(data.figures, year=year, place=place)
    addressee = f"中共{place}委员会、{place}人大常委会" + (f"，{data.parent_name}" if data.parent_name else "") + "："
    return ReportDocument(
        title=title,
        addressee=addressee,
        opening=(
            Paragraph(
                f"{year}年，{place}深入学习贯彻习近平法治思想，认真落实法治政府建设实施纲要，"
                f"法治政府建设取得新进展。{coverage_sentence(data)}现将有关情况报告如下："
            ),
        ),
        sections=(
            Section(
                first_level_heading(1, f"{year}年度推进法治政府建设的主要举措和成效"),
                blocks=tuple(Paragraph(t) for t in narratives.lead),
                subsections=tuple(subsections),
            ),
            Section(
                first_level_heading(2, "存在的不足和原因"),
                blocks=_narrative(data, Kind.SHORTCOMINGS) + tuple(Paragraph(t) for t in shortfall_paragraphs(plan)),
            ),
            Section(
                first_level_heading(3, "党政主要负责人履行推进法治建设第一责任人职责情况"),
                blocks=_narrative(data, Kind.LEADERSHIP, empty="（待补充：党政主要负责人履行第一责任人职责的情况。）"),
            ),
            Section(
                first_level_heading(4, f"{year + 1}年度推进法治政府建设的主要安排"),
                blocks=_narrative(data, Kind.NEXT_YEAR, empty="（待补充：下一年度的主要安排。）"),
            ),
            Section(first_level_heading(5, "其他需要报告的情况"), blocks=_narrative(data, Kind.OTHER, empty="无。")),
        ),
        issuer=data.government_name,
        date_text=dated,
        appendices=(
            Appendix(
                "附件1",
                "主要指标汇总",
                (summary_table(data.figures, year=year, sources=data.sources), *([chart] if chart else [])),
            ),
            Appendix("附件2", "各单位年度填报情况", (returns_table(data),)),
        ),
        cover=Cover(title, data.government_name, dated) if options.get("has_cover") else None,
        facts=government_facts(data),
    )


def build(request: BuildRequest) -> ReportDocument:
    if request.department is None:  # a government's report: permissions.can_request_report asks for it
        raise ReportDataMissing("请选择单位。")
    data = government_report_data(government=request.department, year=request.year)
    return government_report_document(data, options=request.options)
