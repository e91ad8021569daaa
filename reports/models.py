"""Report runs (报告生成任务): the database row is the source of truth for every generated report.

A run is requested (queued), claimed by a worker (running) and ends done or failed. Celery messages
may be lost or delivered twice; the row decides what happens (see services.report_run_execute and the
sweeper). A run that finishes gets the next edition number of its kind, scope and year, so every
regeneration is kept as a numbered edition; a final (定稿) edition closes its scope to new editions.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Department
from assessments.models import AnnualReturn


class ReportKind(models.TextChoices):
    DEPARTMENT_ANNUAL = "department_annual", "部门年度报告"
    GOVERNMENT_ANNUAL = "government_annual", "本级政府年度报告"
    CONGRESS_SURVEY = "congress_survey", "人大常委会调研报告"
    RESULTS_NOTICE = "results_notice", "考核结果通报"


def report_file_path(run: "ReportRun", filename: str) -> str:
    return f"reports/{run.year}/{filename}"


class ReportBatch(models.Model):
    """All department reports of a year requested at once (批量生成), downloadable as one zip."""

    kind = models.CharField("报告类型", max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    scope = models.ForeignKey(
        Department,
        verbose_name="范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="该单位及其下级单位；留空表示全部单位。",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The batch's reports are its own runs (ReportRun.batch) and, for each unit whose data had not
    # changed since a finished edition, that edition, served as it is (reports/readiness.py).
    reused: "models.ManyToManyField[ReportRun, Any]" = models.ManyToManyField(
        "ReportRun", verbose_name="沿用的版本", blank=True, related_name="reused_by_batches"
    )

    class Meta:
        verbose_name = "批量生成"
        verbose_name_plural = "批量生成"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.get_kind_display()}（批量）"


class ReportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("报告类型", max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    department = models.ForeignKey(
        Department,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report_runs",
        help_text="部门报告为该部门，政府报告为该级政府；全市范围的报告留空。",
    )
    options = models.JSONField("选项", default=dict, blank=True)
    batch = models.ForeignKey(
        ReportBatch, verbose_name="批次", null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )

    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("当前步骤", max_length=100, blank=True)
    error_message = models.TextField("错误信息", blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)

    edition = models.PositiveIntegerField("版次", null=True, blank=True, help_text="生成完成时按顺序编号。")
    is_final = models.BooleanField("定稿", default=False)
    file = models.FileField("PDF 文件", upload_to=report_file_path, blank=True)
    sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    docx_file = models.FileField("Word 文件", upload_to=report_file_path, blank=True)
    docx_sha256 = models.CharField("Word SHA-256", max_length=64, blank=True)
    page_count = models.PositiveIntegerField("页数", null=True, blank=True)
    health_items = models.JSONField(
        "报告体检", default=list, blank=True, help_text="生成时检查出的问题；定稿前须逐项修正或说明理由。"
    )
    figure_snapshot = models.JSONField(
        "主要数据", default=dict, blank=True, help_text="本版报告所列本年数据（按指标编码），供下一年度核对上年基数。"
    )
    render_seconds = models.DecimalField("生成耗时（秒）", max_digits=8, decimal_places=2, null=True, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="自动预生成的报告在有人申请之前为空。",
    )
    # Ready on click (reports/readiness.py): a run the system starts when a report's data change is
    # automatic and invisible until someone asks for that report with the same data; it then
    # becomes that user's next edition without being rendered again.
    is_automatic = models.BooleanField("自动预生成", default=False)
    fingerprint = models.CharField(
        "输入指纹", max_length=64, blank=True, help_text="生成所依据的数据与程序版本（reports/fingerprint.py）。"
    )
    not_before = models.DateTimeField("最早开始时间", null=True, blank=True, help_text="自动预生成的防抖等待。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    queued_at = models.DateTimeField("入队时间", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # Liveness (reports/recovery.py): who renders the run and when it last proved it is alive, and
    # when its message was last sent; the sweeper re-queues a run whose heartbeat stopped or whose
    # message is gone.
    claimed_by = models.CharField("执行进程", max_length=200, blank=True, help_text="主机名:进程号")
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    dispatched_at = models.DateTimeField("最近派发时间", null=True, blank=True)
    finalized_at = models.DateTimeField("定稿时间", null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "报告生成任务"
        verbose_name_plural = "报告生成任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "department", "edition"],
                condition=Q(department__isnull=False, edition__isnull=False),
                name="report_run_unique_edition_per_department",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "edition"],
                condition=Q(department__isnull=True, edition__isnull=False),
                name="report_run_unique_edition_citywide",
            ),
            # At most one final edition per scope: 定稿 closes the scope.
            models.UniqueConstraint(
                fields=["kind", "year", "department"],
                condition=Q(is_final=True, department__isnull=False),
                name="report_run_one_final_per_department",
            ),
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=Q(is_final=True, department__isnull=True),
                name="report_run_one_final_citywide",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_run_progress_at_most_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | ((Q(edition__isnull=False) | Q(is_automatic=True)) & ~Q(sha256="")),
                name="report_run_done_has_edition_and_file",
            ),
            # An automatic run is nobody's edition until someone asks for it (then it is no longer automatic).
            models.CheckConstraint(
                condition=Q(is_automatic=False) | (Q(edition__isnull=True) & Q(is_final=False)),
                name="report_run_automatic_has_no_edition",
            ),
            models.CheckConstraint(condition=~Q(is_final=True) | Q(status="done"), name="report_run_final_is_done"),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="report_run_status_queued"),
            models.Index(fields=["kind", "year", "department"], name="report_run_scope"),
        ]

    def __str__(self) -> str:
        scope = self.department.name if self.department is not None else "全市"
        return f"{scope} {self.year}年{self.get_kind_display()}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ChangedReturn(models.Model):
    """A return whose figures or texts changed since the reports that read it were last scheduled for
    a refresh (reports/readiness.py). Written in the change's own transaction, one statement and no
    read; taken by the next refresh tick of a worker or, without a broker, of a web process, which
    works out which reports read the return. One row per return: a burst of saves keeps one row,
    with the time of the last change."""

    annual_return = models.OneToOneField(
        AnnualReturn, verbose_name="年度填报", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    changed_at = models.DateTimeField("最近变化时间")

    class Meta:
        verbose_name = "数据已变化的填报"
        verbose_name_plural = "数据已变化的填报"

    def __str__(self) -> str:
        return f"{self.annual_return_id} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class ReportHealthAcknowledgement(models.Model):
    """An item of a draft's 报告体检 that the signing office accepts as it is, with its reason.

    It is kept per scope (kind, year, unit), not per edition: an item acknowledged on one edition
    stays acknowledged on a regenerated one as long as the check says the same thing."""

    kind = models.CharField("报告类型", max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    department = models.ForeignKey(
        Department, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    run = models.ForeignKey(ReportRun, verbose_name="确认时的版本", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("体检项", max_length=200)
    message = models.TextField("问题")
    reason = models.TextField("说明理由")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField("确认时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告体检确认"
        verbose_name_plural = "报告体检确认"
        ordering = ["acknowledged_at", "id"]
        indexes = [models.Index(fields=["kind", "year", "department"], name="report_health_ack_scope")]

    def __str__(self) -> str:
        return f"{self.key}：{self.reason[:20]}"


class ReportDraft(models.Model):
    """What the signing office sets on a report before it goes out (报告稿): the 成文日期, the 发文字号
    and the 附件说明; its edited sections are `ReportDraftSection` rows. One per scope (kind, year,
    unit), like the editions it shapes; frozen once an edition of the scope is final (定稿)."""

    kind = models.CharField("报告类型", max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    department = models.ForeignKey(
        Department, verbose_name="单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("成文日期", null=True, blank=True, help_text="留空时使用系统日期（提交或公示日期）。")
    document_number = models.CharField("发文字号", max_length=50, blank=True)
    attachment_note = models.TextField("附件说明", blank=True, help_text="每行一个附件名称；留空时按附件标题列出。")
    version = models.PositiveIntegerField("版本", default=0)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "报告稿"
        verbose_name_plural = "报告稿"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "department"],
                condition=Q(department__isnull=False),
                name="report_draft_one_per_department",
            ),
            models.UniqueConstraint(
                fields=["kind", "year"], condition=Q(department__isnull=True), name="report_draft_one_citywide"
            ),
        ]

    def __str__(self) -> str:
        scope = self.department.name if self.department is not None else "全市"
        return f"{scope} {self.year}年{self.get_kind_display()}（报告稿）"


class ReportDraftSection(models.Model):
    """A user's wording of one first-level section of a report otherwise drafted from the data.

    `key` is the section's heading without its number (存在的不足和原因), so an edit stays with its
    section when sections are renumbered. A blank text means "use the generated draft"; resetting
    keeps the row and moves its version, so a form opened before the reset cannot overwrite it.
    """

    draft = models.ForeignKey(ReportDraft, verbose_name="报告稿", on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("部分", max_length=100)
    text = models.TextField("正文", blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "报告正文修改"
        verbose_name_plural = "报告正文修改"
        constraints = [models.UniqueConstraint(fields=["draft", "key"], name="report_draft_section_unique_key")]

    def __str__(self) -> str:
        return f"{self.draft} {self.key}"

    @property
    def is_edited(self) -> bool:
        return bool(self.text.strip())
