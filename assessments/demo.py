"""Demo returns for 云州市: 2024 reviewed and locked for every unit, 2025 in every state.

Figures are deterministic (a random generator seeded by department, indicator and year) and
plausible: rates mostly near their targets, a few with no cases (分母为0), counts around their
targets, year-over-year changes small. Values go through the same parser and typed columns as the
page; states go through the workflow's transition table, with dates set to a realistic calendar.
Idempotent: a year that already has returns is left alone.
"""

import datetime
import hashlib
import random
import re
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from indicators.models import IndicatorFramework, ValueType
from indicators.presenting import date_text

from .models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ReturnTransition, default_deadline
from .selectors.checking import return_check
from .selectors.deadlines import due_date
from .selectors.returns import return_data_load
from .selectors.self_score import indicator_scores, score_detail, self_score
from .services.completion import completion_recount
from .services.opening import returns_open_for_framework
from .services.workflow import apply_transition
from .values import TYPED_COLUMNS, parse_raw

Status = AnnualReturn.Status

# 2025's state per department code; departments not listed cycle through DEFAULT_STATES.
STATES_2025 = {
    "YZ001": Status.SUBMITTED,  # 市司法局
    "YZ002": Status.IN_PROGRESS,  # 市公安局 (staff_police): partly filled
    "YZ009": Status.IN_PROGRESS,  # 市教育局: partly filled, one entry that cannot be read
    "YZ003": Status.RETURNED,  # 市市场监管局 (staff_market): two indicators sent back
    "YZ100": Status.SUBMITTED,  # 东城区政府 (staff_dongcheng)
    "YZ210": Status.NOT_STARTED,  # 青石镇 (staff_qingshi)
    # 城关街道: reported, so the government report shows its honest 不适用 ("（不含不适用的1个单位）");
    # pinned since 市信访局 joined the cycle below and moved every later unit one state on.
    "YZ110": Status.SUBMITTED,
}
DEFAULT_STATES = (
    Status.APPROVED,
    Status.CONFIRMED,
    Status.SUBMITTED,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.RETURNED,
)
UNREADABLE_DRAFT = "YZ009"  # 市教育局: still filling in 2025
LATE_WITH_EXTENSION = {2024: "YZ211", 2025: "YZ008"}  # 白水乡 in 2024, 市交通运输局 in 2025

SECTION_TEXT: dict[str, str] = {
    # Headed by area, as real reports write it: the report sets each part beside that area's figures.
    NarrativeSection.Kind.MEASURES: (
        "{year}年，{name}坚持以习近平法治思想为指导，认真落实《法治政府建设实施纲要（2021—2025年）》，"
        "法治政府建设各项工作取得新进展。\n"
        "（一）组织领导与法治保障：党组定期听取法治政府建设工作汇报，将法治建设纳入年度工作要点和绩效考核，"
        "领导干部年终述法全面开展。\n"
        "（二）依法行政制度体系：严格落实行政规范性文件合法性审核和备案制度，"
        "对现行有效的规范性文件开展清理，及时修改、废止不适应改革要求的文件。\n"
        "（三）重大行政决策：严格落实《重大行政决策程序暂行条例》，把公众参与、专家论证、风险评估、"
        "合法性审查和集体讨论决定作为重大行政决策的法定程序，决策程序进一步规范。\n"
        "（四）行政执法：全面推行行政执法公示、执法全过程记录、重大执法决定法制审核“三项制度”，"
        "开展行政执法案卷评查，推行包容审慎监管，执法行为进一步规范。\n"
        "（五）行政权力制约和监督：主动接受人大监督和政协民主监督，认真办理人大代表建议和政协委员提案，"
        "政务公开标准化规范化水平持续提升。"
    ),
    NarrativeSection.Kind.SHORTCOMINGS: (
        "一是基层执法人员法治素养仍需提高，个别执法案卷制作不够规范；"
        "二是行政复议、行政诉讼案件反映出的问题整改还不够及时；原因主要是培训覆盖不足、监督机制有待完善。"
    ),
    NarrativeSection.Kind.LEADERSHIP: (
        "主要负责人认真履行推进法治建设第一责任人职责，全年主持召开专题会议研究法治政府建设工作，"
        "带头学法、述法，出庭应诉行政诉讼案件，对法治建设重要工作亲自部署、重大问题亲自过问。"
    ),
    NarrativeSection.Kind.NEXT_YEAR: (
        "{next_year}年，将继续健全依法决策机制，深化行政执法规范化建设，加强行政复议和应诉工作，"
        "开展领导干部应知应会法律法规学习，推动法治政府建设各项任务落到实处。"
    ),
    NarrativeSection.Kind.OTHER: "",
}

