"""Annual returns (年度填报): what one department reports against one year's framework.

AnnualReturn (department × framework) ─ IndicatorValue (one per applicable indicator)
                                      ├ NarrativeSection (the five sections of the annual report)
                                      ├ Evidence (佐证材料, per indicator or per return)
                                      ├ ReturnTransition (status log: who, when, from, to, comment)
                                      ├ ValueChange (audit trail of every value, written with the change)
                                      └ ProvidedValue (a figure a 数据提供单位 entered for the unit)
                                          └ ProvidedValueDispute (the unit's 异议 and the provider's answer)
ProviderSubmission (one 数据提供单位's 提交 of its whole grid for a year)

Rules that span rows (the transition table, version checks, deadlines) live in services/; the
database constraints here are the last line behind them.
"""

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from accounts.models import Department
from files.kinds import is_previewable
from indicators.models import DecimalSize, Indicator, IndicatorFramework, ValueState

from .limits import EXPLANATION_MAX_LENGTH, NARRATIVE_MAX_LENGTH, TEXT_VALUE_MAX_LENGTH


def _optional_user(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


# Numbers as departments report them: up to 14 integer digits, 4 decimals (amounts in 万元 etc.).
NUMBER: DecimalSize = {"max_digits": 18, "decimal_places": 4}


def default_deadline(year: int) -> datetime.date:
    """The annual report is due by 1 March of the following year (《法治政府建设与责任落实督察工作规定》
    第二十六条: 每年3月1日前向社会公开)."""
    return datetime.date(year + 1, 3, 1)


class AnnualReturn(models.Model):
    """年度填报: one department's return for one year's framework."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "未开始"
        IN_PROGRESS = "in_progress", "填报中"
        SUBMITTED = "submitted", "已提交"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "已审核"
        CONFIRMED = "confirmed", "已确认（锁定）"

    department = models.ForeignKey(
        Department, verbose_name="填报单位", on_delete=models.PROTECT, related_name="annual_returns"
    )
    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.PROTECT, related_name="annual_returns"
    )
    # Copied from the framework so the database itself holds "one return per department and year".
    year = models.PositiveSmallIntegerField("考核年度")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField("版本号", default=1, help_text="每次状态变化加一，用于并发检测。")

    # None for the returns of a 历史数据年度 (past figures entered after the fact: nothing is owed).
    deadline = models.DateField("提交截止日期", null=True, blank=True)
    extended_until = models.DateField("延期至", null=True, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准延期",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_granted_at = models.DateTimeField("延期批准时间", null=True, blank=True)
    resubmit_deadline = models.DateField(
        "退回修改期限", null=True, blank=True, help_text="审核员退回时指定的重新提交期限。"
    )

    submitted_at = models.DateTimeField("最近提交时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    submitted_by = _optional_user("提交人")
    is_late = models.BooleanField("逾期", default=False, help_text="首次提交晚于截止日期（批准延期的，晚于延期日期）。")

    self_score = models.DecimalField("自评分", max_digits=6, decimal_places=2, null=True, blank=True)
    self_score_detail = models.JSONField(
        "自评分明细", default=dict, blank=True, help_text="提交时按指标体系评分规则计算的分项得分。"
    )
    self_score_computed_at = models.DateTimeField("自评分计算时间", null=True, blank=True)

    # Completion, recounted by assessments.services.completion whenever values are written, so the progress
    # board of a province's 3,000 returns reads it from the return rows instead of counting 300,000
    # values on every view.
    # db_default too: the data generator and restores write rows with COPY, naming only their columns.
    filled_count = models.PositiveIntegerField("已填项数", default=0, db_default=0)
    item_count = models.PositiveIntegerField("应填项数", default=0, db_default=0)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度填报"
        verbose_name_plural = "年度填报"
        ordering = ["-year", "department__sort_order", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "framework"], name="return_unique_department_framework"),
            models.UniqueConstraint(fields=["department", "year"], name="return_unique_department_year"),
            models.CheckConstraint(
                condition=Q(extended_until__isnull=True)
                | (~Q(extension_reason="") & Q(extended_until__gt=F("deadline"))),
                name="return_extension_has_reason_and_is_later",
            ),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__gte=0), name="return_self_score_not_negative"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="return_version_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "in_progress"]) | Q(first_submitted_at__isnull=False),
                name="return_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"], name="return_year_status")]

    def __str__(self):
        return f"{self.department} {self.year}年度填报"

    @property
    def effective_deadline(self) -> datetime.date | None:
        return self.extended_until or self.deadline

    @property
    def is_historical(self) -> bool:
        """A return of a 历史数据年度: past figures entered by the bureau, with no deadline."""
        return self.framework.is_historical

    @property
    def is_reported(self) -> bool:
        """Its figures count in reports: submitted (or further), or past figures of a 历史数据年度,
        which are entered after the fact and never go through submission."""
        return self.status in REPORTED_STATUSES or self.is_historical

    @property
    def is_locked(self) -> bool:
        """已确认: values, scores and evidence no longer change except through an audited reopening."""
        return self.status == self.Status.CONFIRMED

    @property
    def is_open_for_department(self) -> bool:
        """Whether the department may edit at all (which fields exactly: see permissions.py)."""
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS, self.Status.RETURNED)


# Statuses whose figures reports use: the department has submitted them.
REPORTED_STATUSES = (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.APPROVED, AnnualReturn.Status.CONFIRMED)


def reported_returns_q() -> Q:
    """AnnualReturn.is_reported as a filter."""
    return Q(status__in=REPORTED_STATUSES) | Q(framework__is_historical=True)


class IndicatorValue(models.Model):
    """One indicator's figure in one return, stored in the column of its value type.

    `raw_input` keeps what the user typed, as typed, so nothing is lost when it does not parse;
    the typed columns hold only values that passed the parser, so the constraints below hold.
    `state` tells a figure (0 included; empty columns: nothing entered yet) from 不适用 and 暂无数据,
    which carry a reason and no figure. A rate may hold one part alone (the rate is then 无法计算)."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values")

    value_integer = models.BigIntegerField("整数值", null=True, blank=True)
    value_decimal = models.DecimalField("数值", null=True, blank=True, **NUMBER)
    numerator = models.DecimalField("分子", null=True, blank=True, **NUMBER)
    denominator = models.DecimalField("分母", null=True, blank=True, **NUMBER)
    value_boolean = models.BooleanField("是否", null=True, blank=True)
    value_date = models.DateField("日期", null=True, blank=True)
    value_choice = models.CharField("单选值", max_length=200, blank=True)
    value_choices = models.JSONField("多选值", default=list, blank=True)
    value_text = models.TextField("文字", blank=True)
    # db_default too: the data generator and restores write rows with COPY, naming only their columns.
    state = models.CharField(
        "填报状态", max_length=20, choices=ValueState.choices, default=ValueState.VALUE, db_default=ValueState.VALUE
    )
    state_reason = models.TextField("不适用或暂无数据的原因", blank=True, db_default="")

    raw_input = models.JSONField(
        "原始输入", default=dict, blank=True, help_text='用户输入的原文，如 {"value": "12件"}。'
    )
    input_error = models.CharField("输入问题", max_length=300, blank=True, help_text="原始输入无法识别时的提示。")
    explanation = models.TextField(
        "情况说明", blank=True, help_text="校验提醒（如同比波动较大）须填写说明，审核员可见。"
    )

    # Targeted return (退回修改): the reviewer reopens single indicators with a comment.
    is_reopened = models.BooleanField("已退回修改", default=False)
    reviewer_comment = models.TextField("审核意见", blank=True)
    reopened_at = models.DateTimeField("退回时间", null=True, blank=True)
    reopened_by = _optional_user("退回人")

    version = models.PositiveIntegerField("版本号", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = _optional_user("最后修改人")

    class Meta:
        verbose_name = "指标填报值"
        verbose_name_plural = "指标填报值"
        ordering = ["annual_return", "indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "indicator"], name="value_unique_return_indicator"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="value_numerator_not_above_denominator",
            ),
            models.CheckConstraint(
                condition=Q(value_integer__isnull=True) | Q(value_integer__gte=0), name="value_integer_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(value_decimal__isnull=True) | Q(value_decimal__gte=0), name="value_decimal_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0), name="value_numerator_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0), name="value_denominator_not_negative"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("value_text"), TEXT_VALUE_MAX_LENGTH), name="value_text_max_length"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("explanation"), EXPLANATION_MAX_LENGTH),
                name="value_explanation_max_length",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="value_version_positive"),
            models.CheckConstraint(condition=Q(state__in=ValueState.values), name="value_state_known"),
            # 不适用 / 暂无数据 carry no figure: a stored number beside them would be read as a claim.
            models.CheckConstraint(
                condition=Q(state=ValueState.VALUE)
                | Q(
                    value_integer__isnull=True,
                    value_decimal__isnull=True,
                    numerator__isnull=True,
                    denominator__isnull=True,
                    value_boolean__isnull=True,
                    value_date__isnull=True,
                    value_choice="",
                    value_text="",
                ),
                name="value_state_without_figure",
            ),
        ]
        indexes = [
            # Where a return's rows start in id order: the API pages figures by id, and a page with no
            # cursor yet starts at the first row of the returns asked for (selectors/figures.py).
            models.Index(fields=["annual_return", "id"], name="value_return_id"),
        ]

    def __str__(self):
        return f"{self.annual_return} · {self.indicator.code}"


