"""The people's-congress (人大) oversight data of one year.

A `CongressYear` holds everything the congress survey report (调研报告) of that year is written
from: the satisfaction survey (问卷调查) and its responses, the deliberation opinions and deputies'
suggestions (审议意见 / 代表建议) with their handling by departments, the survey team's activities
(座谈会、实地走访、去函) and the recommendations (意见建议) drafted for the report.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.models import Department

DEFAULT_RESPONDENT_GROUPS = ("人大代表", "普通群众", "企业法人", "法治工作人员", "律师")


class CongressYear(models.Model):
    """One year of congress oversight. The report engineer finalises it when the report is final."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    title = models.CharField("调研主题", max_length=200, blank=True)
    report_finalised_at = models.DateTimeField("调研报告定稿时间", null=True, blank=True)
    report_finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "人大监督年度"
        verbose_name_plural = "人大监督年度"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年度"

    @property
    def is_finalised(self) -> bool:
        return self.report_finalised_at is not None


class Survey(models.Model):
    """The year's questionnaire survey (问卷调查 / 社情民意调查)."""

    congress_year = models.OneToOneField(
        CongressYear, verbose_name="年度", on_delete=models.PROTECT, related_name="survey"
    )
    title = models.CharField("调查名称", max_length=200)
    method = models.CharField(
        "调查方式", max_length=200, blank=True, help_text="如：委托社情民意调查中心电话访谈、现场发放问卷。"
    )
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "问卷调查"
        verbose_name_plural = "问卷调查"

    def __str__(self):
        return self.title

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})


class RespondentGroup(models.Model):
    """A category of respondents (调查对象类别), e.g. 人大代表 or 企业法人; configurable per survey."""

    survey = models.ForeignKey(Survey, verbose_name="问卷调查", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField("类别名称", max_length=50)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "调查对象类别"
        verbose_name_plural = "调查对象类别"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="respondent_group_unique_name")]

    def __str__(self):
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "单选（评价量表）"
        MULTIPLE = "multiple", "多选（问题清单）"
        OPEN = "open", "开放式问题"

    survey = models.ForeignKey(Survey, verbose_name="问卷调查", on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("题号")
    text = models.CharField("题目", max_length=300)
    kind = models.CharField("题型", max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="question_unique_number")]

    def __str__(self):
        return f"第{self.number}题 {self.text}"

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.OPEN


class Option(models.Model):
    """A choice of a question. For a rating scale the flags state the satisfaction rule.

    满意率 = answers on options that count as satisfied ÷ valid answers, where valid answers are all
    answers except those on options excluded from the base (typically 说不清).
    """

    question = models.ForeignKey(Question, verbose_name="问题", on_delete=models.CASCADE, related_name="options")
    label = models.CharField("选项", max_length=100)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    counts_as_satisfied = models.BooleanField("计入满意", default=False)
    is_excluded_from_base = models.BooleanField("不计入有效回答", default=False)

    class Meta:
        verbose_name = "选项"
        verbose_name_plural = "选项"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="option_unique_label"),
            models.CheckConstraint(
                condition=~(Q(counts_as_satisfied=True) & Q(is_excluded_from_base=True)),
                name="option_satisfied_is_in_base",
            ),
        ]

    def __str__(self):
        return self.label


class Response(models.Model):
    """One respondent's questionnaire (答卷)."""

    class Source(models.TextChoices):
        FORM = "form", "逐份录入"
        IMPORT = "import", "Excel 导入"

    survey = models.ForeignKey(Survey, verbose_name="问卷调查", on_delete=models.CASCADE, related_name="responses")
    group = models.ForeignKey(
        RespondentGroup, verbose_name="调查对象类别", on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField("问卷编号", max_length=50, blank=True)
    is_valid = models.BooleanField("有效问卷", default=True)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.FORM)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "答卷"
        verbose_name_plural = "答卷"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "reference"], condition=~Q(reference=""), name="response_unique_reference"
            )
        ]

    def __str__(self):
        return self.reference or f"答卷 {self.pk}"


class Answer(models.Model):
    """One answer: an option chosen (one row per ticked option for multiple choice) or open text."""

    response = models.ForeignKey(Response, verbose_name="答卷", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name="问题", on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, verbose_name="选项", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField("回答内容", blank=True)

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"
        constraints = [
            models.UniqueConstraint(fields=["response", "option"], name="answer_unique_option"),
            models.CheckConstraint(
                condition=Q(option__isnull=False, text="") | Q(option__isnull=True) & ~Q(text=""),
                name="answer_option_xor_text",
            ),
        ]

    def __str__(self):
        return self.text or str(self.option)


class GroupTally(models.Model):
    """Aggregate results of one respondent group, entered when a third party ran the survey."""

    survey = models.ForeignKey(Survey, verbose_name="问卷调查", on_delete=models.CASCADE, related_name="tallies")
    group = models.OneToOneField(
        RespondentGroup, verbose_name="调查对象类别", on_delete=models.CASCADE, related_name="tally"
    )
    returned_count = models.PositiveIntegerField("回收问卷数")
    valid_count = models.PositiveIntegerField("有效问卷数")
    note = models.CharField("数据来源说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "汇总样本"
        verbose_name_plural = "汇总样本"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_count__lte=models.F("returned_count")), name="tally_valid_le_returned"
            )
        ]

    def __str__(self):
        return f"{self.group} 汇总样本"


