"""Factories for review tests: a small framework with every scoring rule, and returns that are
filled and submitted through the real assessments services (so rows and states are as in production).

The framework (base 100 points, areas of 10 each, so base score = earned × 5):

    A 组织 (10) ─ A1 (10): A1.1 count  deduct_per_shortfall 0.5/次 below 3, max 2
                            A1.2 yes/no all_or_nothing, max 2
                            A1.3 rate   linear, floor 80 %, target 100 %, max 2
                            A1.4 text   judgement (reviewer), max 4
    B 监督 (10) ─ B1 (10): B1.1 count  deduct_per_event 1/件, cap 2, max 3
                            B1.2 rate   inverse: ≤10 % full, −1 per started 5 %, max 3, when_no_cases exclude
                            B1.3 amount tiered ≥90 → 4, ≥80 → 3, ≥60 → 2, max 4
    Adjustment items: K1 bonus 3 (cap 3), K2 bonus 1.5, X5 deduction 2 per case, X1 veto.
    Grades: 90 / 80 / 60 for all kinds; townships 88 / 78 / 60.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import AnnualReturn, NarrativeSection
from assessments.services import workflow
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.submission import annual_return_submit
from indicators.models import (
    AdjustmentItem,
    Area,
    GradeThreshold,
    Group,
    Indicator,
    IndicatorFramework,
    ScoringRule,
    ValueType,
)
from tests.assessments.factories import open_return

D = Decimal

# code, name, value type, max, rule, params, extra fields
INDICATORS = [
    ("A", "A1", "A1.1", "专题研究法治政府建设次数", ValueType.COUNT, "2", ScoringRule.DEDUCT_PER_SHORTFALL,
     {"per_unit": "0.5"}, {"unit": "次", "target_operator": ">=", "target_value": D("3")}),
    ("A", "A1", "A1.2", "制定第一责任人职责清单", ValueType.BOOLEAN, "2", ScoringRule.ALL_OR_NOTHING, {}, {}),
    ("A", "A1", "A1.3", "述法覆盖率", ValueType.RATE, "2", ScoringRule.LINEAR, {"floor": "80"},
     {"unit": "%", "numerator_label": "已述法", "denominator_label": "应述法", "target_operator": ">=",
      "target_value": D("100")}),
    ("A", "A1", "A1.4", "法治建设工作情况", ValueType.TEXT, "4", ScoringRule.JUDGEMENT, {"min": "0"}, {}),
    ("B", "B1", "B1.1", "被通报的违法行政行为", ValueType.COUNT, "3", ScoringRule.DEDUCT_PER_EVENT,
     {"per_event": "1", "cap": "2"}, {"unit": "件"}),
    ("B", "B1", "B1.2", "行政复议纠错率", ValueType.RATE, "3", ScoringRule.INVERSE,
     {"benchmark": "10", "step": "5", "per_step": "1", "when_no_cases": "exclude"},
     {"unit": "%", "numerator_label": "纠错", "denominator_label": "审结"}),
    ("B", "B1", "B1.3", "群众满意度", ValueType.AMOUNT, "4", ScoringRule.TIERED,
     {"tiers": [["90", "4"], ["80", "3"], ["60", "2"]]}, {"unit": "分"}),
]  # fmt: skip

FULL_MARKS = {
    "A1.1": {"value": "3"},
    "A1.2": {"value": "是"},
    "A1.3": {"numerator": "10", "denominator": "10"},
    "A1.4": {"value": "全年召开专题会议，落实第一责任人职责。"},
    "B1.1": {"value": "0"},
    "B1.2": {"numerator": "1", "denominator": "20"},
    "B1.3": {"value": "95"},
}


def scoring_framework(year: int = 2025) -> IndicatorFramework:
    framework = IndicatorFramework.objects.create(
        name="审核测试指标体系", year=year, version=1, status=IndicatorFramework.Status.PUBLISHED
    )
    areas, groups = {}, {}
    for order, (area_code, group_code, code, name, value_type, points, rule, params, extra) in enumerate(INDICATORS):
        if area_code not in areas:
            areas[area_code] = Area.objects.create(
                framework=framework, code=area_code, name=f"一级{area_code}", max_points=D("10"), order=len(areas)
            )
        if group_code not in groups:
            groups[group_code] = Group.objects.create(
                area=areas[area_code], code=group_code, name=f"二级{group_code}", max_points=D("10"), order=len(groups)
            )
        Indicator.objects.create(
            framework=framework, group=groups[group_code], code=code, name=name, value_type=value_type,
            max_points=D(points), scoring_rule=rule, scoring_params=params, order=order, **extra,
        )  # fmt: skip
    for kind, excellent, good in (("", "90", "80"), ("township", "88", "78")):
        for grade, minimum in (("excellent", excellent), ("good", good), ("pass", "60")):
            GradeThreshold.objects.create(framework=framework, department_kind=kind, grade=grade, min_score=D(minimum))
    for order, (kind, code, points, cap) in enumerate(
        [
            ("bonus", "K1", "3", "3"),
            ("bonus", "K2", "1.5", "1.5"),
            ("deduction", "X5", "2", None),
            ("veto", "X1", "0", None),
        ]
    ):
        AdjustmentItem.objects.create(
            framework=framework, kind=kind, code=code, name=f"加减分项{code}", points=D(points),
            max_points=D(cap) if cap else None, order=order,
        )  # fmt: skip
    return framework


def fill(annual_return: AnnualReturn, user, values: dict[str, dict]) -> None:
    rows = {row.indicator.code: row for row in annual_return.values.select_related("indicator")}
    indicator_values_save(
        annual_return=annual_return,
        inputs=[ValueInput(rows[code].indicator_id, raw, rows[code].version) for code, raw in values.items()],
        user=user,
    )
    NarrativeSection.objects.filter(annual_return=annual_return, text="").update(text="全年推进依法行政。")


def submit(annual_return: AnnualReturn, user) -> AnnualReturn:
    return annual_return_submit(annual_return=annual_return, user=user)


def submitted_return(department, user, framework, **overrides) -> AnnualReturn:
    """`department`'s return, filled with full marks except `overrides` ({code: raw}), and submitted."""
    annual_return = open_return(department, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    fill(annual_return, user, {**FULL_MARKS, **overrides})
    return submit(annual_return, user)


def resubmit(annual_return: AnnualReturn, user, values: dict[str, dict] | None = None) -> AnnualReturn:
    annual_return.refresh_from_db()
    if values:
        fill(annual_return, user, values)
    annual_return.refresh_from_db()
    if annual_return.status == AnnualReturn.Status.RETURNED:
        workflow.annual_return_transition(annual_return=annual_return, action="resume", user=user)
    return submit(annual_return, user)


# --- further along the cycle ------------------------------------------------------------------


def framework_for(year: int = 2025) -> IndicatorFramework:
    return IndicatorFramework.objects.filter(year=year, status=IndicatorFramework.Status.PUBLISHED).first() or (
        scoring_framework(year)
    )


def indicator(framework: IndicatorFramework, code: str) -> Indicator:
    return Indicator.objects.get(framework=framework, code=code)


def judge(annual_return: AnnualReturn, reviewer, points: str = "3", reason: str = "材料基本完整，个别会议纪要缺失"):
    from reviews.services.review import review_score_save

    return review_score_save(
        annual_return=annual_return,
        indicator=indicator(annual_return.framework, "A1.4"),
        user=reviewer,
        points=Decimal(points),
        reason=reason,
    )


def confirmed_return(department, staff, reviewer, framework=None, **overrides) -> AnnualReturn:
    """Submitted, the judgement item scored 3 of 4, approved and confirmed by `reviewer`."""
    from reviews.services.review import review_approve, review_confirm

    framework = framework or framework_for()
    annual_return = submitted_return(department, staff, framework, **overrides)
    judge(annual_return, reviewer)
    review_approve(annual_return=annual_return, user=reviewer)
    return review_confirm(annual_return=annual_return, user=reviewer)


def published_sheet(department, staff, reviewer, *, deadline_days: int = 7):
    """A confirmed return whose year is published (appeal window open); returns its ScoreSheet."""
    from reviews.models import Publication, ScoreSheet
    from reviews.services.publication import results_publish

    annual_return = confirmed_return(department, staff, reviewer)
    if not Publication.objects.filter(year=annual_return.year).exists():
        results_publish(
            year=annual_return.year,
            appeal_deadline=timezone.localdate() + datetime.timedelta(days=deadline_days),
            user=reviewer,
        )
    return ScoreSheet.objects.select_related("department").get(department=department, year=annual_return.year)


def appeal_on_judgement(sheet, staff, statement: str = "会议纪要已补充上传，请复核。"):
    from reviews.models import ReviewScore
    from reviews.services.appeals import appeal_submit

    score = ReviewScore.objects.get(annual_return_id=sheet.annual_return_id, indicator__code="A1.4")
    return appeal_submit(score_sheet=sheet, user=staff, statement=statement, review_score=score)


def small_pdf(name: str = "佐证.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
