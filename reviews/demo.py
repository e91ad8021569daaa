"""Demo review cycles on 云州市: 2024 completed (reviewed, confirmed, published, one appeal decided,
final), 2025 in progress (some returns waiting in the queue, one sent back for two indicators, some
approved or confirmed, some still being filled or not started).

Runs after assessments.demo and builds on whatever it left: returns already filled or submitted are
taken as they are and driven on through the real services; returns nobody has touched are filled
here, every unit with full-mark figures varied by a fixed hash, and five units (the hand-calculated
cases in tests/reviews/test_demo_scores.py) with full marks and a few designed shortfalls:

    市公安局    A1.2 否 (全有或全无 −1); A3.2 18/20 (按比例 0.5×90% → −0.05)
    市市场监管局 A1.1 2次 (每少一次 −0.5); H1.3 2件 (每件 −0.5); C2.1 18/20 (每件 −1, 本项 1 分扣完);
               2024 appeal on H1.3 partly upheld by 复核 → 0.5
    东城区政府   G2.2 败诉率 20% (超基准 10% 两档 −1.0); J1.1 满意度 82 (分档 1.5); 加分 K1 +3
    青石镇      B3.2 审核评定 0.5 (of 1); A3.3 75% (低于下限 80% → 0)
    白水乡      A2.1 逾期报送 (→ 0); A2.2 缺一项要素 (−0.2); 扣分 X5 −2; 一票否决 X1 → 不合格

Every step is idempotent: a unit already in the target state is left alone.
"""

import datetime
import hashlib
import math
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import Department, User
from assessments.demo import keep_case_counts_plausible, respect_cross_rules
from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection
from assessments.selectors.checking import return_check
from assessments.selectors.returns import return_data_load
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.evidence import evidence_upload
from assessments.services.opening import returns_open_for_framework
from assessments.services.submission import annual_return_submit
from assessments.values import display
from indicators.models import IndicatorFramework, ScoringRule, ValueType
from indicators.selectors import framework_published_for_year

from .models import Adjustment, Appeal, Publication, ReviewScore
from .services.adjustments import adjustment_decide, adjustment_register
from .services.appeals import appeal_decide, appeal_submit
from .services.audit import review_audit_entry_record
from .services.publication import results_finalise, results_publish
from .services.review import (
    _accept_automatic_scores,
    review_approve,
    review_confirm,
    review_score_save,
    review_send_back,
)
from .services.scoring import score_sheet_compute

PREVIOUS_YEAR, CURRENT_YEAR = 2024, 2025
Status = AnnualReturn.Status

# The second reviewer: 复核 of appeals, four-eyes approval of adjustments, and the reviewer of the
# justice bureau's own return (a reviewer never reviews their own unit).
SECOND_REVIEWER = ("reviewer_fh", "孙复核（市委依法治市办）", "YZ000")

# unit code → {indicator code: raw input}; every other indicator gets full marks.
DESIGNED: dict[str, dict[str, dict[str, str | list[str]]]] = {
    "YZ002": {"A1.2": {"value": "否"}, "A3.2": {"numerator": "18", "denominator": "20"}},
    "YZ003": {
        "A1.1": {"value": "2"},
        "H1.3": {"value": "2"},
        "C2.1": {"numerator": "18", "denominator": "20"},
    },
    "YZ100": {"G2.2": {"numerator": "4", "denominator": "20"}, "J1.1": {"value": "82"}},
    "YZ210": {"A3.3": {"numerator": "15", "denominator": "20"}},
    "YZ211": {"A2.1": {"value": "2025-03-20"}, "A2.2": {"choices": ["主要举措和成效", "存在的不足和原因",
              "党政主要负责人履行推进法治建设第一责任人职责情况", "下一年度主要安排"]}},
}  # fmt: skip
# unit code → {judgement indicator code: (points, reason)}; other judgement items get full points.
DESIGNED_JUDGEMENTS = {"YZ210": {"B3.2": ("0.5", "检查计划未公开，频次控制说明不充分")}}
# (unit, item, occurrences, reason)
DESIGNED_ADJUSTMENTS = [
    ("YZ100", "K1", 1, "东城区获评全国法治政府建设示范地区"),
    ("YZ211", "X5", 1, "白水乡违法强拆被省级媒体曝光并查实"),
    ("YZ211", "X1", 1, "白水乡违法征地引发群体性事件，造成恶劣影响"),
]
APPEAL = (
    "YZ003",
    "H1.3",
    "其中一件为上级机关认定错误，已于复议中撤销，附复议决定书。",
    "0.5",
    "一件确属认定错误，予以更正",
)