class OptionTally(models.Model):
    """How many valid respondents of a group chose an option, in aggregate entry."""

    tally = models.ForeignKey(GroupTally, verbose_name="汇总样本", on_delete=models.CASCADE, related_name="counts")
    option = models.ForeignKey(Option, verbose_name="选项", on_delete=models.CASCADE, related_name="tallies")
    count = models.PositiveIntegerField("人数")

    class Meta:
        verbose_name = "选项汇总"
        verbose_name_plural = "选项汇总"
        constraints = [models.UniqueConstraint(fields=["tally", "option"], name="option_tally_unique")]

    def __str__(self):
        return f"{self.option}：{self.count}"


class HandlingStatus(models.TextChoices):
    """A department's handling result, in the order of the official 办理结果 categories."""

    RESOLVED = "resolved", "已解决"
    BASICALLY_RESOLVED = "basically_resolved", "基本解决"
    PARTIALLY_RESOLVED = "partially_resolved", "部分解决"
    PLANNED = "planned", "列入计划"
    UNRESOLVED = "unresolved", "未解决"


class DeliberationOpinion(models.Model):
    """A deliberation opinion of the standing committee (审议意见) or a deputy's suggestion (代表建议)."""

    class Kind(models.TextChoices):
        OPINION = "opinion", "审议意见"
        SUGGESTION = "suggestion", "代表建议"

    congress_year = models.ForeignKey(
        CongressYear, verbose_name="年度", on_delete=models.PROTECT, related_name="opinions"
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    number = models.CharField("编号", max_length=30)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    proposer = models.CharField("提出人或会议", max_length=100, blank=True)
    received_on = models.DateField("交办日期", null=True, blank=True)
    reviewed_at = models.DateTimeField("回头看时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回头看人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField("回头看情况", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "审议意见和代表建议"
        verbose_name_plural = "审议意见和代表建议"
        ordering = ["kind", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["congress_year", "kind", "number"], name="opinion_unique_number")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}{self.number} {self.title}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class Assignment(models.Model):
    """An opinion handed to one department (交办), with the department's answer (办理情况)."""

    opinion = models.ForeignKey(
        DeliberationOpinion, verbose_name="审议意见", on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        Department, verbose_name="承办单位", on_delete=models.PROTECT, related_name="congress_assignments"
    )
    deadline = models.DateField("办理期限")
    status = models.CharField("办理结果", max_length=20, choices=HandlingStatus.choices, blank=True)
    answer = models.TextField("办理情况", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=0)

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "department"], name="assignment_unique_department"),
            models.CheckConstraint(
                condition=Q(status="", answered_at__isnull=True) | ~Q(status="") & Q(answered_at__isnull=False),
                name="assignment_status_answered_together",
            ),
        ]

    def __str__(self):
        return f"{self.opinion} → {self.department}"

    @property
    def is_answered(self) -> bool:
        return bool(self.status)


class SurveyActivity(models.Model):
    """A forum, site visit or letter of the survey team (调研活动)."""

    class Kind(models.TextChoices):
        FORUM = "forum", "座谈会"
        SITE_VISIT = "site_visit", "实地走访"
        LETTER = "letter", "去函"
        BRIEFING = "briefing", "听取汇报"
        OTHER = "other", "其他"

    congress_year = models.ForeignKey(
        CongressYear, verbose_name="年度", on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField("形式", max_length=12, choices=Kind.choices)
    subject = models.CharField("主题", max_length=200)
    held_on = models.DateField("日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name="参加单位", blank=True, related_name="congress_activities"
    )
    other_participants = models.CharField(
        "其他参加人员", max_length=300, blank=True, help_text="如：人大代表、立法咨询专家、律师。"
    )
    notes = models.TextField("情况记录", blank=True)

    class Meta:
        verbose_name = "调研活动"
        verbose_name_plural = "调研活动"
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject}"

    def clean(self):
        if self.ended_on and self.ended_on < self.held_on:
            raise ValidationError({"ended_on": "结束日期不能早于开始日期。"})


class Recommendation(models.Model):
    """One of the numbered recommendations (意见建议) of the report; editable until it is finalised."""

    congress_year = models.ForeignKey(
        CongressYear, verbose_name="年度", on_delete=models.PROTECT, related_name="recommendations"
    )
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=0)

    class Meta:
        verbose_name = "意见建议"
        verbose_name_plural = "意见建议"
        ordering = ["position", "id"]

    def __str__(self):
        return f"（{self.position}）{self.title}"
