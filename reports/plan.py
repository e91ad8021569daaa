"""The report plan: which figures a report's prose cites, where, and in which words.

data (a kind's selector: figures with this year's and last year's readings) → **plan** (this module,
pure) → context (the kind's document builder) → template. The plan reads each indicator's report
settings from the framework (`report_role`, `phrase_template`, `zero_phrase`, `shortfall_phrase`,
`preferred_direction`) and applies the editorial rules (reports.editorial):

- 重点 (lead) figures open an area's paragraph, 一般 (support) ones follow while the paragraph has
  room (`KindPlan`), 仅列入附表 (table) ones stay in the appendix table;
- a met target or a move the right way is an achievement (成效); a missed target or a notable
  decline is a shortfall (存在的不足), never both;
- an empty, 不适用, 暂无数据 or 无此类事项 value says nothing; a zero says its natural-zero sentence
  or nothing.

A figure is anything with `indicator`, `current` and `previous`; a branch-wide figure of the
government report also has `unit_count` (units that reported it), `units_judged` and `units_below`
(the units that missed its target).
"""

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from indicators.models import Indicator, IndicatorNature, ReportRole, ValueType

from . import editorial
from .models import ReportKind

STATISTICS_PER_PARAGRAPH = 5
NUMERIC_TYPES = (ValueType.RATE, ValueType.COUNT, ValueType.AMOUNT)
MEASURE_TYPES = (ValueType.BOOLEAN, ValueType.DATE, ValueType.SINGLE_CHOICE, ValueType.MULTIPLE_CHOICE)


@dataclass(frozen=True)
class KindPlan:
    """How much of the plan a kind of report prints in its text."""

    roles_in_text: tuple[str, ...]
    figures_per_area: int  # numeric figures in one area's 成效 paragraph
    measures_per_area: int  # yes/no, date and choice statements in it
    shortfalls_per_area: int
    # 存在的不足 names a few concrete shortfalls in prose, as the seeds do ("一是…二是…三是…",
    # seed 002); every other missed target or decline is in the appendix table. 0: no limit.
    shortfalls_in_text: int = 0


# A department report's Figure or a branch's aggregate in the government report: both carry indicator,
# current, previous and meets_target; only aggregates carry units, and only some is_contradicted.
PlannedFigure = Any

KIND_PLANS: dict[str, KindPlan] = {
    ReportKind.DEPARTMENT_ANNUAL: KindPlan((ReportRole.LEAD, ReportRole.SUPPORT), 4, 3, 3, shortfalls_in_text=4),
    ReportKind.GOVERNMENT_ANNUAL: KindPlan((ReportRole.LEAD, ReportRole.SUPPORT), 4, 2, 2, shortfalls_in_text=3),
    # The congress report cites the government's headline figures only (seed 001: 出庭应诉率, 败诉率).
    ReportKind.CONGRESS_SURVEY: KindPlan((ReportRole.LEAD,), 3, 0, 2, shortfalls_in_text=4),
    ReportKind.RESULTS_NOTICE: KindPlan((), 0, 0, 0),
}


@dataclass(frozen=True)
class Statement:
    code: str
    text: str
    role: str
    is_figure: bool  # a number (rate, count, amount) rather than a measure taken
    is_statistic: bool = False  # a 统计指标: entered because the report cites it, so never capped
    group: str = ""  # its 二级指标: statistics are said group by group, a few to a paragraph
    is_decline: bool = False  # a shortfall that is a fall from last year, not a missed target


@dataclass(frozen=True)
class AreaPlan:
    area: str
    achievements: tuple[Statement, ...] = ()
    shortfalls: tuple[Statement, ...] = ()
    unlisted_shortfalls: int = 0  # shortfalls left to the appendix table (table-only or past the cap)

    @property
    def achievement_paragraphs(self) -> tuple[str, ...]:
        """The measures taken and the headline figures in one paragraph; then the statistics the unit
        entered, group (二级指标) by group, at most `STATISTICS_PER_PARAGRAPH` to a paragraph."""
        headline = [s for s in self.achievements if not s.is_statistic]
        measures = editorial.join_clauses(s.text for s in headline if not s.is_figure)
        figures = editorial.join_clauses(s.text for s in headline if s.is_figure)
        paragraphs = [measures + figures]
        groups: OrderedDict[str, list[str]] = OrderedDict()
        for statement in self.achievements:
            if statement.is_statistic:
                groups.setdefault(statement.group, []).append(statement.text)
        for texts in groups.values():
            for start in range(0, len(texts), STATISTICS_PER_PARAGRAPH):
                paragraphs.append(editorial.join_clauses(texts[start : start + STATISTICS_PER_PARAGRAPH]))
        return tuple(p for p in paragraphs if p)

    @property
    def achievement_text(self) -> str:
        return "".join(self.achievement_paragraphs)


