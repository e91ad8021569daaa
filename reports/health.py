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
  sections congress staff edited;
- 叙述与数据 (narrative): the unit's own text against its figures — a universal (全部, 均, 100%…)
  about something whose rate is below 100%, or a number said for something that differs from the
  figure entered for it.
"""

import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from indicators import relations
from indicators.presenting import date_text

from . import editorial

if TYPE_CHECKING:  # documents carry their facts (ReportDocument.facts)
    from .document import ReportDocument, Section

KIND_LABELS = {
    "contradiction": "数据矛盾",
    "provided": "数据来源",
    "date": "日期",
    "coverage": "覆盖范围",
    "base": "上年基数",
    "target": "目标",
    "wording": "文字",
    "narrative": "叙述与数据",
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
    narratives: tuple[str, ...] = ()  # the unit's own text (its return's narrative sections)
    # 过渡期: provided figures far from what the unit had reported itself (assessments.selectors.provided)
    provided_differences: tuple[str, ...] = ()

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

    def as_dict(self) -> dict[str, Any]:
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


def body_text(document: "ReportDocument") -> tuple[str, str]:
    """(the body's prose, the prose of its first section — 成效 in every kind but the notice)."""
    from .document import Paragraph

    def section_paragraphs(section: "Section") -> list[str]:
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


def _achievements_index(document: "ReportDocument") -> int:
    for number, section in enumerate(document.sections):
        if "成效" in section.heading:
            return number
    return -1


def _is_deadline(body: str, start: int, end: int) -> bool:
    """ "异议期至2025年6月30日", "2025年3月1日前": a time limit ahead, which may follow the signing date;
    "截至2025年…" is a state of affairs on that day and may not."""
    before = body[max(0, start - 2) : start]
    return (before.endswith("至") and not before.endswith("截至")) or body[end : end + 1] == "前"


def date_items(document: "ReportDocument", signed_on: datetime.date | None) -> list[HealthItem]:
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


def provided_items(facts: ReportFacts) -> list[HealthItem]:
    return [
        HealthItem(
            key=f"provided:{_digest(message)}", kind="provided", message=message, target=message.split(" ", 1)[0]
        )
        for message in facts.provided_differences
    ]


def wording_items(document: "ReportDocument") -> list[HealthItem]:
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


# --- the unit's text against its figures ---------------------------------------------------------

_SENTENCE_END = re.compile(r"[。；！？\n]")
_UNIVERSAL = re.compile(r"全部|均|所有|一律|百分之百|全覆盖|100%")
_FIGURE = re.compile(r"^(\d+(?:\.\d+)?)(%|[^\d（(]+)$")
_NUMBER_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)(个百分点|%|万元|人次|件|条|名|人|次|期|项|个|份|分)")
_NAME_TAIL = re.compile(r"(（[^）]*）|\([^)]*\))")
# How much of an indicator's name a sentence must contain (in runs of three characters or more) to be
# about it: "规范性文件全部经合法性审核" is about 行政规范性文件合法性审核率, "执法人员" alone is not.
SUBJECT_SHARE = 0.6
SUBJECT_RUN = 3
NUMBER_REACH = 12  # characters after the subject within which the number said for it stands


def _subject(name: str) -> str:
    """ "行政规范性文件合法性审核率" → "行政规范性文件合法性审核"; "办理行政复议案件数" → "办理行政复议案件"."""
    core = _NAME_TAIL.sub("", name)
    for tail in ("覆盖率", "比例", "率", "人数", "件数", "条数", "次数", "数"):
        if core.endswith(tail) and len(core) > len(tail) + 2:
            return core[: -len(tail)]
    return core


def _runs(sentence: str) -> frozenset[str]:
    """The sentence's runs of SUBJECT_RUN characters: a longer run of a subject is in the sentence
    only if its first SUBJECT_RUN characters are."""
    return frozenset(sentence[i : i + SUBJECT_RUN] for i in range(len(sentence) - SUBJECT_RUN + 1))


