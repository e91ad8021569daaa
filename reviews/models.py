"""Review and scoring (审核评分): what reviewers decide about returns, and the scores that follow.

ReviewScore (审核评分: per return × indicator — claimed vs verified value, automatic vs reviewer score)
Adjustment (加分 / 扣分 / 一票否决 register, per department × year, entered and approved)
ScoreSheet (得分表: stored total, area subtotals, grade, rank and breakdown; recomputed idempotently)
Publication (公示: per year, the appeal window, whether the ranking is public, final)
Appeal (异议: a department contests one score or one deduction → 复核 decision)
ReviewAuditEntry (审核记录: every state change with before/after values, written in the same transaction)
Notification (站内通知)

Rules that span rows live in services/; the constraints here are the last line behind them.
"""

from decimal import Decimal
from pathlib import PurePosixPath
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import Department
from indicators.models import POINTS, AdjustmentItem, GradeThreshold, Indicator, IndicatorFramework


def _user(verbose_name: str, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


class ReviewScore(models.Model):
    """审核评分: the reviewer's verified value (核定值) and score (审核分) for one indicator of one
    return, kept beside the department's claimed value (自报值) and the automatic score (自评分).

    `verified_raw` is empty when the reviewer accepts the claimed value; otherwise it has the shape
    of `IndicatorValue.raw_input` ({"value": ...} or {"numerator": ..., "denominator": ...}).
    `points` None means the indicator is not counted for this department (无此类事项，不计入).
    `final_points` is set only by a 复核 decision on an appeal and then wins over `points`.
    """

    annual_return = models.ForeignKey(
        "assessments.AnnualReturn", verbose_name="年度填报", on_delete=models.CASCADE, related_name="review_scores"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    claimed_display = models.CharField("自报值", max_length=300, blank=True)
    verified_raw = models.JSONField("核定值（原文）", default=dict, blank=True)
    verified_display = models.CharField("核定值", max_length=300, blank=True)
    max_points = models.DecimalField("分值", **POINTS)
    automatic_points = models.DecimalField("自评分", null=True, blank=True, **POINTS)
    points = models.DecimalField("审核分", null=True, blank=True, **POINTS)
    final_points = models.DecimalField("复核分", null=True, blank=True, **POINTS)
    is_judgement = models.BooleanField("审核员评定项", default=False)
    reason = models.TextField("理由", blank=True)
    reviewer = _user("审核员", null=False)
    reviewed_at = models.DateTimeField("审核时间", auto_now=True)
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "审核评分"
        verbose_name_plural = "审核评分"
        ordering = ["annual_return", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "indicator"], name="review_score_unique_return_indicator"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | (Q(points__gte=0) & Q(points__lte=F("max_points"))),
                name="review_score_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True)
                | (Q(final_points__gte=0) & Q(final_points__lte=F("max_points"))),
                name="review_score_final_points_in_range",
            ),
            models.CheckConstraint(
                condition=Q(automatic_points__isnull=True)
                | (Q(automatic_points__gte=0) & Q(automatic_points__lte=F("max_points"))),
                name="review_score_automatic_points_in_range",
            ),
            # 扣分须说明理由: a score other than the automatic one, and every judgement, has a reason.
            models.CheckConstraint(
                condition=~Q(reason="")
                | (Q(is_judgement=False) & Q(points=F("automatic_points")))
                | (Q(is_judgement=False) & Q(points__isnull=True) & Q(automatic_points__isnull=True)),
                name="review_score_reason_when_changed",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="review_score_version_positive"),
        ]

    def __str__(self):
        return f"{self.annual_return} · {self.indicator.code}"

    @property
    def effective_points(self) -> Decimal | None:
        return self.final_points if self.final_points is not None else self.points

    @property
    def is_changed(self) -> bool:
        return self.points != self.automatic_points

    @property
    def deduction(self) -> Decimal:
        """Points below the maximum: what an appeal may contest."""
        return self.max_points - (self.effective_points or Decimal(0)) if self.points is not None else Decimal(0)


