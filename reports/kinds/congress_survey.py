"""人大常委会调研报告 on the government's 法治政府建设 (like seeds 000 第一篇 and 001).

Congress data comes from the congress module's one selector (`congress_report_data`); the citywide
figures are the government report's aggregation for the top-level government. Sections 一 to 三 are
drafts from the data (section 三: shortfalls, survey problem shares, follow-up gaps); congress staff
may replace each with their own wording on the report's 报告稿 page (reports.ReportDraftSection, like
every kind with editable sections) until the report is final, and the report then prints it.
"""

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.utils import timezone

from accounts.models import Department
from congress.models import CongressYear
from congress.selectors.followup import FollowUpTotals
from congress.selectors.report import CongressReportData, congress_report_data
from congress.selectors.survey_results import ProblemRanking, QuestionSatisfaction, SurveyResults
from indicators.presenting import date_text, percent_text

from .. import wording
from ..charts import bar_chart
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
from ..drafts import DraftEdits
from ..models import ReportKind
from ..plan import ReportPlan, plan_report, shortfalls_in_text
from ..selectors import draft_of
from . import BuildRequest, ReportDataMissing
from .government_annual import (
    GovernmentReportData,
    government_facts,
    government_report_data,
    place_word,
    summary_table,
)


@dataclass(frozen=True)
class CongressSurveyData:
    place_name: str
    congress: CongressReportData
    government: GovernmentReportData | None
    government_missing_reason: str

    @cached_property
    def plan(self) -> "ReportPlan | None":
        """The plan of the citywide figures for this report (read by two sections: planned once)."""
        if self.government is None:
            return None
        return plan_report(self.government.figures, kind=ReportKind.CONGRESS_SURVEY, place=place_word(self.place_name))


def congress_survey_data(*, year: int, edits: DraftEdits | None = None) -> CongressSurveyData:
    """`edits`: the 报告稿's, when the caller has read them (else the draft is read here)."""
    # Overdue follow-ups are counted on the day the report is signed, not the day it is generated:
    # a body saying "截至<today>" after a 成文日期 of last spring is an impossible date.
    if edits is None:
        draft = draft_of(kind=ReportKind.CONGRESS_SURVEY, year=year, department=None)
        signed_on = draft.signed_on if draft else None
    else:
        signed_on = edits.signed_on
    as_of = min(signed_on, timezone.localdate()) if signed_on else None
    try:
        congress = congress_report_data(year=year, today=as_of)
    except CongressYear.DoesNotExist:
        raise ReportDataMissing(f"人大监督模块尚未建立{year}年度，无法生成调研报告。") from None
    root = (
        Department.objects.filter(parent__isnull=True, kind=Department.Kind.GOVERNMENT, is_active=True)
        .order_by("sort_order", "code")
        .first()
    )
    government, reason = None, ""
    if root is not None:
        try:
            government = government_report_data(government=root, year=year)
        except ReportDataMissing as missing:
            reason = str(missing)
    place = root.name.removesuffix("人民政府") if root else "本市"
    return CongressSurveyData(place, congress, government, reason)


# --- the pure part ---------------------------------------------------------------------------------


def _percent(value: Decimal | None) -> str:
    return percent_text(value) if value is not None else "—"


