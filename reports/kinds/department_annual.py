"""部门年度报告: one department's annual report on 法治政府建设, in the five sections of the 2019 rules.

selector `department_report_data` (every query, evaluated, frozen) → builder
`department_report_document` (pure) → templates/reports/pdf/department_annual.html.
"""

import datetime
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accounts.models import Department
from assessments.models import REPORTED_STATUSES, AnnualReturn, IndicatorValue, NarrativeSection
from assessments.selectors.provided import provided_differences
from assessments.values import reading_of
from indicators.lineage import carry_forward
from indicators.models import Area, Indicator, ValidationRule
from indicators.presenting import Place, date_text, value_text
from indicators.provisions import provision_sources
from indicators.readings import IndicatorReading
from indicators.relations import contradictions
from indicators.scoring.indicator import meets_target
from indicators.selectors import framework_published_for_year, indicators_for_department_kind
from reviews.models import Publication, ScoreSheet

from .. import editorial, wording
from ..area_narratives import AreaNarratives, split_by_area, text_indicator_paragraphs
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
from ..plan import ReportPlan, plan_report
from ..plan import shortfall_paragraphs as plan_shortfalls
from . import BuildRequest, ReportDataMissing
from .figures_table import figures_table


@dataclass(frozen=True)
class Figure:
    """One indicator of the report with this year's and last year's readings."""

    indicator: Indicator  # fetched with group__area; no further queries are made through it
    current: IndicatorReading | None
    previous: IndicatorReading | None
    # A figure in a violated relation between figures (indicators.relations): no sentence is built on
    # it, since it contradicts another figure of the same return.
    is_contradicted: bool = False

    @property
    def area_name(self) -> str:
        return self.indicator.group.area.name

    @property
    def state(self) -> str:
        """填报数值 / 不适用 / 暂无数据 ("value", "not_applicable", "not_available"); "" if not reported."""
        return self.current.state if self.current is not None else ""

    @property
    def is_sayable(self) -> bool:
        """A complete figure nothing contradicts: what a sentence may be built on. 不适用, 暂无数据,
        an empty value and a rate with one part alone are not (a table shows them as themselves)."""
        return self.current is not None and not self.current.is_empty and not self.is_contradicted

    @property
    def numerator(self) -> Decimal | None:
        """A rate's numerator as a count in its own unit (indicator.numerator_unit), known alone or not."""
        return self.current.numerator if self.current is not None and self.current.is_figure else None

    @property
    def denominator(self) -> Decimal | None:
        return self.current.denominator if self.current is not None and self.current.is_figure else None

    @property
    def meets_target(self) -> bool | None:
        """None when there is nothing to judge: no figure, or an indicator without a target (a
        plain count such as 办理行政复议案件数 is reported, not judged)."""
        if self.current is None:
            return None
        has_target = bool(self.indicator.target_operator) or self.indicator.target_date is not None
        if not has_target and not isinstance(self.current.value, bool):
            return None
        return meets_target(self.indicator, self.current)


@dataclass(frozen=True)
class AreaScore:
    name: str
    points: str
    applicable_max: str


@dataclass(frozen=True)
class PublishedScore:
    """The department's published score sheet (reviews app), shown once the bureau publishes."""

    total: Decimal
    bonus: Decimal
    deductions: Decimal
    grade_label: str
    is_vetoed: bool
    is_final: bool
    rank_in_kind: int | None  # only when the bureau made the ranking public
    areas: tuple[AreaScore, ...]


def published_score(*, department: Department, year: int) -> PublishedScore | None:
    publication = Publication.objects.filter(year=year).first()
    if publication is None:
        return None
    sheet = ScoreSheet.objects.filter(department=department, year=year).first()
    if sheet is None:
        return None
    return PublishedScore(
        total=sheet.total,
        bonus=sheet.bonus,
        deductions=sheet.deductions,
        grade_label=sheet.get_grade_display(),
        is_vetoed=sheet.is_vetoed,
        is_final=publication.is_final,
        rank_in_kind=sheet.rank_in_kind if publication.is_ranking_public else None,
        areas=tuple(
            AreaScore(a["name"], a.get("points") or "0.00", a.get("applicable_max") or a.get("max_points") or "")
            for a in (sheet.breakdown or {}).get("areas", [])
        ),
    )