TEXT_VALUE = "已建立工作台账，按季度调度，年内整改事项全部办结。"
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _say(stdout, message: str) -> None:
    if stdout:
        stdout.write(message)


def _hash(*parts) -> int:
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


# --- figures ---------------------------------------------------------------------------------


def full_marks_raw(indicator) -> dict:
    """A figure that earns the indicator's full points under its rule."""
    value_type, target = indicator.value_type, indicator.target_value
    if value_type == ValueType.RATE:
        if indicator.scoring_rule == ScoringRule.INVERSE:
            return {"numerator": "1", "denominator": "20"}
        if target is not None and target < 100:  # e.g. 法制审核人员占比 ≥5%: a share, not all
            return {"numerator": str(math.ceil(20 * target / 100) + 1), "denominator": "20"}
        return {"numerator": "20", "denominator": "20"}
    if value_type == ValueType.COUNT:
        if indicator.target_operator == "<=" or indicator.scoring_rule == ScoringRule.DEDUCT_PER_EVENT:
            return {"value": "0"}
        return {"value": str(int(target or 1) + 1)}
    if value_type == ValueType.AMOUNT:
        return {"value": "100" if indicator.scoring_rule == ScoringRule.LINEAR else "95"}
    if value_type == ValueType.BOOLEAN:
        return {"value": "是"}
    if value_type == ValueType.DATE:
        day = (indicator.target_date or datetime.date(indicator.framework.year + 1, 3, 1)) - datetime.timedelta(days=10)
        return {"value": day.isoformat()}
    if value_type == ValueType.MULTIPLE_CHOICE:
        return {"choices": list(indicator.options)}
    if value_type == ValueType.SINGLE_CHOICE:
        return {"value": indicator.options[0] if indicator.options else ""}
    if value_type == ValueType.TEXT:
        return {"value": TEXT_VALUE}
    return {}


def varied_raw(indicator, department: Department, year: int) -> dict:
    """Full marks for most figures; about one in six falls a little short, rates vary in size."""
    h = _hash(department.code, indicator.code, year)
    raw = full_marks_raw(indicator)
    short = h % 6 == 0
    if indicator.value_type == ValueType.RATE:
        denominator = 8 + h % 40
        if h % 13 == 0:
            return {"numerator": "0", "denominator": "0"}
        if indicator.scoring_rule == ScoringRule.INVERSE:
            return {
                "numerator": str(math.floor(denominator * (0.2 if short else 0.05))),
                "denominator": str(denominator),
            }
        if indicator.target_value is not None and indicator.target_value < 100:
            share = math.ceil(denominator * indicator.target_value / 100) + (0 if short else 1)
            return {"numerator": str(min(share, denominator)), "denominator": str(denominator)}
        numerator = denominator - (1 + h % 2 if short else 0)
        return {"numerator": str(numerator), "denominator": str(denominator)}
    if not short:
        return raw
    if indicator.value_type == ValueType.COUNT:
        value = int(raw["value"])
        return {"value": str(value + 1 if value == 0 else max(value - 2, 0))}
    if indicator.value_type == ValueType.AMOUNT:
        return {"value": str(80 + h % 12)}
    if indicator.value_type == ValueType.BOOLEAN and h % 12 == 0:
        return {"value": "否"}
    if indicator.value_type == ValueType.MULTIPLE_CHOICE:
        return {"choices": list(indicator.options)[:-1]}
    return raw


# --- the department's side -------------------------------------------------------------------