def _quoted(text: str) -> str:
    """“text”, with double quotes inside turned into single ones as nested quotes are written."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _either(labels: list[str]) -> str:
    """“好”或“较好”; “很满意”“满意”或“基本满意” (no 、 between quoted items, as the seeds write)."""
    quoted = [_quoted(label) for label in labels]
    return "".join(quoted[:-1]) + "或" + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def basic_situation(data: CongressSurveyData) -> tuple[Paragraph, ...]:
    congress, year = data.congress, data.congress.year
    labels = appendix_labels(data)
    methods = [f"{c.kind_label}{c.count}次" for c in congress.activity_counts if c.count]
    paragraphs = [
        f"根据常委会年度监督工作计划安排，{year}年，常委会组织调研组对{data.place_name}法治政府建设情况开展专题调研"
        + (f"，重点围绕“{congress.title}”" if congress.title and not congress.title.startswith("关于") else "")
        + "。"
        + (f"调研组先后开展{'、'.join(methods)}" if methods else "")
        + (
            f"，涉及{len(congress.activity_departments)}个单位（名单见{labels['units']}）"
            if congress.activity_departments
            else ""
        )
        + ("。" if methods else "")
    ]
    survey = congress.survey
    if survey is not None:
        total = survey.total
        groups = "、".join(f"{s.group_name}{s.valid}份" for s in survey.samples)
        paragraphs.append(
            f"调研期间开展了“{survey.title}”问卷调查"
            + (f"（{survey.method}）" if survey.method else "")
            + f"，共回收问卷{total.returned}份，其中有效问卷{total.valid}份，有效率{_percent(total.valid_rate)}"
            + (f"，其中{groups}" if groups else "")
            + f"。调查结果分析见{labels['survey']}。"
        )
    paragraphs.append("调研组还审阅了市政府关于法治政府建设情况的年度报告，汇总分析了各单位报送的年度考核数据。")
    coverage = coverage_words(data)
    if coverage:
        paragraphs.append(coverage)
    return tuple(Paragraph(p) for p in paragraphs)


def coverage_words(data: CongressSurveyData) -> str:
    """Which units' figures the report's data cover, said whenever some are missing."""
    government = data.government
    if government is None:
        return ""
    reported = sum(1 for r in government.returns if r.is_reported)
    missing = len(government.missing_units)
    if not missing:
        return ""
    return (
        f"截至调研时，{reported + missing}个单位中已有{reported}个单位报送{data.congress.year}年度考核数据，"
        f"{missing}个单位尚未报送；本报告所引考核数据仅涵盖已报送的单位。"
    )


def satisfaction_paragraph(question: QuestionSatisfaction) -> str:
    """The seeds' sentence: the share answering well overall, then the rate of each respondent group
    ("总体评价为“好”和“较好”的占X%……其中，人大代表好评率为X%，普通群众好评率为X%")."""
    overall = question.overall
    if overall.rate is None:
        return f"在{_quoted(question.text)}一题中，没有有效回答。"
    satisfied = [o.label for o in question.options if o.counts_as_satisfied]
    text = f"在{_quoted(question.text)}一题中，选择{_either(satisfied)}的受访者占{_percent(overall.rate)}"
    groups = [
        f"{g.group_name}满意率为{_percent(g.rate)}" if g.rate is not None else f"{g.group_name}无有效回答"
        for g in question.by_group
    ]
    return text + ("。其中，" + "，".join(groups) if groups else "") + "。"


def followup_sentence(totals: FollowUpTotals) -> str:
    """One kind's figures as seed 001 writes them: "代表建议358件，所提问题已经解决或基本解决的197件，
    部分解决或已列入计划解决的129件，合计占比91.06%"."""
    text = (
        f"{totals.kind_label}{totals.total}件，所提问题已经解决或基本解决的{totals.resolved}件，"
        f"部分解决或已列入计划解决的{totals.partially_resolved}件，合计占比{_percent(totals.handled_share)}"
    )
    if totals.reviewed:
        text += f"，常委会对其中{totals.reviewed}件开展了“回头看”"
    return text


def survey_evaluation(data: CongressSurveyData) -> tuple[Paragraph, ...]:
    """The survey's verdict, which opens section 二 as in seed 000 ("据近期社情民意调查，……总体评价为
    “好”和“较好”的占X%")."""
    survey = data.congress.survey
    if survey is None or not survey.satisfaction:
        return ()
    paragraphs = [satisfaction_paragraph(q) for q in survey.satisfaction]
    paragraphs[0] = "据问卷调查，" + paragraphs[0]
    return tuple(Paragraph(p) for p in paragraphs)