@dataclass(frozen=True)
class DepartmentReportData:
    department_name: str
    addressee: str
    year: int
    return_status: str
    return_status_label: str
    submitted_on: datetime.date | None
    figures: tuple[Figure, ...]
    narratives: dict[str, str]
    has_previous_year: bool
    score: PublishedScore | None = None
    area_names: tuple[str, ...] = ()  # the framework's areas in order, for 一、's subsections
    is_historical: bool = False  # a 历史数据年度: past figures entered by the bureau, never submitted
    contradictions: tuple[Contradiction, ...] = ()  # the framework's relations this return breaks
    sources: dict[int, str] = field(default_factory=dict)  # 数据来源 of provided figures, by indicator id
    provided_differences: tuple[str, ...] = ()  # 过渡期 differences for the 报告体检


def _readings(annual_return: AnnualReturn | None) -> dict[str, IndicatorReading]:
    if annual_return is None:
        return {}
    rows = IndicatorValue.objects.filter(annual_return=annual_return).select_related("indicator")
    return {row.indicator.code: reading_of(row.indicator, row) for row in rows}


def _previous_readings(indicators: list[Indicator], department: Department, year: int) -> dict[str, IndicatorReading]:
    """Last year's readings keyed by this year's codes, following renames and merges through each
    indicator's `predecessor_codes` (indicators.lineage does the merging)."""
    last_year = AnnualReturn.objects.filter(department=department, year=year - 1).first()
    if last_year is None:
        return {}
    old_codes = {indicator.code: indicator.predecessor_codes for indicator in indicators}
    return carry_forward(old_codes, _readings(last_year))


def department_report_data(*, department: Department, year: int) -> DepartmentReportData:
    framework = framework_published_for_year(year)
    if framework is None:
        raise ReportDataMissing(f"{year}年度指标体系尚未发布，无法生成报告。")
    annual_return = AnnualReturn.objects.filter(department=department, year=year).prefetch_related("narratives").first()
    if annual_return is None:
        raise ReportDataMissing(f"{department.name}尚无{year}年度填报，无法生成报告。")
    indicators = list(indicators_for_department_kind(framework=framework, kind=department.kind))
    current = _readings(annual_return)
    previous = _previous_readings(indicators, department, year)
    # The return's figures are already read: the relations are one query (not assessments'
    # return_contradictions, which loads the return again).
    found = contradictions(ValidationRule.objects.filter(framework=framework, is_relation=True), current)
    contradicted = found.codes
    parent = (
        Department.objects.filter(pk=department.parent_id).only("name").first()
        if department.parent_id is not None
        else None
    )
    submitted = annual_return.submitted_at
    # 数据来源 of provided figures, from the indicators as loaded (their provision joined in).
    sources = provision_sources(indicators, [department.pk])
    return DepartmentReportData(
        department_name=department.name,
        addressee=f"{parent.name}：" if parent else "",
        year=year,
        return_status=annual_return.status,
        is_historical=framework.is_historical,
        return_status_label=annual_return.get_status_display(),
        submitted_on=timezone.localdate(submitted) if submitted else None,
        figures=tuple(
            Figure(
                indicator=indicator,
                current=current.get(indicator.code),
                previous=previous.get(indicator.code),
                is_contradicted=indicator.code in contradicted,
            )
            for indicator in indicators
        ),
        narratives={section.kind: section.text for section in annual_return.narratives.all()},
        has_previous_year=bool(previous),
        score=published_score(department=department, year=year),
        area_names=tuple(
            Area.objects.filter(framework=framework).order_by("order", "code").values_list("name", flat=True)
        ),
        contradictions=contradictions_from(found),
        sources=sources,
        provided_differences=tuple(provided_differences(annual_return)) if sources else (),
    )


# --- the pure part ---------------------------------------------------------------------------------


def _narrative(data: DepartmentReportData, kind: str, *, empty: str = "") -> tuple[Paragraph, ...]:
    texts = wording.paragraphs_of(data.narratives.get(kind, ""))
    return tuple(Paragraph(text) for text in texts) or ((Paragraph(empty),) if empty else ())


def figures_by_area(figures: Iterable[Figure]) -> "OrderedDict[str, list[Figure]]":
    areas: OrderedDict[str, list[Figure]] = OrderedDict()
    for figure in figures:
        areas.setdefault(figure.area_name, []).append(figure)
    return areas


def shortfall_paragraphs(plan: ReportPlan) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(text) for text in plan_shortfalls(plan))


