"""Publication (报告公开): the public edition of a final (定稿) annual report.

The rules (法治政府建设与责任落实督察工作规定) require each government and department to publish its
法治政府建设年度报告 by 4月1日. After 定稿 a person of the unit (or the bureau) starts a publication:
the final edition's text is frozen into `source_document`, which the 保密审查 may redact section by
section (`PublicationRedaction`; the internal edition, the `ReportRun`, is never touched); someone
confirms the public edition holds nothing secret or personal; then 发布 renders the public edition
once into files of its own (a tagged PDF/A and an accessible HTML page) that are what the public site
serves. 撤回 takes it off the site, with a reason; a later publication of the same report may follow.
Every step is audited (publication.services).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower

from accounts.models import Department
from reports.models import ReportKind, ReportRun

# The reports the rules require to be published: a unit's own annual report.
PUBLISHABLE_KINDS = (ReportKind.DEPARTMENT_ANNUAL, ReportKind.GOVERNMENT_ANNUAL)


def publication_file_path(publication: "ReportPublication", filename: str) -> str:
    return f"publication/{publication.year}/{filename}"


class ReportPublication(models.Model):
    class Status(models.TextChoices):
        REVIEWING = "reviewing", "保密审查中"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    run = models.ForeignKey(ReportRun, verbose_name="定稿版本", on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField("报告类型", max_length=30, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    department = models.ForeignKey(
        Department, verbose_name="单位", on_delete=models.PROTECT, related_name="publications"
    )
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.REVIEWING)
    # The final edition's document (reports.document.ReportDocument as JSON, publication.documents)
    # as it stood when the review started: the public edition is this with the redactions applied.
    source_document = models.JSONField("定稿正文", default=dict)
    version = models.PositiveIntegerField("版本", default=0, help_text="每次修改公开版或确认审查时加一。")

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("发起时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保密审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    reviewed_version = models.PositiveIntegerField(
        "审查时的版本", null=True, blank=True, help_text="审查确认的是这一版本的公开版；其后再修改须重新确认。"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)

    # The public edition, rendered once at 发布 and never again: what the public site serves.
    pdf_file = models.FileField("公开版 PDF", upload_to=publication_file_path, blank=True)
    pdf_sha256 = models.CharField("公开版 PDF SHA-256", max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField("公开版 PDF 大小（字节）", null=True, blank=True)
    page_count = models.PositiveIntegerField("页数", null=True, blank=True)
    html = models.TextField("公开版网页正文", blank=True, help_text="发布时生成的无障碍网页正文（HTML 片段）。")
    text = models.TextField("公开版全文", blank=True, help_text="供公开网站全文检索。")
    # What the public site's word search reads (publication.selectors.public_search): the title and the
    # public edition's text, lower-cased once by the database when they are written instead of
    # upper-casing every report's whole text on every search (icontains). On PostgreSQL a pg_trgm GIN
    # index (migration 0002) finds words of three characters or more without reading the texts;
    # Chinese has no spaces between words, so substring matching is the search, not word tokens.
    search_text = models.GeneratedField(
        verbose_name="检索文本",
        expression=Lower(Concat("title", Value("\n"), "text", output_field=models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )
    figures = models.JSONField(
        "公开数据", default=dict, blank=True, help_text="公开版所列本年数据（指标编码 → 数值文字），来自定稿版本。"
    )

    class Meta:
        verbose_name = "报告公开"
        verbose_name_plural = "报告公开"
        ordering = ["-year", "department__sort_order", "department__code", "-id"]
        constraints = [
            # One publication of a report at a time: a withdrawn one makes room for the next.
            models.UniqueConstraint(
                fields=["kind", "year", "department"],
                condition=~Q(status="withdrawn"),
                name="publication_one_current_per_report",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_at__isnull=False) & ~Q(pdf_sha256="")),
                name="publication_published_has_date_and_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | (Q(withdrawn_at__isnull=False) & ~Q(withdrawal_reason="")),
                name="publication_withdrawn_has_date_and_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="publication_status_year")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def is_reviewing(self) -> bool:
        return self.status == self.Status.REVIEWING

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_review_confirmed(self) -> bool:
        """The 保密审查 confirmed the public edition as it is now (not an earlier wording)."""
        return self.reviewed_at is not None and self.reviewed_version == self.version


class PublicationRedaction(models.Model):
    """The public edition's wording of one part of the report (保密审查删改): a first-level section
    by its heading without the number, or `OPENING` for the paragraphs before the first section.
    The internal edition keeps the original; a blank text means "as in the final edition"."""

    OPENING = "开头"

    publication = models.ForeignKey(
        ReportPublication, verbose_name="报告公开", on_delete=models.CASCADE, related_name="redactions"
    )
    key = models.CharField("部分", max_length=100)
    text = models.TextField("公开版正文", blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "公开版删改"
        verbose_name_plural = "公开版删改"
        constraints = [models.UniqueConstraint(fields=["publication", "key"], name="publication_redaction_unique_key")]

    def __str__(self) -> str:
        return f"{self.publication.title} {self.key}"

    @property
    def is_edited(self) -> bool:
        return bool(self.text.strip())