# Honest blanks, each with the reason a unit would give (issue 16 §3): a figure that does not apply
# to the unit (不适用) and one it cannot know yet (暂无数据, only where the indicator allows it).
# Keyed by department code, then indicator code; `years` limits a blank to the years it holds.
DEMO_STATES: dict[str, dict[str, dict]] = {
    "YZ110": {  # 城关街道: its delegated enforcement powers involve no penalty that requires a hearing
        "E4.5": {"state": "not_applicable", "reason": "本街道承接的赋权事项不涉及依法应当组织听证的行政处罚"},
    },
    "YZ006": {  # 市住建局: the police have not yet reported back on every case transferred
        "E5.6": {
            "state": "not_available",
            "reason": "公安机关立案回执尚未全部反馈，待两法衔接信息平台统计后补报",
            "years": (2025,),
        },
    },
    "YZ007": {  # 市人社局: fines are collected through the finance bureau's non-tax revenue system
        "E2.7": {
            "state": "not_available",
            "reason": "罚没款由财政非税收入系统统一归集，年度数据待财政部门核对后提供",
            "years": (2025,),
        },
    },
}


def _demo_state(department: Department, code: str, year: int) -> dict | None:
    blank = DEMO_STATES.get(department.code, {}).get(code)
    if blank is None or year not in blank.get("years", (year,)):
        return None
    return {"state": blank["state"], "reason": blank["reason"]}


# A minimal, valid one-page PDF: the demo's 佐证材料汇编 attached to each evidence-required indicator.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def _rng(*parts) -> random.Random:
    return random.Random(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest())


def _raw_for(indicator, department: Department, year: int) -> dict:
    """A plausible typed input for one indicator. The generator is seeded without the year so that
    2024 and 2025 figures stay close; the year only nudges them."""
    rng, drift = _rng(department.code, indicator.code), _rng(department.code, indicator.code, year)
    kind, target = indicator.value_type, indicator.target_value
    if kind == ValueType.RATE:
        if rng.random() < 0.06:
            return {"numerator": "0", "denominator": "0"}
        denominator = rng.randint(4, 240) + drift.randint(-3, 3)
        denominator = max(denominator, 1)
        if indicator.target_operator in ("<=", "<"):
            numerator = round(denominator * drift.choice((0, 0, 0.01, 0.03, 0.08)))
        else:
            numerator = denominator - drift.choice((0, 0, 0, 0, 1, 2, round(denominator * 0.1)))
        return {"numerator": str(max(min(numerator, denominator), 0)), "denominator": str(denominator)}
    if kind == ValueType.COUNT:
        base = int(target) if target is not None else rng.randint(2, 60)
        if indicator.target_operator in ("<=", "<"):
            return {"value": str(drift.choice((0, 0, 0, 1)))}
        return {"value": str(max(base + drift.randint(-1, 4), 0))}
    if kind == ValueType.AMOUNT:
        if indicator.unit == "分":
            return {"value": f"{Decimal(rng.randint(820, 975) + drift.randint(-15, 15)) / 10:.1f}"}
        return {"value": f"{Decimal(rng.randint(50, 3000) + drift.randint(-40, 40)) / 10:.1f}"}
    if kind == ValueType.BOOLEAN:
        return {"value": "是" if drift.random() < 0.9 else "否"}
    if kind == ValueType.DATE:
        deadline = indicator.target_date or datetime.date(year + 1, 3, 1)
        return {"value": (deadline - datetime.timedelta(days=drift.randint(-3, 40))).isoformat()}
    if kind == ValueType.SINGLE_CHOICE:
        return {"value": indicator.options[0] if indicator.options else ""}
    if kind == ValueType.MULTIPLE_CHOICE:
        options = list(indicator.options)
        if options and drift.random() < 0.3:
            options.pop(drift.randrange(len(options)))
        return {"choices": options}
    if kind == ValueType.TEXT:
        # An answer a unit would sign in its report: what was done, not where the assessors find it.
        return {"value": "已按要求落实，建立健全相关工作制度，工作过程记录完整。"}
    return {}