def achievements(data: CongressSurveyData) -> tuple[Section, ...]:
    """Per area the citywide figures, then the follow-up of 审议意见 and 代表建议 (seed 001's last part)."""
    sections: list[Section] = []
    plan = government_plan(data)
    if plan is not None:
        for area in plan.areas:
            texts = area.achievement_paragraphs
            if texts:
                blocks = tuple(Paragraph(text) for text in texts)
                sections.append(Section(second_level_heading(len(sections) + 1, area.area), blocks=blocks))
    kinds = [t for t in (data.congress.opinion_totals, data.congress.suggestion_totals) if t.total]
    if kinds:
        ordinals = ("一是", "二是")
        text = "".join(
            f"{ordinal}{totals.kind_label}办理。{followup_sentence(totals)}。"
            for ordinal, totals in zip(ordinals, kinds, strict=False)
        )
        heading = second_level_heading(len(sections) + 1, "审议意见和代表建议办理情况")
        sections.append(Section(heading, blocks=(Paragraph(text),)))
    return tuple(sections)


def government_plan(data: CongressSurveyData) -> ReportPlan | None:
    """The plan of the citywide figures for this report: headline figures only (reports.plan)."""
    return data.plan


def _shortfall_problem(data: CongressSurveyData) -> str:
    """The citywide shortfalls of the headline and supporting figures, a few at most."""
    plan = government_plan(data)
    if plan is None:
        return ""
    statements = [s.text for _, chosen in shortfalls_in_text(plan) for s in chosen]
    if not statements:
        return ""
    clauses = [f"{ordinal}是{text}" for ordinal, text in zip("一二三四五", statements, strict=False)]
    return "从年度考核数据看，" + "；".join(clauses) + "。"


def problem_share_paragraph(ranking: ProblemRanking) -> str:
    """Seed 000: "26.2%的受访者反映多头多重执法……；22.8%的受访者反映……", then the group that named
    the most-named problem most often."""
    chosen = [p for p in ranking.problems if p.count][:3]
    if not chosen:
        return ""
    clauses = [f"{_percent(p.share)}的受访者选择{_quoted(p.label)}" for p in chosen]
    text = f"对{_quoted(ranking.text)}，反映比较集中的是：" + wording.sentence(clauses)
    top = chosen[0]
    groups = [g for g in top.by_group if g.share is not None]
    if len(groups) > 1:
        highest = max(groups, key=lambda g: g.share or Decimal(0))  # every share here is known
        text += f"其中，{highest.group_name}选择{_quoted(top.label)}的比例最高，为{_percent(highest.share)}。"
    return text


def _followup_problem(data: CongressSurveyData) -> str:
    congress = data.congress
    clauses = []
    for totals in (congress.opinion_totals, congress.suggestion_totals):
        gaps = [
            f"{label}{count}件"
            for label, count in (
                ("部分解决或列入计划", totals.partially_resolved),
                ("未解决", totals.unresolved),
                ("尚未答复", totals.pending),
            )
            if count
        ]
        if totals.total and gaps:
            clauses.append(f"{totals.kind_label}{totals.total}件中，" + "，".join(gaps))
    overdue = congress.followup_totals.overdue_assignments
    if not clauses and not overdue:
        return ""
    text = "从办理情况看，" + wording.sentence(clauses) if clauses else ""
    if overdue:
        units = congress.overdue_departments
        text += (
            f"截至{date_text(congress.as_of)}，逾期未答复的交办事项{overdue}件"
            + (f"，涉及{'、'.join(units[:5])}{'等' if len(units) > 5 else ''}{len(units)}个单位" if units else "")
            + "，有的部门回应不够及时。"
        )
    return text


def problems(data: CongressSurveyData) -> tuple[Section, ...]:
    sections: list[tuple[str, tuple[str, ...]]] = []
    if data.government is not None:
        text = _shortfall_problem(data)
        if text:
            sections.append(("部分考核指标未达到目标要求", (text,)))
    survey = data.congress.survey
    if survey is not None:
        paragraphs = [p for p in (problem_share_paragraph(r) for r in survey.problems) if p]
        if paragraphs:
            paragraphs[0] = "据问卷调查，" + paragraphs[0]
            sections.append(("群众反映的问题较为集中", tuple(paragraphs)))
    text = _followup_problem(data)
    if text:
        sections.append(("审议意见和代表建议办理落实还不到位", (text,)))
    return tuple(
        Section(second_level_heading(n, title), blocks=tuple(Paragraph(p) for p in paragraphs))
        for n, (title, paragraphs) in enumerate(sections, start=1)
    )