def _staff_for(department: Department) -> User:
    user = User.objects.filter(role=User.Role.DEPARTMENT_STAFF, department=department, is_active=True).first()
    if user is not None:
        return user
    user = User.objects.create_user(
        username=f"staff_{department.code.lower()}",
        password=DEMO_PASSWORD,
        full_name=f"填报员（{department.display_name}）",
        role=User.Role.DEPARTMENT_STAFF,
        department=department,
    )
    return user


def _fill(annual_return: AnnualReturn, staff: User, *, only: set[str] | None = None) -> None:
    """Fill the empty figures (or those in `only`), attach required evidence, write the narrative."""
    department, year = annual_return.department, annual_return.year
    designed = DESIGNED.get(department.code, {}) if year == PREVIOUS_YEAR else {}
    rows = IndicatorValue.objects.filter(annual_return=annual_return).select_related("indicator").order_by("pk")
    raws, versions = {}, {}
    for row in rows:
        indicator = row.indicator
        if only is not None and indicator.code not in only:
            continue
        if only is None and (row.raw_input or row.version > 1):
            continue  # someone (assessments.demo, a user) already entered it
        if department.code in DESIGNED and year == PREVIOUS_YEAR:
            raw = designed.get(indicator.code) or full_marks_raw(indicator)
        else:
            raw = varied_raw(indicator, department, year)
        raws[indicator.code], versions[indicator.code] = raw, (indicator.pk, row.version)
    # Relations between figures (the same 文件数 in two rates) hold in real returns; submission
    # refuses a return that breaks one.
    if not (department.code in DESIGNED and year == PREVIOUS_YEAR):  # designed returns score as designed
        keep_case_counts_plausible(raws)  # first: the relations below then hold over the lowered figures
    respect_cross_rules(annual_return.framework, raws)
    inputs = [ValueInput(versions[code][0], raw, versions[code][1]) for code, raw in raws.items()]
    if inputs:
        indicator_values_save(annual_return=annual_return, inputs=inputs, user=staff)
    NarrativeSection.objects.filter(annual_return=annual_return, text="").exclude(
        kind=NarrativeSection.Kind.OTHER
    ).update(text=f"{department.name}{year}年度围绕法治政府建设重点任务，依法全面履行政府职能。")


def _attach_and_explain(annual_return: AnnualReturn, staff: User) -> None:
    data = return_data_load(annual_return)
    check = return_check(data)
    attached = set(
        Evidence.objects.filter(annual_return=annual_return, deleted_at__isnull=True).values_list(
            "indicator_id", flat=True
        )
    )
    explain = []
    for indicator in data.applicable:
        problems = check.by_indicator.get(indicator.pk, ())
        if any("佐证" in problem.message for problem in problems) and indicator.pk not in attached:
            evidence_upload(
                annual_return=annual_return,
                uploaded_file=SimpleUploadedFile(f"{indicator.code}佐证材料.pdf", EVIDENCE_PDF),
                user=staff,
                indicator=indicator,
            )
        row = data.row_for(indicator)
        if row is not None and any(problem.is_warning for problem in problems) and not row.explanation:
            explain.append(
                ValueInput(indicator.pk, row.raw_input, row.version, explanation="数据已核实，变化系工作量调整所致。")
            )
    if explain:
        indicator_values_save(annual_return=annual_return, inputs=explain, user=staff)


def _submit(annual_return: AnnualReturn, staff: User, day: datetime.date) -> AnnualReturn:
    _attach_and_explain(annual_return, staff)
    annual_return.refresh_from_db()
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
    return annual_return_submit(annual_return=annual_return, user=staff, now=when)


def _bring_to_submitted(annual_return: AnnualReturn, staff: User, day: datetime.date) -> AnnualReturn:
    if annual_return.status in (Status.NOT_STARTED, Status.IN_PROGRESS):
        _fill(annual_return, staff)
        annual_return.refresh_from_db()
        return _submit(annual_return, staff, day)
    if annual_return.status == Status.RETURNED:
        return _submit(annual_return, staff, day)
    return annual_return


# --- the reviewer's side ---------------------------------------------------------------------


def _reviewer_for(department: Department, reviewers: dict[str, User]) -> User:
    return reviewers["second"] if department.code == "YZ001" else reviewers["first"]