def _cell(text: str, length: int = 24) -> str:
    """Free-text answers can run to paragraphs; the table shows their start."""
    return text if len(text) <= length else text[: length - 1] + "…"


OUTCOME_TEXT = {True: "达标", False: "未达标", None: "—"}


def appendix_table(figures: Sequence[Figure], *, year: int, sources: dict[int, str] | None = None) -> Table:
    return figures_table(
        figures,
        year=year,
        caption=f"{year}年度法治政府建设主要指标完成情况",
        current=lambda f: _cell(value_text(f.indicator, f.current, Place.REPORT_TABLE)),
        previous=lambda f: value_text(f.indicator, f.previous, Place.REPORT_SENTENCE),
        outcome_heading="完成情况",
        outcome=lambda f: OUTCOME_TEXT[f.meets_target],
        note="注：比率下方括号内为计算比率的两项数量（如出庭应诉案件数和开庭审理案件数）；“无此类事项”指本年度未发生该类事项；"
        "“无法计算”指只填报了其中一项数量（括号内为已填报的数）；“不适用”“暂无数据”为单位填报的情况，不计为0。",
        sources=sources,
    )


def short_label(name: str, length: int = 14) -> str:
    """An indicator's name cut for a chart's axis, where the full name would crowd the bars."""
    return name if len(name) <= length else name[: length - 1] + "…"


def rate_chart(figures: Sequence[Figure], *, year: int) -> Chart | None:
    """This year's and last year's rates side by side, for the rate indicators both years report."""
    pairs: list[tuple[str, Decimal | int | None, Decimal | int | None]] = []  # (label, last year's, this year's)
    for f in figures:
        if f.indicator.value_type != "rate" or f.current is None or f.previous is None:
            continue
        now, before = f.current.rate, f.previous.rate
        if now is not None and before is not None:
            pairs.append((short_label(f.indicator.name), before, now))
    pairs = pairs[:8]
    if len(pairs) < 2:
        return None
    svg = horizontal_bar_chart(
        labels=[label for label, _, _ in pairs],
        series=[(f"{year - 1}年", [before for _, before, _ in pairs]), (f"{year}年", [now for _, _, now in pairs])],
        unit="%",
    )
    return Chart(caption=f"主要比率指标{year - 1}—{year}年对比", svg=svg)


def score_table(score: PublishedScore, *, year: int) -> Table:
    rows = [(area.name, area.applicable_max, area.points) for area in score.areas]
    rows += [("加分", "—", f"{score.bonus:.2f}"), ("扣分", "—", f"{score.deductions:.2f}")]
    rows.append(("总分", "—", f"{score.total:.2f}"))
    note = f"等次：{score.grade_label}" + ("（一票否决）" if score.is_vetoed else "")
    if score.rank_in_kind:
        note += f"；同类单位排名第{score.rank_in_kind}位"
    note += "。" + ("以上为最终结果。" if score.is_final else "以上为公示中的初步结果。")
    return Table(
        caption=f"{year}年度法治政府建设考核得分",
        columns=(Column("一级指标", "60%", is_text=True), Column("适用分值", "20%"), Column("得分", "20%")),
        rows=tuple(rows),
        note=note,
    )


def score_sentence(score: PublishedScore, *, year: int) -> str:
    rank = f"，在同类单位中排名第{score.rank_in_kind}位" if score.rank_in_kind else ""
    stage = "" if score.is_final else "（初步结果）"
    return (
        f"经考核，本单位{year}年度法治政府建设考核得分{score.total:.2f}分，"
        f"等次为{score.grade_label}{rank}{stage}，得分情况见附件2。"
    )


AREA_HEADINGS_HINT = (
    "提示：“主要举措和成效”可按领域分段填写——以领域名称单独成行作小标题（如“（五）行政执法”），"
    "生成报告时每段文字会与该领域的指标数据放在一起。"
)


def measures_subsections(
    data: DepartmentReportData, narratives: AreaNarratives, plan: ReportPlan
) -> tuple[Section, ...]:
    """一、's subsections, one per area: the department's narrative for the area
    (reports.area_narratives), its free-text answers, then the plan's sentences for the area (a few
    headline figures, reports.plan). Areas with none of these are left out, and the rest are
    numbered in order."""
    figures = figures_by_area(data.figures)
    areas = list(data.area_names) + [area for area in figures if area not in data.area_names]
    subsections: list[Section] = []
    for area in areas:
        texts = narratives.of(area) + text_indicator_paragraphs(figures.get(area, ()))
        texts += plan.area(area).achievement_paragraphs
        blocks = tuple(Paragraph(text) for text in editorial.unique(texts))
        if blocks:
            subsections.append(Section(second_level_heading(len(subsections) + 1, area), blocks=blocks))
    return tuple(subsections)