def _fill(annual_return: AnnualReturn, *, share: float = 1.0, user: User | None) -> None:
    """Write values as the page would (parsed into typed columns, raw input kept)."""
    department, year = annual_return.department, annual_return.year
    rows = list(annual_return.values.select_related("indicator").order_by("indicator__order", "indicator__code"))
    keep = len(rows) if share >= 1 else int(len(rows) * share)
    raws = {row.indicator.code: _raw_for(row.indicator, department, year) for row in rows}
    keep_case_counts_plausible(raws)  # first: the framework's relations then hold over the lowered figures
    respect_cross_rules(annual_return.framework, raws)
    for code in raws:
        raws[code] = _demo_state(department, code, year) or raws[code]
    for row in rows[:keep]:
        raw = raws[row.indicator.code]
        parsed = parse_raw(row.indicator, raw)
        for name, value in parsed.columns.items():
            setattr(row, name, value)
        row.raw_input, row.input_error, row.updated_by, row.version = raw, parsed.error, user, 2
    IndicatorValue.objects.bulk_update(
        rows[:keep], [*TYPED_COLUMNS, "raw_input", "input_error", "updated_by", "version"]
    )
    completion_recount([annual_return.pk])
    sections = list(annual_return.narratives.all())
    for section in sections:
        text = SECTION_TEXT[section.kind].format(year=year, next_year=year + 1, name=department.name)
        section.text, section.version, section.updated_by = text, 2 if text else 1, user
    NarrativeSection.objects.bulk_update(sections, ["text", "version", "updated_by"])


COUNT_SUM_RULE = re.compile(r"^\s*([A-Z][\w.]*?(?:\s*\+\s*[A-Z][\w.]*?)*)\s*<=\s*([A-Z][\w.]*?)\s*$")
CROSS_RATE_RULE = re.compile(r"^\s*([\w.]+?)\.(num|den)\s*(<=|==)\s*([\w.]+?)\.(num|den)\s*$")
PARTS = {"num": "numerator", "den": "denominator"}


def respect_cross_rules(framework: IndicatorFramework, raws: dict[str, dict]) -> None:
    """Rules tying one rate's figures to another's (法制审核人员数 ≤ 执法人员数; the same 文件数
    in two rates): adjust the first rate so generated figures keep them, as real ones would."""
    for expression in framework.validation_rules.values_list("expression", flat=True):
        counts = COUNT_SUM_RULE.match(expression)
        if counts is not None and ".num" not in expression and ".den" not in expression:
            _scale_counts(raws, [code.strip() for code in counts.group(1).split("+")], counts.group(2))
            continue
        match = CROSS_RATE_RULE.match(expression)
        if match is None:
            continue
        code, part, operator, other_code, other_part = match.groups()
        first, second = raws.get(code, {}), raws.get(other_code, {})
        if code == other_code or "numerator" not in first or "numerator" not in second:
            continue
        limit = int(second[PARTS[other_part]])
        current = int(first[PARTS[part]])
        first[PARTS[part]] = str(limit if operator == "==" else min(current, limit))
        if int(first["numerator"]) > int(first["denominator"]):
            first["numerator"] = first["denominator"]