def recommendations(data: CongressSurveyData) -> tuple[Section, ...]:
    return tuple(
        Section(
            second_level_heading(r.position, r.title),
            blocks=tuple(Paragraph(t) for t in wording.paragraphs_of(r.content)),
        )
        for r in data.congress.recommendations
    )


def appendix_labels(data: CongressSurveyData) -> dict[str, str]:
    """附件1, 附件2 … in the order the appendices appear, for the ones this year's data has."""
    present = [
        ("survey", data.congress.survey is not None),
        ("indicators", data.government is not None),
        ("units", bool(data.congress.activities)),
    ]
    labels, number = {}, 0
    for key, is_present in present:
        if is_present:
            number += 1
            labels[key] = f"附件{number}"
    return labels


def _samples_table(survey: SurveyResults) -> Table:
    return Table(
        caption="问卷样本情况",
        columns=(Column("调查对象", "40%", is_text=True), Column("回收问卷"), Column("有效问卷"), Column("有效率")),
        rows=tuple(
            (s.group_name, str(s.returned), str(s.valid), _percent(s.valid_rate))
            for s in (*survey.samples, survey.total)
        ),
    )


def _satisfaction_table(question: QuestionSatisfaction, survey: SurveyResults) -> Table:
    return Table(
        caption=f"第{question.number}题 {question.text}",
        columns=(
            Column("调查对象", "30%", is_text=True),
            Column("有效回答"),
            Column("满意"),
            Column("满意率"),
            Column("95%置信区间", "22%"),
        ),
        rows=tuple(
            (
                s.group_name,
                str(s.base),
                str(s.satisfied),
                _percent(s.rate),
                f"{percent_text(s.interval.low)}—{percent_text(s.interval.high)}" if s.interval else "—",
            )
            for s in (*question.by_group, question.overall)
        ),
        note=f"说明：满意率 = {question.rule}；95%置信区间采用威尔逊得分区间法计算。",
    )


def satisfaction_chart(survey: SurveyResults) -> Chart | None:
    """Each group's satisfaction rate, one bar per rating question (the legend names the question as
    the tables do: 第1题 …)."""
    questions = [q for q in survey.satisfaction if q.overall.rate is not None]
    if not questions:
        return None
    groups = [g.group_name for g in questions[0].by_group] + [questions[0].overall.group_name]
    svg = bar_chart(
        labels=groups,
        series=[(f"第{q.number}题", [row.rate for row in (*q.by_group, q.overall)]) for q in questions],
        unit="%",
        print_values=len(questions) == 1,  # the tables above give every rate
    )
    numbers = "、".join(f"第{q.number}题" for q in questions)
    return Chart(caption=f"各类受访者满意率（{numbers}）", svg=svg)


def problem_share_table(ranking: ProblemRanking, survey: SurveyResults) -> Table:
    """Each problem's share among the valid respondents of each group (ProblemShare.by_group)."""
    groups = survey.samples
    width = f"{66 // (len(groups) + 1)}%"
    return Table(
        caption=f"第{ranking.number}题 {ranking.text}（按调查对象分列）",
        columns=(
            Column("问题", "34%", is_text=True),
            *(Column(g.group_name, width) for g in groups),
            Column("合计", width),
        ),
        rows=(
            ("有效问卷（份）", *(str(g.valid) for g in groups), str(survey.total.valid)),
            *((p.label, *(_percent(g.share) for g in p.by_group), _percent(p.share)) for p in ranking.problems),
        ),
        note="占比 = 选择该项的受访者 ÷ 该类有效问卷；可多选，各项占比之和可超过100%。",
    )


def survey_blocks(data: CongressSurveyData) -> tuple[Table | Chart, ...]:
    """The survey appendix: samples, then each rating question's table and chart, then each problem
    list by group. Tables and figures are numbered in the order they appear."""
    survey = data.congress.survey
    if survey is None:
        return ()
    blocks: list[Table | Chart] = [_samples_table(survey)]
    blocks += [_satisfaction_table(question, survey) for question in survey.satisfaction]
    chart = satisfaction_chart(survey)
    if chart:
        blocks.append(chart)
    blocks += [problem_share_table(ranking, survey) for ranking in survey.problems]
    tables = figures = 0
    numbered: list[Table | Chart] = []
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            numbered.append(dataclasses.replace(block, caption=f"表{tables} {block.caption}"))
        else:
            figures += 1
            numbered.append(dataclasses.replace(block, caption=f"图{figures} {block.caption}"))
    return tuple(numbered)