class NarrativeSection(models.Model):
    """One of the five sections the annual report must contain (《法治政府建设年度报告制度》2019)."""

    class Kind(models.TextChoices):
        MEASURES = "measures", "主要举措和成效"
        SHORTCOMINGS = "shortcomings", "存在的不足和原因"
        LEADERSHIP = "leadership", "党政主要负责人履行推进法治建设第一责任人职责情况"
        NEXT_YEAR = "next_year", "下一年度主要安排"
        OTHER = "other", "其他需要报告的情况"

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="narratives"
    )
    kind = models.CharField("部分", max_length=20, choices=Kind.choices)
    text = models.TextField("内容", blank=True)

    is_reopened = models.BooleanField("已退回修改", default=False)
    reviewer_comment = models.TextField("审核意见", blank=True)

    version = models.PositiveIntegerField("版本号", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = _optional_user("最后修改人")

    class Meta:
        verbose_name = "年度报告文字部分"
        verbose_name_plural = "年度报告文字部分"
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "kind"], name="narrative_unique_return_kind"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), NARRATIVE_MAX_LENGTH), name="narrative_text_max_length"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="narrative_version_positive"),
        ]

    def __str__(self):
        return f"{self.annual_return} · {self.get_kind_display()}"

    @property
    def order(self) -> int:
        return list(self.Kind.values).index(self.kind)


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    """A server-generated name: the user's filename never reaches the file system (it is kept in
    `original_name`); only a known extension is kept so downloads get a sensible type."""
    suffix = PurePosixPath(filename).suffix.lower()
    safe_suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"evidence/{instance.annual_return.year}/{uuid.uuid4().hex}{safe_suffix}"