def _evidence_path(folder: str, filename: str) -> str:
    """A server-generated name; the user's file name is kept in the row, never on disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    safe_suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"{folder}/{uuid4().hex}{safe_suffix}"


def adjustment_evidence_path(instance: "Adjustment", filename: str) -> str:
    return _evidence_path(f"reviews/adjustments/{instance.year}", filename)


def appeal_evidence_path(instance: "Appeal", filename: str) -> str:
    return _evidence_path("reviews/appeals", filename)


class Adjustment(models.Model):
    """加分 / 扣分 / 一票否决 register entry for one department and year, against an item of the
    framework's list. Counts only once approved, by someone other than who entered it."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"
        WITHDRAWN = "withdrawn", "已撤销"

    department = models.ForeignKey(
        Department, verbose_name="单位", on_delete=models.PROTECT, related_name="score_adjustments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    item = models.ForeignKey(AdjustmentItem, verbose_name="加减分项", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=AdjustmentItem.Kind.choices)
    occurrences = models.PositiveIntegerField("次数（件数）", default=1)
    points = models.DecimalField("分值", **POINTS, help_text="加分或扣分的分数（正数）；一票否决为 0。")
    final_points = models.DecimalField("复核分值", null=True, blank=True, **POINTS)
    reason = models.TextField("事由")
    evidence = models.FileField("佐证材料", upload_to=adjustment_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField("佐证材料文件名", max_length=255, blank=True)
    evidence_content_type = models.CharField(
        "佐证材料类型", max_length=100, blank=True, help_text="按文件内容识别的类型；为空的旧文件只作下载。"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    entered_by = _user("登记人", null=False)
    entered_at = models.DateTimeField("登记时间", auto_now_add=True)
    approved_by = _user("审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = "加减分登记"
        verbose_name_plural = "加减分登记"
        ordering = ["-year", "department__sort_order", "kind", "entered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="adjustment_points_not_negative"),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True) | Q(final_points__gte=0),
                name="adjustment_final_points_not_negative",
            ),
            models.CheckConstraint(condition=~Q(kind="veto") | Q(points=0), name="adjustment_veto_has_no_points"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="adjustment_decision_has_user",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("entered_by")),
                name="adjustment_approver_is_not_enterer",
            ),
        ]
        indexes = [models.Index(fields=["year", "department", "status"], name="adjustment_year_department")]

    def __str__(self):
        return f"{self.department} {self.year} {self.item.code}"

    @property
    def effective_points(self) -> Decimal:
        return self.final_points if self.final_points is not None else self.points


class Publication(models.Model):
    """公示: the bureau publishes a year's preliminary scores; appeals run until the deadline; then
    the scores are declared final. `is_ranking_public` lets departments see the ranking of all, and
    `is_breakdown_public` the breakdown (加分, 扣分, area points) of all units in it."""

    class Status(models.TextChoices):
        PRELIMINARY = "preliminary", "初步结果公示中"
        FINAL = "final", "最终结果"

    year = models.PositiveSmallIntegerField("考核年度", unique=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PRELIMINARY)
    appeal_deadline = models.DateField("异议截止日期")
    is_ranking_public = models.BooleanField("公开排名", default=False)
    # With the ranking public, units see each other's totals and grades; their 加分, 扣分 and
    # per-area points only when the bureau opens these too (issue 18 §3: off unless chosen).
    is_breakdown_public = models.BooleanField("公开明细", default=False)
    published_by = _user("发布人", null=False)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    finalised_by = _user("确认人")
    finalised_at = models.DateTimeField("确认最终结果时间", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "考核结果公示"
        verbose_name_plural = "考核结果公示"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="final") | (Q(finalised_by__isnull=False) & Q(finalised_at__isnull=False)),
                name="publication_final_has_user",
            ),
        ]

    def __str__(self):
        return f"{self.year}年度考核结果（{self.get_status_display()}）"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ScoreSheet(models.Model):
    """得分表: the stored result for one department and year. Reports and rankings read it and never
    recompute; `services.scoring.score_sheet_compute` rewrites it whenever an input changes and
    leaves it untouched (same fingerprint) when nothing did."""

    department = models.ForeignKey(
        Department, verbose_name="单位", on_delete=models.PROTECT, related_name="score_sheets"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.PROTECT, related_name="+"
    )
    annual_return = models.OneToOneField(
        "assessments.AnnualReturn",
        verbose_name="年度填报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="score_sheet",
    )
    department_kind = models.CharField("单位类型", max_length=20, choices=Department.Kind.choices)
    earned = models.DecimalField("指标得分", **POINTS)
    applicable_max = models.DecimalField("适用指标满分", **POINTS)
    base_score = models.DecimalField("基础得分（折算）", **POINTS)
    bonus = models.DecimalField("加分", **POINTS)
    deductions = models.DecimalField("扣分", **POINTS)
    total = models.DecimalField("总分", **POINTS)
    is_vetoed = models.BooleanField("一票否决", default=False)
    grade = models.CharField("等次", max_length=20, choices=GradeThreshold.Grade.choices)
    area_points = models.JSONField("一级指标得分", default=dict, help_text='{"A": "11.50", ...}')
    breakdown = models.JSONField("得分明细", default=dict)
    fingerprint = models.CharField("输入指纹", max_length=64)
    rank = models.PositiveIntegerField("总排名", null=True, blank=True)
    rank_in_kind = models.PositiveIntegerField("同类排名", null=True, blank=True)
    is_final = models.BooleanField("最终结果", default=False)
    computed_at = models.DateTimeField("计算时间")
    version = models.PositiveIntegerField("版本号", default=1)

    class Meta:
        verbose_name = "得分表"
        verbose_name_plural = "得分表"
        ordering = ["-year", "rank", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="score_sheet_unique_department_year"),
            models.CheckConstraint(condition=Q(total__gte=0), name="score_sheet_total_not_negative"),
            models.CheckConstraint(condition=Q(bonus__gte=0) & Q(deductions__gte=0), name="score_sheet_adjustments"),
            models.CheckConstraint(condition=~Q(is_vetoed=True) | Q(grade="fail"), name="score_sheet_veto_fails"),
            models.CheckConstraint(condition=Q(version__gte=1), name="score_sheet_version_positive"),
        ]
        indexes = [models.Index(fields=["year", "department_kind", "total"], name="score_sheet_year_kind_total")]

    def __str__(self):
        return f"{self.department} {self.year}年度得分表"