@dataclass(frozen=True)
class ReportPlan:
    areas: tuple[AreaPlan, ...] = ()
    unit_count: int = 1
    by_area: dict[str, AreaPlan] = field(default_factory=dict)
    shortfalls_in_text: int = 0  # KindPlan.shortfalls_in_text

    def area(self, name: str) -> AreaPlan:
        return self.by_area.get(name) or AreaPlan(name)

    @property
    def shortfall_count(self) -> int:
        return sum(len(a.shortfalls) + a.unlisted_shortfalls for a in self.areas)

    @property
    def achievement_codes(self) -> set[str]:
        return {s.code for a in self.areas for s in a.achievements}

    @property
    def shortfall_codes(self) -> set[str]:
        return {s.code for a in self.areas for s in a.shortfalls}


def _is_statistic(indicator: Indicator) -> bool:
    return getattr(indicator, "nature", "") == IndicatorNature.STATISTICAL


def _role(indicator: Indicator) -> str:
    return str(getattr(indicator, "report_role", "") or ReportRole.SUPPORT)


def _unit_count(figure: PlannedFigure) -> int:
    """How many units a branch figure covers; 0 for one unit's own figure."""
    return int(getattr(figure, "unit_count", 0) or 0)


def _measure_statements(figure: PlannedFigure, place: str, unit_count: int) -> tuple[str, str]:
    """(achievement, shortfall) for a yes/no, date or choice indicator."""
    indicator, current = figure.indicator, figure.current
    if indicator.value_type == ValueType.BOOLEAN and _unit_count(figure) > 1:
        # A branch-wide yes/no is the number of units that answered 是 (government_figures).
        yes, total = int(current.value), _unit_count(figure)
        core = editorial.without_fraction(indicator.phrase_template)
        # "全市20个单位均已…" only when the indicator concerns every unit of the branch.
        where = place if total == unit_count else "相关"
        achievement = editorial.share_sentence(core, yes=yes, total=total, place=where) if core else ""
        shortfall = f"尚有{total - yes}个单位未{editorial.strip_universals(core)}" if yes < total and core else ""
        return achievement, shortfall
    if indicator.value_type == ValueType.BOOLEAN:
        # One unit: its own answer (a branch of one unit counts its 是 as 1).
        current = type(current)(value=bool(current.value))
        if current.value:
            return editorial.achievement_sentence(indicator, current, None), ""
        return "", editorial.shortfall_sentence(indicator, current)
    if figure.meets_target is False:
        return "", editorial.shortfall_sentence(indicator, current)
    return editorial.achievement_sentence(indicator, current, None), ""


def _unit_shortfall_clause(figure: PlannedFigure) -> str:
    """How many units missed the target, when there is more than one unit (rule 9)."""
    judged, below = getattr(figure, "units_judged", 0), len(getattr(figure, "units_below", ()))
    if judged <= 1 or not below:
        return ""
    if below == judged:
        return f"{judged}个单位均未达到目标"
    return f"有{below}个单位未达到目标"


def _averaged(text: str, figure: PlannedFigure) -> str:
    """Rule 7: a branch's score is its units' mean: "满意度为89.51分" → "满意度平均为89.51分"."""
    if not text or not _unit_count(figure) or not editorial.is_averaged(figure.indicator) or "平均" in text:
        return text
    return text.replace("为", "平均为", 1) if "为" in text else "平均" + text


def _numeric_statements(figure: PlannedFigure, *, with_achievement: bool = True) -> tuple[str, str]:
    """(achievement, shortfall or decline); the achievement left unwritten ("") when the report does
    not print this figure's role in its text (a congress report's supporting figures)."""
    indicator, current, previous = figure.indicator, figure.current, figure.previous
    if figure.meets_target is False:
        text = _averaged(editorial.shortfall_sentence(indicator, current, previous), figure)
        clause = _unit_shortfall_clause(figure)
        return "", f"{text}，{clause}" if clause else text
    achievement = ""
    if with_achievement:
        achievement = _averaged(editorial.achievement_sentence(indicator, current, previous), figure)
    decline = _averaged(editorial.decline_sentence(indicator, current, previous), figure)
    if not decline and _role(indicator) == ReportRole.LEAD:
        # The branch met the target, but some units did not: worth saying for a headline figure.
        clause = _unit_shortfall_clause(figure)
        decline = f"{indicator.name}{clause}" if clause else ""
    return achievement, decline