def _score_judgements(annual_return: AnnualReturn, reviewer: User) -> None:
    done = set(ReviewScore.objects.filter(annual_return=annual_return).values_list("indicator__code", flat=True))
    for row in annual_return.values.select_related("indicator").filter(indicator__scoring_rule=ScoringRule.JUDGEMENT):
        indicator = row.indicator
        if indicator.code in done:
            continue
        points, reason = _judgement_points(annual_return, indicator)
        review_score_save(annual_return=annual_return, indicator=indicator, user=reviewer, points=points, reason=reason)


def _review_to(annual_return: AnnualReturn, reviewer: User, target: str) -> AnnualReturn:
    """Drive a submitted return to 已审核 or 已确认 through the review services."""
    if annual_return.status == Status.SUBMITTED:
        _score_judgements(annual_return, reviewer)
        annual_return = review_approve(annual_return=annual_return, user=reviewer, comment="材料齐全，审核通过")
    if target == Status.CONFIRMED and annual_return.status == Status.APPROVED:
        annual_return = review_confirm(annual_return=annual_return, user=reviewer)
    return annual_return


def _adjustments(year: int, framework: IndicatorFramework, reviewers: dict[str, User], designed) -> None:
    by_code = {department.code: department for department in Department.objects.all()}
    items = {item.code: item for item in framework.adjustment_items.all()}
    for code, item_code, occurrences, reason in designed:
        department = by_code.get(code)
        if (
            department is None
            or Adjustment.objects.filter(department=department, year=year, item=items[item_code]).exists()
        ):
            continue
        entry = adjustment_register(
            department=department, year=year, item=items[item_code], occurrences=occurrences, reason=reason,
            user=reviewers["first"],
        )  # fmt: skip
        adjustment_decide(adjustment=entry, approve=True, user=reviewers["second"], note="经核实，同意")


# --- the two years ---------------------------------------------------------------------------


def _judgement_points(annual_return: AnnualReturn, indicator) -> tuple[Decimal, str]:
    designed = DESIGNED_JUDGEMENTS.get(annual_return.department.code, {}) if annual_return.year == PREVIOUS_YEAR else {}
    param_max = (indicator.scoring_params or {}).get("max", indicator.max_points)
    points, reason = designed.get(indicator.code, (None, "材料齐全，工作落实到位"))
    return (Decimal(points) if points else min(indicator.max_points, Decimal(str(param_max)))), reason


def _backfill_review(annual_return: AnnualReturn, reviewer: User) -> None:
    """A return that assessments.demo approved or confirmed through the transition table alone has
    no review scores: record them as the reviewer would have (judgement items scored, the rest
    accepted at their automatic score), with an audit row, and compute its sheet."""
    if ReviewScore.objects.filter(annual_return=annual_return).exists():
        return
    judged = []
    for row in annual_return.values.select_related("indicator").filter(indicator__scoring_rule=ScoringRule.JUDGEMENT):
        points, reason = _judgement_points(annual_return, row.indicator)
        judged.append(
            ReviewScore(
                annual_return=annual_return, indicator=row.indicator, claimed_display=display(row.indicator, row),
                max_points=row.indicator.max_points, points=points, is_judgement=True, reason=reason, reviewer=reviewer,
            )
        )  # fmt: skip
    ReviewScore.objects.bulk_create(judged)
    accepted = _accept_automatic_scores(annual_return, reviewer)
    review_audit_entry_record(
        action="review_backfill",
        subject=str(annual_return),
        year=annual_return.year,
        department=annual_return.department,
        user=reviewer,
        after={"judged": len(judged), "accepted_automatic": len(accepted)},
        reason="演示数据：补记审核评分",
    )
    score_sheet_compute(annual_return=annual_return, user=reviewer)


