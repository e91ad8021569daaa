"""报告体检: the checks run on every draft before it may be signed (定稿). Pure: no queries.

A kind's builder records what the checks need as `ReportFacts` on the document (the figures as
printed, which units' returns are in, targets no unit met, contradictions between figures); the run
service adds last year's published figures and stores the items on the run. 定稿 is refused while an
item is neither fixed (a regenerated draft no longer has it) nor acknowledged with a reason
(reports.services.report_run_acknowledge, audited).

Check classes, each with a stable key so an acknowledgement survives regeneration:
- 数据矛盾 (contradiction): the framework's relations between figures that the data break;
- 日期 (date): a date in the body later than the 成文日期;
- 覆盖范围 (coverage): units whose returns are not in, and whether the text says so;
- 上年基数 (base): last year's figure differs from the one the previous year's final report printed;
- 目标 (target): a target no unit met;
- 文字 (wording): the editorial faults that text can show (reports.editorial.text_faults), e.g. in
  sections congress staff edited.
"""

import datetime
import hashlib
import re
from dataclasses import asdict, dataclass, field

from indicators.presenting import date_text

from . import editorial

KIND_LABELS = {
    "contradiction": "数据矛盾",
    "date": "日期",
    "coverage": "覆盖范围",
    "base": "上年基数",
    "target": "目标",
    "wording": "文字",
}
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class FigureFact:
    code: str
    name: str
    current: str  # as the report prints this year's figure
    previous: str = ""  # as it prints last year's ("" when it has none)