# Case counts that no rule ties (审结 may include last year's filings) but that a report sets side by
# side: (figure, the figures whose sum it stays within, the share of that sum it may reach). A unit
# cannot conclude many more cases than it had, hear in court more than it answered, win more than it
# concluded; appeals (二审) are a part of first instances (一审).
PLAUSIBLE_CASE_COUNTS: tuple[tuple[tuple[str, str], tuple[tuple[str, str], ...], Decimal], ...] = (
    (("G1.1", "denominator"), (("G1.6", "value"),), Decimal(1)),
    (("G1.2", "denominator"), (("G1.6", "value"),), Decimal(1)),
    (("G1.3", "denominator"), (("G1.5", "value"),), Decimal(1)),
    (("G1.4", "denominator"), (("G1.5", "value"),), Decimal(1)),
    (("G1.11", "value"), (("G1.6", "value"),), Decimal("0.5")),
    (("G2.6", "value"), (("G2.5", "value"),), Decimal("0.6")),
    (("G2.2", "denominator"), (("G2.5", "value"),), Decimal(1)),
    (("G2.1", "denominator"), (("G2.5", "value"), ("G2.6", "value")), Decimal(1)),
    (("G2.9", "value"), (("G2.2", "denominator"),), Decimal(1)),
)


def keep_case_counts_plausible(raws: dict[str, dict]) -> None:
    """Demo figures only: generated independently, the litigation and reconsideration figures contradicted
    each other in the government report (败诉率 over 1,328 concluded cases beside 674 answered ones,
    more 二审 than 一审, 2,481 concluded reconsiderations against the unit out of 561). In order, so
    a figure lowered first bounds the ones after it."""
    for (code, part), sources, share in PLAUSIBLE_CASE_COUNTS:
        figures = raws.get(code, {})
        try:
            limit = int(sum(int(raws[other][other_part]) for other, other_part in sources) * share)
            current = int(figures[part])
        except (KeyError, ValueError):
            continue
        if current <= limit:
            continue
        figures[part] = str(limit)
        if part == "denominator" and int(figures["numerator"]) > limit:
            figures["numerator"] = str(limit)


def _scale_counts(raws: dict[str, dict], parts: list[str], whole: str) -> None:
    """Counts that add up to at most another (维持 + 驳回 + 纠错 ≤ 办理): scale the parts down."""
    try:
        values = [int(raws[code]["value"]) for code in parts]
        limit = int(raws[whole]["value"])
    except (KeyError, ValueError):
        return
    total = sum(values)
    if total <= limit:
        return
    for code, value in zip(parts, values, strict=True):
        raws[code]["value"] = str(value * limit // total)


def _explain_warnings(annual_return: AnnualReturn) -> None:
    """Give every rule warning an explanation, as a department would before submitting."""
    check = return_check(return_data_load(annual_return))
    warned = {problem.indicator_id for problem in check.problems if problem.is_warning and problem.indicator_id}
    IndicatorValue.objects.filter(annual_return=annual_return, indicator_id__in=warned, explanation="").update(
        explanation="本年度开展专项整治，相关数量变化较大，已逐件核实。"
    )


def _attach_evidence(annual_return: AnnualReturn, uploader: User) -> None:
    required = list(
        annual_return.values.filter(indicator__is_evidence_required=True).values_list("indicator_id", flat=True)
    )
    if not required:
        return
    path = default_storage.save(f"evidence/{annual_return.year}/demo-{annual_return.pk}.pdf", ContentFile(DEMO_PDF))
    digest = hashlib.sha256(DEMO_PDF).hexdigest()
    Evidence.objects.bulk_create(
        Evidence(
            annual_return=annual_return,
            indicator_id=indicator_id,
            file=path,
            original_name=f"{annual_return.department.display_name}{annual_return.year}年度佐证材料汇编.pdf",
            content_type="application/pdf",
            size=len(DEMO_PDF),
            sha256=digest,
            uploaded_by=uploader,
        )
        for indicator_id in required
    )


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))  # noqa: DTZ001 (China time)