class Evidence(models.Model):
    """佐证材料: a file attached to one indicator of a return, or to the return as a whole."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="evidence"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
        help_text="留空表示整份填报的佐证材料。",
    )
    file = models.FileField("文件", upload_to=evidence_upload_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100, help_text="按文件内容识别，不以扩展名为准。")
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Removal is recorded, not a row deletion, so the audit trail keeps what was once attached.
    deleted_at = models.DateTimeField("删除时间", null=True, blank=True)
    deleted_by = _optional_user("删除人")

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="evidence_not_empty"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="evidence_sha256_hex"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(deleted_by__isnull=False), name="evidence_deletion_has_user"
            ),
        ]
        indexes = [models.Index(fields=["annual_return", "indicator"], name="evidence_return_indicator")]

    def __str__(self):
        return self.original_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_previewable(self) -> bool:
        """Opens in the browser (?inline=1) rather than downloading (files.kinds)."""
        return is_previewable(self.content_type)


class ReturnTransition(models.Model):
    """One status change of a return: the workflow's log, written in the same transaction."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=20, choices=AnnualReturn.Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=AnnualReturn.Status.choices)
    action = models.CharField("操作", max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示系统操作（如开启填报）。",
    )
    comment = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["annual_return", "created_at"], name="transition_return_time")]

    def __str__(self):
        return f"{self.annual_return}：{self.get_from_status_display()} → {self.get_to_status_display()}"