def plan_report(figures: Sequence[PlannedFigure], *, kind: str, place: str = "") -> ReportPlan:
    """The plan of a report: per area (in the figures' order), its 成效 and 不足 statements."""
    config = KIND_PLANS[kind]
    by_area: OrderedDict[str, dict[str, Any]] = OrderedDict()
    unit_count = max((_unit_count(f) for f in figures), default=1) or 1
    for figure in figures:
        indicator = figure.indicator
        slot = by_area.setdefault(figure.indicator.group.area.name, {"lead": [], "support": [], "short": [], "more": 0})
        if indicator.value_type in (ValueType.TEXT, ValueType.EVIDENCE):
            continue
        if figure.current is not None and figure.current.is_partial and _role(indicator) != ReportRole.TABLE:
            # One part of a rate alone is a count worth saying (抽查案卷1000件); the rate is 无法计算.
            text = editorial.part_sentence(indicator, figure.current)
            if text and config.roles_in_text:
                slot["support"].append(
                    Statement(indicator.code, text, _role(indicator), True, True, indicator.group.name)
                )
            continue
        if editorial.is_silent(figure.current):
            continue
        if getattr(figure, "is_contradicted", False):
            continue  # it contradicts another figure (indicators.relations): the table shows it, no sentence
        role = _role(indicator)
        is_figure = indicator.value_type in NUMERIC_TYPES
        if is_figure:
            achievement, shortfall = _numeric_statements(figure, with_achievement=role in config.roles_in_text)
        else:
            achievement, shortfall = _measure_statements(figure, place, unit_count)
        if shortfall:
            if role != ReportRole.TABLE and config.roles_in_text:
                is_decline = is_figure and figure.meets_target is not False
                slot["short"].append(Statement(indicator.code, shortfall, role, is_figure, is_decline=is_decline))
            else:
                slot["more"] += 1
        if achievement and role in config.roles_in_text:
            key = "lead" if role == ReportRole.LEAD else "support"
            slot[key].append(
                Statement(indicator.code, achievement, role, is_figure, _is_statistic(indicator), indicator.group.name)
            )
    areas = tuple(_area_plan(area, slot, config) for area, slot in by_area.items())
    return ReportPlan(
        areas=areas,
        unit_count=unit_count,
        by_area={a.area: a for a in areas},
        shortfalls_in_text=config.shortfalls_in_text,
    )


def _area_plan(area: str, slot: dict[str, Any], config: KindPlan) -> AreaPlan:
    chosen: list[Statement] = []
    figures = measures = 0
    seen: set[str] = set()
    for statement in slot["lead"] + slot["support"]:
        if statement.text in seen:
            continue
        if statement.is_statistic and config.figures_per_area:
            pass  # a statistic a unit chose to enter is one its report cites (issue 16 §2)
        elif statement.is_figure and figures < config.figures_per_area:
            figures += 1
        elif not statement.is_figure and measures < config.measures_per_area:
            measures += 1
        else:
            continue
        seen.add(statement.text)
        chosen.append(statement)
    shortfalls = list(editorial_unique(slot["short"]))
    listed = shortfalls[: config.shortfalls_per_area]
    return AreaPlan(
        area=area,
        achievements=tuple(chosen),
        shortfalls=tuple(listed),
        unlisted_shortfalls=slot["more"] + len(shortfalls) - len(listed),
    )


def editorial_unique(statements: list[Statement]) -> list[Statement]:
    texts = set(editorial.unique(s.text for s in statements))
    kept, seen = [], set()
    for statement in statements:
        if statement.text in texts and statement.text not in seen:
            seen.add(statement.text)
            kept.append(statement)
    return kept


ORDINALS = "一二三四五六七八九十"


def shortfalls_in_text(plan: ReportPlan) -> list[tuple[str, list[Statement]]]:
    """The few shortfalls the prose names, grouped by area in the report's order: missed targets
    before declines from last year, headline (重点) figures before others, figures before measures,
    then in the report's order, up to the kind's limit."""
    listed = [(index, position, s) for index, a in enumerate(plan.areas) for position, s in enumerate(a.shortfalls)]
    if plan.shortfalls_in_text:
        ranked = sorted(
            listed,
            key=lambda item: (item[2].is_decline, item[2].role != ReportRole.LEAD, not item[2].is_figure, item[:2]),
        )
        listed = sorted(ranked[: plan.shortfalls_in_text], key=lambda item: item[:2])
    chosen: OrderedDict[str, list[Statement]] = OrderedDict()
    for index, _, statement in listed:
        chosen.setdefault(plan.areas[index].area, []).append(statement)
    return list(chosen.items())


def shortfall_paragraphs(plan: ReportPlan, *, intro: str = "对照年度考核指标，") -> tuple[str, ...]:
    """存在的不足 from the data, as prose: "一是…方面，…" for a few shortfalls (shortfalls_in_text),
    then where the rest are: the appendix table, never a count of indicators in the text."""
    chosen = shortfalls_in_text(plan)
    if not chosen and not plan.shortfall_count:
        return (f"{intro}各项有目标要求的指标均已达到目标。",)
    paragraphs = [f"{intro}仍有一些指标未达到目标要求或较上年有所下降，主要是："] if chosen else []
    for number, (area, statements) in enumerate(chosen):
        ordinal = ORDINALS[number] if number < len(ORDINALS) else str(number + 1)
        clauses = "；".join(s.text for s in statements)
        paragraphs.append(f"{ordinal}是{_short_area(area)}方面，{clauses}。")
    if plan.shortfall_count > sum(len(statements) for _, statements in chosen):
        rest = "其余" if chosen else ""
        paragraphs.append(f"{intro if not chosen else ''}{rest}未达到目标要求或较上年下降的指标，详见附件。")
    return tuple(paragraphs)


def _short_area(name: str) -> str:
    """ "依法行政制度体系（规范性文件）" → "依法行政制度体系"."""
    return editorial._PARENTHESISED.sub("", name).strip() or name