def units_table(data: CongressSurveyData) -> Table:
    activities = data.congress.activities
    return Table(
        caption="调研活动及参加单位",
        columns=(
            Column("日期", "16%"),
            Column("形式", "12%"),
            Column("主题", "30%", is_text=True),
            Column("参加单位", "42%", is_text=True),
        ),
        rows=tuple(
            (date_text(a.held_on), a.kind_label, a.subject, "、".join(a.departments) or a.other_participants)
            for a in activities
        ),
    )


# The sections drafted from the data, in report order, by heading (their 报告稿 keys).
BASIC_SITUATION, ACHIEVEMENTS, PROBLEMS = "调研工作基本情况", "主要做法和成效", "存在的主要问题"
EDITABLE = (BASIC_SITUATION, ACHIEVEMENTS, PROBLEMS)
# What a section says when the data has given it nothing.
_EMPTY: dict[str, str] = {ACHIEVEMENTS: "（考核数据尚未汇总。）", PROBLEMS: "（待调研组补充。）"}

Body = tuple[tuple[Paragraph, ...], tuple[Section, ...]]  # a section's own paragraphs, its subsections


def generated_body(data: CongressSurveyData, section: str) -> Body:
    """The draft of an editable section, written from the data."""
    if section == BASIC_SITUATION:
        return basic_situation(data), ()
    if section == ACHIEVEMENTS:
        return survey_evaluation(data), achievements(data)
    return (), problems(data)


def _editable_section(data: CongressSurveyData, number: int, section: str) -> Section:
    blocks, subsections = generated_body(data, section)
    if not blocks and not subsections and section in _EMPTY:
        blocks = (Paragraph(_EMPTY[section]),)
    return Section(first_level_heading(number, section), blocks=blocks, subsections=subsections)


def congress_survey_document(data: CongressSurveyData, *, options: dict[str, Any]) -> ReportDocument:
    congress, year = data.congress, data.congress.year
    title = f"关于{year}年度法治政府建设情况的调研报告"
    notes = (data.government_missing_reason,) if data.government_missing_reason else ()
    labels = appendix_labels(data)
    appendices = []
    if congress.survey is not None:
        appendices.append(Appendix(labels["survey"], "问卷调查分析", survey_blocks(data)))
    if data.government is not None:
        appendices.append(
            Appendix(
                labels["indicators"],
                "主要指标数据",
                (summary_table(data.government.figures, year=year, sources=data.government.sources),),
            )
        )
    if congress.activities:
        appendices.append(Appendix(labels["units"], "调研活动及参加单位名单", (units_table(data),)))
    recommendation_sections = recommendations(data)
    return ReportDocument(
        title=title,
        addressee="主任、副主任，各位委员：",
        opening=(
            Paragraph(
                f"为了解{data.place_name}{year}年度法治政府建设情况，为常委会组成人员审议市人民政府关于法治政府"
                "建设情况的报告提供参考，常委会组织开展了专题调研。现将调研情况报告如下："
            ),
        ),
        sections=(
            *(_editable_section(data, number, section) for number, section in enumerate(EDITABLE, start=1)),
            Section(
                first_level_heading(4, "意见和建议"),
                blocks=() if recommendation_sections else (Paragraph("（待调研组补充。）"),),
                subsections=recommendation_sections,
            ),
        ),
        issuer=f"{data.place_name}人大常委会调研组",
        date_text="",
        appendices=tuple(appendices),
        cover=Cover(title, f"{data.place_name}人大常委会调研组", f"{year + 1}年") if options.get("has_cover") else None,
        notes=notes,
        facts=government_facts(data.government) if data.government is not None else None,
    )


def build(request: BuildRequest) -> ReportDocument:
    data = congress_survey_data(year=request.year, edits=request.edits)
    return congress_survey_document(data, options=request.options)