def _completed_cycle(framework: IndicatorFramework, reviewers: dict[str, User], stdout) -> None:
    year = framework.year
    publication = Publication.objects.filter(year=year).first()
    if publication and publication.is_final:
        _say(stdout, f"  {year}年度：考核结果已确定（跳过）")
        return
    returns = AnnualReturn.objects.filter(year=year, department__is_active=True)
    returns = returns.select_related("department", "framework").order_by("department__sort_order")
    if publication is None:
        _adjustments(year, framework, reviewers, DESIGNED_ADJUSTMENTS)
        for annual_return in returns:
            reviewer = _reviewer_for(annual_return.department, reviewers)
            staff = _staff_for(annual_return.department)
            annual_return = _bring_to_submitted(annual_return, staff, datetime.date(year + 1, 2, 20))
            annual_return = _review_to(annual_return, reviewer, Status.CONFIRMED)
            _backfill_review(annual_return, reviewer)
        publication = results_publish(
            year=year,
            appeal_deadline=datetime.date(year + 1, 4, 10),
            user=reviewers["first"],
            is_ranking_public=True,
            note="经审核确认，现将初步结果予以公示。",
            today=datetime.date(year + 1, 3, 31),
        )
    _appeal(year, reviewers)
    results_finalise(year=year, user=reviewers["first"], today=datetime.date(year + 1, 4, 20))
    _say(stdout, f"  {year}年度：{returns.count()} 份填报已审核确认、公示并确定最终结果")


def _appeal(year: int, reviewers: dict[str, User]) -> None:
    """市市场监管局 contests one deduction (H1.3 where it lost points, else its first deduction)."""
    code, indicator_code, statement, points, reason = APPEAL
    scores = ReviewScore.objects.filter(annual_return__year=year, annual_return__department__code=code)
    if Appeal.objects.filter(review_score__in=scores).exists():
        return
    candidates = [
        score for score in scores.select_related("indicator", "annual_return__score_sheet") if score.deduction > 0
    ]
    candidates.sort(key=lambda score: (score.indicator.code != indicator_code, score.indicator.order))
    if not candidates:
        return
    score = candidates[0]
    staff = _staff_for(score.annual_return.department)
    appeal = appeal_submit(
        score_sheet=score.annual_return.score_sheet,
        user=staff,
        statement=statement,
        review_score=score,
        today=datetime.date(year + 1, 4, 2),
    )
    awarded = min(score.max_points, (score.points or Decimal(0)) + Decimal(points))
    appeal_decide(appeal=appeal, user=reviewers["second"], decision=Appeal.Status.PARTLY_UPHELD, reason=reason,
                  points=awarded)  # fmt: skip


# 2025: unit code → where the demo leaves it.
CURRENT_STATES = {
    "YZ000": Status.SUBMITTED,
    "YZ001": Status.SUBMITTED,
    "YZ002": Status.SUBMITTED,
    "YZ003": Status.RETURNED,
    "YZ004": Status.SUBMITTED,
    "YZ005": Status.SUBMITTED,
    "YZ006": Status.APPROVED,
    "YZ007": Status.CONFIRMED,
    "YZ008": Status.CONFIRMED,
    "YZ009": Status.IN_PROGRESS,
    "YZ010": Status.NOT_STARTED,
    "YZ100": Status.SUBMITTED,
    "YZ101": Status.SUBMITTED,
    "YZ102": Status.CONFIRMED,
    "YZ110": Status.SUBMITTED,
    "YZ111": Status.APPROVED,
    "YZ200": Status.SUBMITTED,
    "YZ201": Status.SUBMITTED,
    "YZ210": Status.IN_PROGRESS,
    "YZ211": Status.NOT_STARTED,
}
RETURNED_INDICATORS = {
    "A1.1": "会议纪要只附了2次，请补充其余会议纪要或核实次数。",
    "G2.1": "出庭应诉案件数与法院统计不一致，请与市中级法院核对后修改。",
}