@dataclass(frozen=True)
class Contradiction:
    message: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class ReportFacts:
    figures: tuple[FigureFact, ...] = ()
    reporting_units: tuple[str, ...] = ()
    missing_units: tuple[str, ...] = ()
    targets_no_unit_met: tuple[FigureFact, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()

    def snapshot(self) -> dict[str, str]:
        """This year's figures by code: what next year's report compares its 上年 column with."""
        return {fact.code: fact.current for fact in self.figures if fact.current}


@dataclass(frozen=True)
class HealthItem:
    key: str
    kind: str
    message: str
    target: str = ""  # what to open to fix it: an indicator code, a unit's name, or a section

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return asdict(self)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def parse_date(text: str) -> datetime.date | None:
    match = _DATE.search(text or "")
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def body_text(document) -> tuple[str, str]:
    """(the body's prose, the prose of its first section — 成效 in every kind but the notice)."""
    from .document import Paragraph

    def section_paragraphs(section) -> list[str]:
        texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
        for sub in section.subsections:
            texts += [sub.heading, *section_paragraphs(sub)]
        return texts

    body = [p.text for p in document.opening]
    achievements = ""
    for number, section in enumerate(document.sections):
        texts = section_paragraphs(section)
        body += texts
        if number == _achievements_index(document):
            achievements = "\n".join(texts)
    return "\n".join(body), achievements


def _achievements_index(document) -> int:
    for number, section in enumerate(document.sections):
        if "成效" in section.heading:
            return number
    return -1


def _is_deadline(body: str, start: int, end: int) -> bool:
    """ "异议期至2025年6月30日", "2025年3月1日前": a time limit ahead, which may follow the signing date;
    "截至2025年…" is a state of affairs on that day and may not."""
    before = body[max(0, start - 2) : start]
    return (before.endswith("至") and not before.endswith("截至")) or body[end : end + 1] == "前"


def date_items(document, signed_on: datetime.date | None) -> list[HealthItem]:
    """Dates of things done (报送, 公开, 截至…) that the body puts after the 成文日期."""
    if signed_on is None:
        return []
    body, _ = body_text(document)
    items = []
    for match in _DATE.finditer(body):
        mentioned = parse_date(match.group(0))
        if mentioned and mentioned > signed_on and not _is_deadline(body, match.start(), match.end()):
            items.append(
                HealthItem(
                    key=f"date:{mentioned.isoformat()}",
                    kind="date",
                    message=f"正文提到的日期{match.group(0)}晚于成文日期{date_text(signed_on)}：请核对该日期或成文日期。",
                )
            )
    return list({item.key: item for item in items}.values())


def coverage_items(facts: ReportFacts, body: str) -> list[HealthItem]:
    if not facts.missing_units:
        return []
    names = "、".join(facts.missing_units[:10]) + ("等" if len(facts.missing_units) > 10 else "")
    total = len(facts.missing_units) + len(facts.reporting_units)
    items = [
        HealthItem(
            key=f"coverage:{_digest('|'.join(facts.missing_units))}",
            kind="coverage",
            message=f"{total}个单位中有{len(facts.missing_units)}个单位的年度数据未计入：{names}。",
            target=facts.missing_units[0],
        )
    ]
    if "尚未报送" not in body and "未计入" not in body:
        items.append(
            HealthItem(key="coverage:unstated", kind="coverage", message="数据不完整，但正文没有说明数据涵盖哪些单位。")
        )
    return items


def base_items(facts: ReportFacts, published: dict[str, str] | None, year: int) -> list[HealthItem]:
    """Last year's figures as this report prints them against last year's report: one item for all
    the differences (they usually share one cause, such as comparing only this year's reporters)."""
    if not published:
        return []
    differing = [
        (fact, published[fact.code])
        for fact in facts.figures
        if fact.previous and published.get(fact.code) and published[fact.code] != fact.previous
    ]
    if not differing:
        return []
    examples = "；".join(f"{fact.name}本报告为{fact.previous}，上年度报告为{before}" for fact, before in differing[:3])
    signature = "|".join(f"{fact.code}:{fact.previous}:{before}" for fact, before in differing)
    return [
        HealthItem(
            key=f"base:{_digest(signature)}",
            kind="base",
            message=f"{len(differing)}项指标的{year - 1}年数据与{year - 1}年度报告所列不一致（如{examples}）。"
            "如因本报告只比较本年已报送单位的上年数据，请在报告中说明口径；否则请核对数据。",
            target=differing[0][0].code,
        )
    ]


def target_items(facts: ReportFacts) -> list[HealthItem]:
    return [
        HealthItem(
            key=f"target:{fact.code}",
            kind="target",
            message=f"{fact.name}：没有一个单位达到目标（{fact.current}），请核对目标是否合理。",
            target=fact.code,
        )
        for fact in facts.targets_no_unit_met
    ]


def contradiction_items(facts: ReportFacts) -> list[HealthItem]:
    return [
        HealthItem(
            key=f"contradiction:{','.join(c.codes)}:{_digest(c.message)}",
            kind="contradiction",
            message=c.message,
            target=c.codes[0] if c.codes else "",
        )
        for c in facts.contradictions
    ]


def wording_items(document) -> list[HealthItem]:
    body, achievements = body_text(document)
    items = [
        HealthItem(
            key=f"wording:{fault.kind}:{_digest(fault.excerpt)}",
            kind="wording",
            message=f"{editorial.FAULT_LABELS[fault.kind]}：“{fault.excerpt}”",
        )
        for fault in editorial.text_faults(body, achievements=achievements)
    ]
    return list({item.key: item for item in items}.values())


@dataclass(frozen=True)
class HealthInput:
    document: object  # ReportDocument
    year: int
    signed_on: datetime.date | None = None
    published_last_year: dict[str, str] | None = field(default=None)


def check(given: HealthInput) -> list[HealthItem]:
    """Every item of the draft's 报告体检, in the order the page lists them."""
    document = given.document
    facts = getattr(document, "facts", None) or ReportFacts()
    body, _ = body_text(document)
    return [
        *contradiction_items(facts),
        *date_items(document, given.signed_on),
        *coverage_items(facts, body),
        *base_items(facts, given.published_last_year, given.year),
        *target_items(facts),
        *wording_items(document),
    ]


def contradictions_from(found) -> tuple[Contradiction, ...]:
    """indicators.relations' violated relations (issue 16) as the 报告体检 lists them."""
    return tuple(Contradiction(item.message, tuple(item.codes)) for item in found)