class ValueChange(models.Model):
    """修改记录: one field of one indicator value (or narrative section) changed, before and after.

    Written by the same service call, in the same transaction, as the change itself."""

    class Source(models.TextChoices):
        FORM = "form", "页面填报"
        AUTOSAVE = "autosave", "自动保存"
        IMPORT = "import", "Excel 导入"
        REVIEW = "review", "审核"
        PROVIDER = "provider", "数据提供单位"
        SYSTEM = "system", "系统"

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="value_changes"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    narrative_kind = models.CharField("文字部分", max_length=20, choices=NarrativeSection.Kind.choices, blank=True)
    field = models.CharField("字段", max_length=30, help_text="value、numerator、denominator、explanation、text 等。")
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    user = _optional_user("修改人")
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.FORM)
    changed_at = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "修改记录"
        verbose_name_plural = "修改记录"
        ordering = ["changed_at", "pk"]
        constraints = [
            # Exactly one subject: an indicator's value or a narrative section.
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False) & Q(narrative_kind=""))
                | (Q(indicator__isnull=True) & ~Q(narrative_kind="")),
                name="value_change_one_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["annual_return", "indicator", "changed_at"], name="change_return_indicator"),
        ]

    def __str__(self):
        return f"{self.annual_return} · {self.field}"


class ProvidedValue(models.Model):
    """A figure a 数据提供单位 entered for one unit (indicators.IndicatorProvision): the provider's own
    input and version, beside the unit's IndicatorValue it is written into. Scoring, reports and
    completion read the IndicatorValue as always; this row keeps who provided what, the grid's
    version for conflicts, and what the unit had reported itself before (过渡期对照)."""

    annual_return = models.ForeignKey(
        AnnualReturn, verbose_name="年度填报", on_delete=models.CASCADE, related_name="provided_values"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(Department, verbose_name="数据提供单位", on_delete=models.PROTECT, related_name="+")
    raw_input = models.JSONField("提供的原始输入", default=dict, blank=True)
    input_error = models.CharField("输入问题", max_length=300, blank=True)
    # The unit's own figure for the provided parts when the provider first wrote (过渡期): {} if none.
    self_reported = models.JSONField("单位自报原始输入", default=dict, blank=True)
    self_reported_text = models.CharField("单位自报值", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本号", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = _optional_user("最后修改人")

    class Meta:
        verbose_name = "提供数据"
        verbose_name_plural = "提供数据"
        ordering = ["annual_return", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["annual_return", "indicator"], name="provided_unique_return_indicator"),
            models.CheckConstraint(condition=Q(version__gte=1), name="provided_version_positive"),
        ]
        indexes = [models.Index(fields=["provider", "indicator"], name="provided_provider_indicator")]

    def __str__(self):
        return f"{self.annual_return} · {self.indicator.code}（{self.provider}提供）"


class ProvidedValueDispute(models.Model):
    """异议: a unit disputes a provided figure with a reason (and evidence); the provider keeps or
    corrects it. While open it is shown to the reviewer on the review page."""

    class Status(models.TextChoices):
        OPEN = "open", "待答复"
        KEPT = "kept", "维持原数"
        CORRECTED = "corrected", "已更正"

    provided_value = models.ForeignKey(
        ProvidedValue, verbose_name="提供数据", on_delete=models.CASCADE, related_name="disputes"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField("异议理由")
    evidence = models.ForeignKey(
        Evidence, verbose_name="佐证材料", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value_text = models.CharField("提出异议时的数", max_length=200, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    corrected_text = models.CharField("更正后的数", max_length=200, blank=True)
    answered_by = _optional_user("答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "提供数据异议"
        verbose_name_plural = "提供数据异议"
        ordering = ["raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="dispute_answered_has_answer",
            ),
        ]

    def __str__(self):
        return f"{self.provided_value} 异议"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ProviderSubmission(models.Model):
    """A 数据提供单位's 提交 of its whole grid for a year, with its deadline. Values stay editable
    after it (a correction is audited and re-scores), but the bureau sees when the figures were
    declared complete and who declared it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "填报中"
        SUBMITTED = "submitted", "已提交"

    provider = models.ForeignKey(Department, verbose_name="数据提供单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("考核年度")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    deadline = models.DateField("提交截止日期", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = _optional_user("提交人")
    reminded_at = models.DateTimeField("最近提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "数据提供单位提交"
        verbose_name_plural = "数据提供单位提交"
        ordering = ["-year", "provider__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="provider_submission_unique_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="provider_submission_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.year}年度提供数据"