def _subject_end(subject: str, sentence: str, runs: frozenset[str] | None = None) -> int:
    """Where the sentence's mention of `subject` ends (-1: it does not mention it): the share of the
    subject found in the sentence in runs of SUBJECT_RUN characters or more must reach SUBJECT_SHARE.
    `runs` are the sentence's `_runs` (computed once per sentence when many subjects are tried)."""
    runs = _runs(sentence) if runs is None else runs
    covered, end, i = 0, -1, 0
    while i < len(subject):
        longest = 0
        if subject[i : i + SUBJECT_RUN] in runs:
            for j in range(len(subject), i + SUBJECT_RUN - 1, -1):
                found = sentence.find(subject[i:j])
                if found >= 0:
                    longest, end = j - i, max(end, found + j - i)
                    break
        covered += longest
        i += longest or 1
    return end if subject and covered / len(subject) >= SUBJECT_SHARE else -1


def _same(said: str, entered: str) -> bool:
    """The number said equals the figure at the precision it is said with (99.1% for 99.08%)."""
    said_number, entered_number = Decimal(said), Decimal(entered)
    exponent = said_number.as_tuple().exponent
    if not isinstance(exponent, int) or exponent >= 0:
        return said_number == entered_number.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return said_number == entered_number.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def _sentences(texts: tuple[str, ...]) -> list[str]:
    """Sentences and clauses of the unit's text, without a heading such as "（三）重大行政决策："."""
    parts = [part.strip() for text in texts for part in _SENTENCE_END.split(text or "")]
    return [part.split("：", 1)[1] if "：" in part[:20] else part for part in parts if part.strip()]


EXCERPT_LENGTH = 40


def _excerpt(sentence: str) -> str:
    return sentence if len(sentence) <= EXCERPT_LENGTH else sentence[: EXCERPT_LENGTH - 1] + "…"


def narrative_items(facts: ReportFacts) -> list[HealthItem]:
    """The unit's text saying all (全部, 均, 100%) of what its figures say is below 100%, or a number
    for something that differs from the figure entered for it: one item per sentence, naming the
    figures it disagrees with."""
    found: dict[tuple[str, str], list[FigureFact]] = {}
    sentences = [(sentence, _runs(sentence)) for sentence in _sentences(facts.narratives)]
    for fact in facts.figures:
        figure = _FIGURE.match(fact.current or "")
        if figure is None:
            continue  # 无此类事项, 不适用, 暂无数据, 是/否, a number of units: nothing to compare
        number, unit = figure.groups()
        subject = _subject(fact.name)
        grams = _runs(subject)
        for sentence, runs in sentences:
            if runs.isdisjoint(grams):
                continue  # no run of the subject in the sentence: _subject_end would find nothing
            end = _subject_end(subject, sentence, runs)
            if end < 0:
                continue
            universal = _UNIVERSAL.search(sentence)
            if unit == "%" and universal and not _same("100", number):
                found.setdefault((sentence, f"称“{universal.group(0)}”"), []).append(fact)
                continue
            said = _NUMBER_WITH_UNIT.search(sentence, end, end + NUMBER_REACH)
            if said is not None and said.group(2) == unit and not _same(said.group(1), number):
                found.setdefault((sentence, f"写的是{said.group(0)}"), []).append(fact)
    return [
        HealthItem(
            key=f"narrative:{_digest(sentence + what)}",
            kind="narrative",
            message=f"单位填写的文字“{_excerpt(sentence)}”{what}，而填报数据中"
            + "、".join(f"{fact.name}为{fact.current}" for fact in facts_)
            + "：请核对文字或数据。",
            target=facts_[0].code,
        )
        for (sentence, what), facts_ in found.items()
    ]


@dataclass(frozen=True)
class HealthInput:
    document: "ReportDocument"
    year: int
    signed_on: datetime.date | None = None
    published_last_year: dict[str, str] | None = field(default=None)


def check(given: HealthInput) -> list[HealthItem]:
    """Every item of the draft's 报告体检, in the order the page lists them."""
    document = given.document
    facts = document.facts or ReportFacts()
    body, _ = body_text(document)
    return [
        *contradiction_items(facts),
        *provided_items(facts),
        *date_items(document, given.signed_on),
        *coverage_items(facts, body),
        *base_items(facts, given.published_last_year, given.year),
        *target_items(facts),
        *narrative_items(facts),
        *wording_items(document),
    ]


def contradictions_from(found: Iterable[relations.Contradiction]) -> tuple[Contradiction, ...]:
    """indicators.relations' violated relations (issue 16) as the 报告体检 lists them."""
    return tuple(Contradiction(item.message, tuple(item.codes)) for item in found)