def _submit(annual_return: AnnualReturn, user: User | None, when: datetime.datetime) -> None:
    data = return_data_load(annual_return)
    summary = self_score(data)
    due = due_date(annual_return)
    is_late = due is not None and timezone.localdate(when) > due
    apply_transition(
        annual_return,
        "submit",
        user=user,
        extra_fields={
            "submitted_at": when,
            "first_submitted_at": when,
            "submitted_by": user,
            "is_late": is_late,
            "self_score": summary.total,
            "self_score_detail": score_detail(summary, indicator_scores(data)),
            "self_score_computed_at": when,
        },
    )


def _drive(annual_return: AnnualReturn, target: str, *, staff: User | None, reviewer: User, uploader: User) -> None:
    """Take a freshly opened return to `target` through the transition table."""
    year, code = annual_return.year, annual_return.department.code
    if target == Status.NOT_STARTED:
        return
    is_partial = target == Status.IN_PROGRESS
    _fill(annual_return, share=0.7 if is_partial else 1.0, user=staff)
    apply_transition(annual_return, "start", user=staff)
    if is_partial:
        return
    _explain_warnings(annual_return)
    _attach_evidence(annual_return, uploader)
    day = 10 + _rng(code, year, "day").randint(0, 15)
    when = _at(year + 1, 2, day)
    if LATE_WITH_EXTENSION.get(year) == code and annual_return.deadline is not None:
        _grant_extension(annual_return, reviewer, until=annual_return.deadline + datetime.timedelta(days=14))
        when = _at(year + 1, 3, 6)
    _submit(annual_return, staff, when)
    if target == Status.SUBMITTED:
        return
    if target == Status.RETURNED:
        _send_back(annual_return, reviewer)
        return
    apply_transition(annual_return, "approve", user=reviewer, comment="数据与佐证材料一致。")
    if target == Status.CONFIRMED:
        apply_transition(annual_return, "confirm", user=reviewer)


def _grant_extension(annual_return: AnnualReturn, reviewer: User, *, until: datetime.date) -> None:
    annual_return.extended_until, annual_return.extension_reason = until, "机构改革、人员调整，经司法局批准延期"
    annual_return.extension_granted_by, annual_return.extension_granted_at = reviewer, timezone.now()
    annual_return.save(
        update_fields=["extended_until", "extension_reason", "extension_granted_by", "extension_granted_at"]
    )
    ReturnTransition.objects.create(
        annual_return=annual_return,
        from_status=annual_return.status,
        to_status=annual_return.status,
        action="extend",
        user=reviewer,
        comment=f"延期至 {date_text(until)}：{annual_return.extension_reason}",
    )


def _send_back(annual_return: AnnualReturn, reviewer: User) -> None:
    rows = list(
        annual_return.values.filter(indicator__value_type=ValueType.RATE)
        .select_related("indicator")
        .order_by("indicator__code")[:2]
    )
    comments = ["分母应为本年度全部应审核件数，请核实后修改。", "请补充说明与上年相比变化的原因，并上传佐证材料。"]
    now = timezone.now()
    for row, comment in zip(rows, comments, strict=False):
        row.is_reopened, row.reviewer_comment, row.reopened_at, row.reopened_by = True, comment, now, reviewer
        row.save(update_fields=["is_reopened", "reviewer_comment", "reopened_at", "reopened_by"])
    apply_transition(annual_return, "return", user=reviewer, comment="部分指标数据需核实，请按审核意见修改后重新提交。")


def _unreadable_entry(annual_return: AnnualReturn) -> None:
    """One draft shows what the page refuses yet keeps: an entry with the wrong unit, as typed."""
    row = annual_return.values.filter(indicator__value_type=ValueType.COUNT).order_by("indicator__code").last()
    if row is None:
        return
    raw = {"value": "12个"}
    parsed = parse_raw(row.indicator, raw)
    for name, value in parsed.columns.items():
        setattr(row, name, value)
    row.raw_input, row.input_error = raw, parsed.error
    row.save(update_fields=[*TYPED_COLUMNS, "raw_input", "input_error"])
    completion_recount([annual_return.pk])