def _current_cycle(framework: IndicatorFramework, reviewers: dict[str, User], stdout) -> None:
    """Drive untouched returns to CURRENT_STATES; when assessments.demo has set the year's states
    already, keep them and add the review on top (scores of approved/confirmed returns, a review
    begun on some submitted ones)."""
    year = framework.year
    returns = AnnualReturn.objects.filter(year=year, department__is_active=True)
    returns = returns.select_related("department", "framework").order_by("department__sort_order")
    is_touched = returns.exclude(status=Status.NOT_STARTED).exists()
    for index, annual_return in enumerate(returns):
        reviewer = _reviewer_for(annual_return.department, reviewers)
        if not is_touched:
            annual_return = _drive_current(annual_return, reviewer, index)
        if annual_return.status in (Status.APPROVED, Status.CONFIRMED):
            _backfill_review(annual_return, reviewer)
        elif annual_return.status == Status.SUBMITTED and index % 3 == 0:
            _score_judgements(annual_return, reviewer)  # a review begun, not finished
    _adjustments(year, framework, reviewers, [("YZ008", "X6", 1, "政府信息公开工作年度报告逾期公开")])
    if not Adjustment.objects.filter(year=year, status=Adjustment.Status.PENDING).exists():
        department = Department.objects.filter(code="YZ002").first()
        if department is not None:
            adjustment_register(
                department=department, year=year, item=framework.adjustment_items.get(code="K3"),
                reason="“枫桥式公安派出所”经验被省级推广", user=reviewers["first"],
            )  # fmt: skip
    counts = {label: returns.filter(status=value).count() for value, label in Status.choices}
    _say(stdout, f"  {year}年度：" + "，".join(f"{label} {n} 份" for label, n in counts.items() if n))


def _drive_current(annual_return: AnnualReturn, reviewer: User, index: int) -> AnnualReturn:
    target = CURRENT_STATES.get(annual_return.department.code, Status.SUBMITTED)
    staff = _staff_for(annual_return.department)
    if target == Status.NOT_STARTED:
        return annual_return
    if target == Status.IN_PROGRESS:
        _fill(annual_return, staff, only=_first_codes(annual_return, 30))
        return annual_return
    day = datetime.date(annual_return.year + 1, 2, 10 + index % 15)
    annual_return = _bring_to_submitted(annual_return, staff, day)
    if target == Status.RETURNED:
        annual_return = _send_back(annual_return, reviewer)
    elif target in (Status.APPROVED, Status.CONFIRMED):
        annual_return = _review_to(annual_return, reviewer, target)
    return annual_return


def _first_codes(annual_return: AnnualReturn, count: int) -> set[str]:
    codes = annual_return.values.order_by("indicator__order", "indicator__code").values_list(
        "indicator__code", flat=True
    )
    return set(list(codes)[:count])


def _send_back(annual_return: AnnualReturn, reviewer: User) -> AnnualReturn:
    indicators = {
        row.indicator.code: row.indicator_id
        for row in annual_return.values.select_related("indicator").filter(indicator__code__in=RETURNED_INDICATORS)
    }
    return review_send_back(
        annual_return=annual_return,
        user=reviewer,
        comment="请按审核意见修改标注的两项指标后重新提交。",
        indicator_comments={indicators[code]: text for code, text in RETURNED_INDICATORS.items() if code in indicators},
        resubmit_deadline=timezone.localdate() + datetime.timedelta(days=10),
    )


def _reviewers() -> dict[str, User]:
    username, full_name, department_code = SECOND_REVIEWER
    second, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "role": User.Role.REVIEWER,
            "department": Department.objects.get(code=department_code),
        },
    )
    if created:
        second.set_password(DEMO_PASSWORD)
        second.save(update_fields=["password"])
    return {"first": User.objects.get(username="reviewer"), "second": second}


@transaction.atomic
def seed(*, stdout=None) -> None:
    previous = framework_published_for_year(PREVIOUS_YEAR)
    current = framework_published_for_year(CURRENT_YEAR)
    if previous is None or current is None:
        _say(stdout, "  没有 2024、2025 年度已发布的指标体系，跳过审核演示数据。")
        return
    reviewers = _reviewers()
    for framework in (previous, current):
        returns_open_for_framework(framework=framework)
    _completed_cycle(previous, reviewers, stdout)
    _current_cycle(current, reviewers, stdout)
    _say(stdout, f"  复核审核员：{SECOND_REVIEWER[0]}（初始密码 {DEMO_PASSWORD}）")