def figure_facts(figures: Iterable[Figure]) -> tuple[FigureFact, ...]:
    """The figures as the appendix table prints them, for the 报告体检."""
    return tuple(
        FigureFact(
            f.indicator.code,
            f.indicator.name,
            value_text(f.indicator, f.current, Place.REPORT_SENTENCE) if f.current else "",
            value_text(f.indicator, f.previous, Place.REPORT_SENTENCE) if f.previous else "",
        )
        for f in figures
        if f.indicator.value_type not in ("text", "evidence")
    )


def department_report_document(data: DepartmentReportData, *, options: dict[str, Any]) -> ReportDocument:
    year, name = data.year, data.department_name
    Kind = NarrativeSection.Kind
    narratives = split_by_area(data.narratives.get(Kind.MEASURES, ""), data.area_names)
    plan = plan_report(data.figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    measures = measures_subsections(data, narratives, plan)
    other_blocks = _narrative(data, Kind.OTHER)
    if data.score:
        other_blocks += (Paragraph(score_sentence(data.score, year=year)),)
    other_blocks = other_blocks or (Paragraph("无。"),)
    sections = (
        Section(
            first_level_heading(1, f"{year}年度推进法治政府建设的主要举措和成效"),
            blocks=tuple(Paragraph(text) for text in narratives.lead),
            subsections=measures,
        ),
        Section(
            first_level_heading(2, "存在的不足和原因"),
            blocks=_narrative(data, Kind.SHORTCOMINGS) + shortfall_paragraphs(plan),
        ),
        Section(
            first_level_heading(3, "党政主要负责人履行推进法治建设第一责任人职责情况"),
            blocks=_narrative(data, Kind.LEADERSHIP, empty="（待补充：党政主要负责人履行第一责任人职责的情况。）"),
        ),
        Section(
            first_level_heading(4, f"{year + 1}年度推进法治政府建设的主要安排"),
            blocks=_narrative(data, Kind.NEXT_YEAR, empty="（待补充：下一年度的主要安排。）"),
        ),
        Section(first_level_heading(5, "其他需要报告的情况"), blocks=other_blocks),
    )
    chart = rate_chart(data.figures, year=year)
    appendix_blocks = (appendix_table(data.figures, year=year, sources=data.sources),) + ((chart,) if chart else ())
    appendices = [Appendix("附件1" if data.score else "附件", "主要指标完成情况", appendix_blocks)]
    if data.score:
        appendices.append(Appendix("附件2", "考核得分情况", (score_table(data.score, year=year),)))
    title = f"{name}关于{year}年度法治政府建设情况的报告"
    dated = date_text(data.submitted_on)
    notes: tuple[str, ...] = ()
    if data.return_status not in REPORTED_STATUSES and not data.is_historical:
        notes = (f"注意：本单位{year}年度填报状态为“{data.return_status_label}”，尚未提交，数据可能不完整。",)
    if narratives.lead and not narratives.by_area and len(data.area_names) > 1:
        notes += (AREA_HEADINGS_HINT,)
    return ReportDocument(
        title=title,
        addressee=data.addressee,
        opening=(
            Paragraph(
                f"{year}年，{name}深入学习贯彻习近平法治思想，认真落实法治政府建设各项任务。现将有关情况报告如下："
            ),
        ),
        sections=sections,
        issuer=name,
        date_text=dated,
        appendices=tuple(appendices),
        cover=Cover(title, name, dated) if options.get("has_cover") else None,
        notes=notes,
        facts=ReportFacts(
            figures=figure_facts(data.figures),
            contradictions=data.contradictions,
            narratives=tuple(text for text in data.narratives.values() if text),
            provided_differences=data.provided_differences,
        ),
    )


def build(request: BuildRequest) -> ReportDocument:
    if request.department is None:  # a unit's report: permissions.can_request_report asks for the unit
        raise ReportDataMissing("请选择单位。")
    data = department_report_data(department=request.department, year=request.year)
    return department_report_document(data, options=request.options)