def _seed_year(framework: IndicatorFramework, states, *, reviewer: User, admin: User) -> int:
    if AnnualReturn.objects.filter(year=framework.year).exists():
        return 0
    returns_open_for_framework(framework=framework, user=admin, deadline=default_deadline(framework.year))
    staff_by_department = {
        user.department_id: user for user in User.objects.filter(role=User.Role.DEPARTMENT_STAFF, is_active=True)
    }
    returns = AnnualReturn.objects.filter(year=framework.year).select_related("department", "framework")
    for index, annual_return in enumerate(returns.order_by("department__sort_order", "department__code")):
        staff = staff_by_department.get(annual_return.department_id)
        target = states(annual_return.department.code, index)
        _drive(annual_return, target, staff=staff, reviewer=reviewer, uploader=staff or admin)
        _date_transitions(annual_return)
    return returns.count()


def _date_transitions(annual_return: AnnualReturn) -> None:
    """Put the log on the cycle's calendar (the rows were written just now): opened in January,
    started a week later, reviewed one and three weeks after submission."""
    year = annual_return.year
    submitted = annual_return.submitted_at or _at(year + 1, 2, 20)
    offsets = {"submit": datetime.timedelta(0), "return": datetime.timedelta(days=5)}
    offsets |= {"approve": datetime.timedelta(days=7), "confirm": datetime.timedelta(days=21)}
    for transition in annual_return.transitions.all():
        if transition.action == "open":
            when = _at(year + 1, 1, 5, 9)
        elif transition.action == "start":
            when = _at(year + 1, 1, 12, 9)
        elif transition.action == "extend":
            when = _at(year + 1, 2, 27, 15)
        else:
            when = submitted + offsets.get(transition.action, datetime.timedelta(0))
        ReturnTransition.objects.filter(pk=transition.pk).update(created_at=when)


def _extend_open_returns(year: int, reviewer: User) -> None:
    """The 2025 cycle's deadline (1 March 2026) may already be past when the demo is loaded; the
    units still filling get an extension so the countdown has something to count."""
    until = max(timezone.localdate() + datetime.timedelta(days=21), default_deadline(year) + datetime.timedelta(days=1))
    for annual_return in AnnualReturn.objects.filter(
        year=year, status__in=[Status.IN_PROGRESS, Status.RETURNED], extended_until__isnull=True
    ):
        _grant_extension(annual_return, reviewer, until=until)


@transaction.atomic
def seed(*, stdout=None) -> None:
    frameworks = {
        framework.year: framework
        for framework in IndicatorFramework.objects.filter(
            year__in=[2024, 2025], status__in=[IndicatorFramework.Status.PUBLISHED, IndicatorFramework.Status.ARCHIVED]
        ).order_by("year", "version")
    }
    reviewer = User.objects.filter(username="reviewer").first()
    admin = User.objects.filter(username="admin").first()
    if len(frameworks) < 2 or reviewer is None or admin is None:
        if stdout:
            stdout.write("  跳过年度填报：需要先有 2024、2025 年度指标体系和演示用户。")
        return
    opened_2024 = _seed_year(frameworks[2024], lambda code, index: Status.CONFIRMED, reviewer=reviewer, admin=admin)
    opened_2025 = _seed_year(
        frameworks[2025],
        lambda code, index: STATES_2025.get(code, DEFAULT_STATES[index % len(DEFAULT_STATES)]),
        reviewer=reviewer,
        admin=admin,
    )
    if opened_2025:
        draft = AnnualReturn.objects.filter(year=2025, department__code=UNREADABLE_DRAFT).first()
        if draft is not None and draft.status == Status.IN_PROGRESS:
            _unreadable_entry(draft)
        _extend_open_returns(2025, reviewer)
    if stdout:
        counts = ", ".join(
            f"{label} {AnnualReturn.objects.filter(year=2025, status=value).count()}" for value, label in Status.choices
        )
        stdout.write(f"  年度填报：2024 年 {opened_2024} 份（已确认）；2025 年 {opened_2025} 份（{counts}）")