class Appeal(models.Model):
    """异议: during the appeal window a department contests one indicator score or one deduction
    (加减分登记) with a statement and evidence; a second reviewer (复核, not the first reviewer) decides."""

    class Status(models.TextChoices):
        PENDING = "pending", "待复核"
        UPHELD = "upheld", "异议成立"
        PARTLY_UPHELD = "partly", "部分成立"
        REJECTED = "rejected", "异议不成立"

    score_sheet = models.ForeignKey(ScoreSheet, verbose_name="得分表", on_delete=models.CASCADE, related_name="appeals")
    review_score = models.ForeignKey(
        ReviewScore,
        verbose_name="所涉指标评分",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    adjustment = models.ForeignKey(
        Adjustment, verbose_name="所涉扣分登记", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    statement = models.TextField("异议理由")
    evidence = models.FileField("佐证材料", upload_to=appeal_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField("佐证材料文件名", max_length=255, blank=True)
    evidence_content_type = models.CharField(
        "佐证材料类型", max_length=100, blank=True, help_text="按文件内容识别的类型；为空的旧文件只作下载。"
    )
    submitted_by = _user("提出人", null=False)
    submitted_at = models.DateTimeField("提出时间", auto_now_add=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    points_before = models.DecimalField("复核前分值", **POINTS)
    points_after = models.DecimalField("复核后分值", null=True, blank=True, **POINTS)
    decided_by = _user("复核人")
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision_reason = models.TextField("复核意见", blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(review_score__isnull=False) & Q(adjustment__isnull=True))
                | (Q(review_score__isnull=True) & Q(adjustment__isnull=False)),
                name="appeal_one_subject",
            ),
            models.CheckConstraint(condition=~Q(statement=""), name="appeal_has_statement"),
            models.CheckConstraint(
                condition=Q(status="pending")
                | (
                    Q(decided_by__isnull=False)
                    & Q(decided_at__isnull=False)
                    & Q(points_after__isnull=False)
                    & ~Q(decision_reason="")
                ),
                name="appeal_decision_complete",
            ),
            models.UniqueConstraint(
                fields=["review_score"], condition=Q(status="pending"), name="appeal_one_pending_per_score"
            ),
            models.UniqueConstraint(
                fields=["adjustment"], condition=Q(status="pending"), name="appeal_one_pending_per_adjustment"
            ),
        ]

    def __str__(self):
        return f"{self.score_sheet.department} {self.score_sheet.year} 异议 #{self.pk}"

    @property
    def subject_label(self) -> str:
        if self.review_score is not None:
            indicator = self.review_score.indicator
            return f"{indicator.code} {indicator.name}"
        if self.adjustment is not None:
            return f"{self.adjustment.item.code} {self.adjustment.item.name}"
        return ""  # appeal_one_subject: every saved appeal has one of the two


class ReviewAuditEntry(models.Model):
    """审核记录: one state change in review and scoring, with every before and after value.

    Written by the service that makes the change, in the same transaction."""

    department = models.ForeignKey(Department, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("考核年度")
    action = models.CharField("操作", max_length=40)
    subject = models.CharField("对象", max_length=200)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)
    reason = models.TextField("理由", blank=True)
    user = _user("操作人")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["year", "department", "created_at"], name="review_audit_year_department")]

    def __str__(self):
        return f"{self.year} {self.action} {self.subject}"


class Notification(models.Model):
    """站内通知. `key` makes reminders idempotent: one per recipient and key."""

    class Kind(models.TextChoices):
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "审核通过"
        CONFIRMED = "confirmed", "已确认锁定"
        REOPENED = "reopened", "重新开放"
        PUBLISHED = "published", "结果公示"
        APPEAL = "appeal", "收到异议"
        APPEAL_DECIDED = "appeal_decided", "异议复核结果"
        FINAL = "final", "最终结果"
        DEADLINE = "deadline", "截止提醒"
        DISPUTE = "dispute", "提供数据异议"
        DISPUTE_ANSWERED = "dispute_answered", "提供数据异议答复"
        DISPUTE_OVERDUE = "dispute_overdue", "提供数据异议逾期未答复"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=100, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_unique_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_recipient_unread")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
