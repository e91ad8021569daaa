"""考核结果通报: the year's grades and rankings by kind of unit, once the bureau has published them.

Reads the stored score sheets through reviews.selectors.ranking (never recomputes a score), so the
notice says exactly what the results page says. Unless the bureau made the ranking public
(Publication.is_ranking_public), the notice gives grades only: units in their usual order, no
scores (a list of scores is a ranking) and no ranks.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accounts.models import Department
from indicators.models import GradeThreshold
from indicators.presenting import date_text
from reviews.models import Publication
from reviews.selectors import ranking

from ..document import Appendix, Column, Cover, Paragraph, ReportDocument, Section, Table, first_level_heading
from . import BuildRequest, ReportDataMissing

GRADE_LABELS = dict(GradeThreshold.Grade.choices)
KIND_HEADINGS = {
    Department.Kind.GOVERNMENT: "各级人民政府",
    Department.Kind.WORKING_DEPARTMENT: "市直及区县政府工作部门",
    Department.Kind.TOWNSHIP: "乡镇人民政府（街道办事处）",
}


@dataclass(frozen=True)
class ResultRow:
    rank: int
    unit_name: str
    total: Decimal
    grade: str
    is_vetoed: bool
    rank_change: int | None  # among the units ranked in both years (reviews.selectors.ranking)
    unit_order: (
        tuple[int, str] | tuple[()]
    ) = ()  # (sort order, code): the order units are listed in when ranks are not public
    is_new: bool = False  # not ranked last year: 新参评


@dataclass(frozen=True)
class KindResults:
    kind: str
    heading: str
    rows: tuple[ResultRow, ...]


@dataclass(frozen=True)
class ResultsNoticeData:
    year: int
    place_name: str
    is_final: bool
    appeal_deadline: datetime.date
    published_on: datetime.date
    kinds: tuple[KindResults, ...]
    is_ranking_public: bool = False


def results_notice_data(*, year: int) -> ResultsNoticeData:
    publication = Publication.objects.filter(year=year).first()
    if publication is None:
        raise ReportDataMissing(f"{year}年度考核结果尚未公示，无法生成结果通报。")
    kinds = []
    for kind, heading in KIND_HEADINGS.items():
        rows = tuple(
            ResultRow(
                rank=row.rank,
                unit_name=row.department.name,
                total=row.sheet.total,
                grade=row.sheet.grade,
                is_vetoed=row.sheet.is_vetoed,
                rank_change=row.rank_change,
                unit_order=(row.department.sort_order, row.department.code),
                is_new=row.is_new,
            )
            for row in ranking(year=year, kind=kind)
        )
        if rows:
            kinds.append(KindResults(kind, heading, rows))
    if not kinds:
        raise ReportDataMissing(f"{year}年度尚无考核得分，无法生成结果通报。")
    root = Department.objects.filter(parent__isnull=True, kind=Department.Kind.GOVERNMENT).order_by("code").first()
    return ResultsNoticeData(
        year=year,
        place_name=root.name.removesuffix("人民政府") if root else "本市",
        is_final=publication.is_final,
        appeal_deadline=publication.appeal_deadline,
        published_on=publication.published_at.date(),
        kinds=tuple(kinds),
        is_ranking_public=publication.is_ranking_public,
    )


# --- the pure part ---------------------------------------------------------------------------------


def grade_sentence(rows: Iterable[ResultRow]) -> str:
    counts = Counter(row.grade for row in rows)
    parts = [f"{GRADE_LABELS[g]}{counts[g]}个" for g in GradeThreshold.Grade.values if counts.get(g)]
    return "、".join(parts)


def in_unit_order(rows: Iterable[ResultRow]) -> list[ResultRow]:
    """Rows in the units' usual order: without a public ranking, even the order of names within a
    grade would tell who scored higher."""
    return sorted(rows, key=lambda row: row.unit_order)


def kind_paragraphs(results: KindResults, *, is_ranking_public: bool) -> tuple[Paragraph, ...]:
    rows = results.rows if is_ranking_public else in_unit_order(results.rows)
    paragraphs = []
    for grade in GradeThreshold.Grade.values:
        names = [row.unit_name for row in rows if row.grade == grade]
        if names:
            paragraphs.append(Paragraph(f"{GRADE_LABELS[grade]}等次（{len(names)}个）：{'、'.join(names)}。"))
    vetoed = [row.unit_name for row in rows if row.is_vetoed]
    if vetoed:
        paragraphs.append(Paragraph(f"因存在一票否决情形，{'、'.join(vetoed)}年度考核确定为不合格等次。"))
    return tuple(paragraphs)


def ranking_table(results: KindResults, *, number: int) -> Table:
    def change(row: ResultRow) -> str:
        if row.is_new:
            return "新参评"
        if row.rank_change is None:
            return "—"
        return (
            "持平"
            if row.rank_change == 0
            else (f"上升{row.rank_change}位" if row.rank_change > 0 else f"下降{-row.rank_change}位")
        )

    return Table(
        caption=f"表{number} {results.heading}考核得分及排名",
        columns=(
            Column("排名", "10%"),
            Column("单位", "44%", is_text=True),
            Column("总分", "14%", is_number=True),
            Column("等次", "14%"),
            Column("较上年", "18%"),
        ),
        rows=tuple(
            (str(r.rank), r.unit_name, f"{r.total:.2f}", GRADE_LABELS[r.grade], change(r)) for r in results.rows
        ),
    )


def grade_table(results: KindResults, *, number: int) -> Table:
    """The appendix table when the ranking is not public: each unit and its grade, nothing more."""
    return Table(
        caption=f"表{number} {results.heading}考核等次",
        columns=(Column("序号", "12%"), Column("单位", "60%", is_text=True), Column("等次", "28%")),
        rows=tuple(
            (str(n), r.unit_name, GRADE_LABELS[r.grade]) for n, r in enumerate(in_unit_order(results.rows), start=1)
        ),
    )


def results_notice_document(data: ResultsNoticeData, *, options: dict[str, Any]) -> ReportDocument:
    year, place = data.year, data.place_name
    all_rows = [row for kind in data.kinds for row in kind.rows]
    status = "最终结果" if data.is_final else f"初步结果（异议期至{date_text(data.appeal_deadline)}）"
    title = f"关于{year}年度法治政府建设考核结果的通报"
    issuer = f"{place}法治政府建设考核工作办公室"
    sections = [
        Section(
            first_level_heading(1, "考核基本情况"),
            blocks=(
                Paragraph(
                    f"按照{year}年度法治政府建设考核工作安排，经单位自评、审核评分、结果公示等程序，"
                    f"{year}年度考核工作已基本完成。本次共有{len(all_rows)}个单位参加考核，"
                    f"其中{grade_sentence(all_rows)}。本通报所列为{status}。"
                    + ("" if data.is_ranking_public else "本年度考核结果按等次公布，不公布各单位得分和排名。")
                ),
            ),
        ),
        Section(
            first_level_heading(2, "考核结果"),
            subsections=tuple(
                Section(
                    f"（{'一二三'[n]}）{kind.heading}",
                    blocks=kind_paragraphs(kind, is_ranking_public=data.is_ranking_public),
                )
                for n, kind in enumerate(data.kinds)
            ),
        ),
        Section(
            first_level_heading(3, "有关要求"),
            blocks=(
                Paragraph(
                    "各单位要认真对照考核中发现的问题，深入分析原因，制定整改措施，明确整改时限，"
                    "切实把考核结果转化为推进法治政府建设的实际成效。考核结果作为领导班子和领导干部"
                    "综合考核评价的重要参考。"
                ),
            ),
        ),
    ]
    return ReportDocument(
        title=title,
        addressee="各区县人民政府，市政府各部门：",
        sections=tuple(sections),
        issuer=issuer,
        date_text=date_text(data.published_on),
        appendices=(
            Appendix(
                "附件",
                f"{year}年度法治政府建设考核" + ("得分及排名" if data.is_ranking_public else "等次"),
                tuple(
                    (ranking_table if data.is_ranking_public else grade_table)(kind, number=n)
                    for n, kind in enumerate(data.kinds, start=1)
                ),
            ),
        ),
        cover=Cover(title, issuer, date_text(data.published_on)) if options.get("has_cover") else None,
    )


def build(request: BuildRequest) -> ReportDocument:
    return results_notice_document(results_notice_data(year=request.year), options=request.options)
