"""The indicator framework (指标体系): a yearly, versioned tree of what departments report and how it scores.

IndicatorFramework ─ Area (一级) ─ Group (二级) ─ Indicator (三级) ─ AssessmentPoint (四级 考核要点)
                   ├ ValidationRule (校验规则, expressions over indicator codes)
                   ├ GradeThreshold (等次线, per department kind)
                   └ AdjustmentItem (加分 / 扣分 / 一票否决 lists)

The framework is data, never code: every year is a new version cloned from the last one. Indicator
codes are stable across years; `previous_code` records renames, splits and merges so that last
year's value can be found (see `selectors.indicator_predecessors`). Areas, groups and indicators
of a framework that returns were filed against refuse every change (see `tree_lock`).
"""

from decimal import Decimal
from typing import TypedDict, cast

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Department

from .targets import target_problems
from .tree_lock import FrameworkPart


class DecimalSize(TypedDict):
    """The digits of a DecimalField, spread into its keyword arguments."""

    max_digits: int
    decimal_places: int


POINTS: DecimalSize = {"max_digits": 6, "decimal_places": 2}
CODE_MAX_LENGTH = 20


class IndicatorFramework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"
        ARCHIVED = "archived", "已归档"

    name = models.CharField("指标体系名称", max_length=100)
    year = models.PositiveSmallIntegerField("考核年度", help_text="考核的是哪一年的工作，如 2025。")
    version = models.PositiveSmallIntegerField("版本号", default=1)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField("说明", blank=True)
    cloned_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
        help_text="上一年度（或上一版本）的指标体系；上年数据比对沿此关系查找。",
    )
    base_points = models.DecimalField("基础分", default=Decimal("100"), **POINTS)
    bonus_cap = models.DecimalField("加分上限", default=Decimal("5"), **POINTS)
    yoy_swing_percent = models.DecimalField(
        "同比波动阈值（%）",
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0"))],
        **POINTS,
        help_text="数值较上年变化超过此百分比时须填写说明；各指标可单独设置。",
    )
    is_historical = models.BooleanField(
        "历史数据年度",
        default=False,
        help_text="补录以前年度数据用的版本：填报无截止日期、不计逾期，默认不评分；供以后年度“较上年”比较。",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "指标体系"
        verbose_name_plural = "指标体系"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="framework_unique_year_version"),
            # Returns of a year are filed against the one published version of that year.
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="published"), name="framework_one_published_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.year}年 第{self.version}版）"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_editable(self) -> bool:
        """Only drafts change; a published or archived edition changes by cloning a new version."""
        return self.status == self.Status.DRAFT


class Area(FrameworkPart):
    """一级指标."""

    FROM_FRAMEWORK = "areas"

    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField("编码", max_length=CODE_MAX_LENGTH, help_text="如 A、G。")
    name = models.CharField("一级指标名称", max_length=100)
    description = models.TextField("说明", blank=True)
    max_points = models.DecimalField("分值", validators=[MinValueValidator(Decimal("0"))], **POINTS)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "一级指标"
        verbose_name_plural = "一级指标"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="area_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Group(FrameworkPart):
    """二级指标."""

    FRAMEWORK_LOOKUP = "area__framework"
    PARENT = ("area_id", "areas__pk")
    FROM_FRAMEWORK = "areas__groups"

    area = models.ForeignKey(Area, verbose_name="一级指标", on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("编码", max_length=CODE_MAX_LENGTH, help_text="如 G2。")
    name = models.CharField("二级指标名称", max_length=100)
    description = models.TextField("说明", blank=True)
    max_points = models.DecimalField("分值", validators=[MinValueValidator(Decimal("0"))], **POINTS)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "二级指标"
        verbose_name_plural = "二级指标"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="group_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ValueType(models.TextChoices):
    COUNT = "count", "计数（整数）"
    AMOUNT = "amount", "数值（小数）"
    RATE = "rate", "比率（分子/分母）"
    BOOLEAN = "boolean", "是/否"
    DATE = "date", "日期"
    SINGLE_CHOICE = "single_choice", "单选"
    MULTIPLE_CHOICE = "multiple_choice", "多选"
    TEXT = "text", "文字说明"
    EVIDENCE = "evidence", "仅佐证材料"


class ValueState(models.TextChoices):
    """What a stored value says: a figure (a number, 0 included, or whatever the type holds; empty
    when nothing was entered yet), 不适用 (the matter does not arise for this unit, with a reason) or
    暂无数据 (the figure exists but the unit does not have it, with a reason; only where the indicator
    allows it)."""

    VALUE = "value", "填报数值"
    NOT_APPLICABLE = "not_applicable", "不适用"
    NOT_AVAILABLE = "not_available", "暂无数据"


class ProvidedPart(models.TextChoices):
    """Which figures of a provided indicator (提供数据) the 数据提供单位 enters: all of it, or one part
    of a rate (e.g. the court's 开庭审理案件数 as the denominator, the unit's own 出庭数 above it)."""

    WHOLE = "whole", "全部"
    NUMERATOR = "numerator", "分子"
    DENOMINATOR = "denominator", "分母"


class ScoringRule(models.TextChoices):
    """The scoring methods (see indicators/scoring/rules.py and domain notes §c.3)."""

    ALL_OR_NOTHING = "all_or_nothing", "达标得满分，否则不得分"
    DEDUCT_PER_EVENT = "deduct_per_event", "每发生一件扣分（封顶）"
    DEDUCT_PER_SHORTFALL = "deduct_per_shortfall", "较目标每少一个单位扣分"
    LINEAR = "linear", "按完成比例得分（可设下限）"
    INVERSE = "inverse", "低于基准得满分，超出按档扣分"
    TIERED = "tiered", "分档计分"
    JUDGEMENT = "judgement", "审核员在范围内评定（须说明理由）"


class IndicatorNature(models.TextChoices):
    """考核指标 are scored; 统计指标 are figures reports cite (件数、人数、条数), never scored or ranked."""

    ASSESSED = "assessed", "考核指标"
    STATISTICAL = "statistical", "统计指标"


class TargetOperator(models.TextChoices):
    NONE = "", "无"
    GTE = ">=", "≥"
    LTE = "<=", "≤"
    EQ = "==", "＝"
    GT = ">", "＞"
    LT = "<", "＜"


class ReportRole(models.TextChoices):
    """Where an indicator's figure goes in a report (reports.plan): seeds cite two to five headline
    figures per section, a few supporting ones, and leave the rest to the appendix table."""

    LEAD = "lead", "重点（领起段落）"
    SUPPORT = "support", "一般（正文佐证）"
    TABLE = "table", "仅列入附表"


class PreferredDirection(models.TextChoices):
    """Which way a change from last year is good. A move the other way is reported under 存在的不足
    (never under 成效); a figure with no preferred direction gets no 较上年 clause in the text."""

    UP = "up", "越高越好（下降列入不足）"
    DOWN = "down", "越低越好（上升列入不足）"
    NEUTRAL = "", "不评价升降"


class Indicator(FrameworkPart):
    """三级指标: one thing a department reports each year, with its target, points and scoring rule."""

    FROM_FRAMEWORK = "indicators"

    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.CASCADE, related_name="indicators"
    )
    group = models.ForeignKey(Group, verbose_name="二级指标", on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(
        "编码",
        max_length=CODE_MAX_LENGTH,
        help_text="跨年度保持不变，如 G2.1；公式以此引用（G2.1.num、G2.1.den、G2.1.value）。",
    )
    previous_code = models.CharField(
        "上年编码",
        max_length=100,
        blank=True,
        help_text="改名、拆分或合并时填写上年对应指标的编码；合并时用逗号分隔多个编码；留空表示与本编码相同。",
    )
    name = models.CharField("三级指标名称", max_length=200)
    nature = models.CharField(
        "指标性质",
        max_length=20,
        choices=IndicatorNature.choices,
        default=IndicatorNature.ASSESSED,
        help_text="统计指标只填报数据供报告引用：不设分值和评分规则，不计分、不排名，默认非必填。",
    )
    instructions = models.TextField("填报说明", blank=True)
    legal_basis = models.TextField("依据", blank=True)

    value_type = models.CharField("填报类型", max_length=20, choices=ValueType.choices)
    unit = models.CharField("单位", max_length=20, blank=True, help_text="如 件、次、人；比率填 %。")
    numerator_label = models.CharField("分子名称", max_length=100, blank=True)
    numerator_unit = models.CharField(
        "分子单位",
        max_length=10,
        blank=True,
        help_text="分子作为一个数字时的量词或计量单位，如 件、条、名、人次、万元。",
    )
    denominator_label = models.CharField("分母名称", max_length=100, blank=True)
    denominator_unit = models.CharField(
        "分母单位",
        max_length=10,
        blank=True,
        help_text="分母作为一个数字时的量词或计量单位，如 件、条、名、人次、万元。",
    )
    options = models.JSONField("选项", default=list, blank=True, help_text="单选、多选的选项列表。")
    formula = models.TextField(
        "派生公式",
        blank=True,
        help_text="填写后本指标的值由公式计算，不需填报，例如 G1.1a + G1.1b。",
    )

    # Required-ness is per kind of unit, beside applicability: an indicator may apply to townships
    # (they may report it) without being required of them. Only applicable indicators are asked.
    required_for_government = models.BooleanField("政府必填", default=True)
    required_for_department = models.BooleanField("政府工作部门必填", default=True)
    required_for_township = models.BooleanField("乡镇街道必填", default=True)
    allows_not_available = models.BooleanField(
        "可填“暂无数据”",
        default=False,
        help_text="统计口径尚未建立、数据尚未掌握时，允许单位填“暂无数据”并说明原因；“不适用”任何指标都可填（须说明原因）。",
    )
    applies_to_government = models.BooleanField("适用于政府", default=True)
    applies_to_department = models.BooleanField("适用于政府工作部门", default=True)
    applies_to_township = models.BooleanField("适用于乡镇街道", default=True)
    applicability_note = models.CharField(
        "适用说明", max_length=200, blank=True, help_text="如“有行政执法职权的部门”“行政复议机关”。"
    )
    is_evidence_required = models.BooleanField("须上传佐证材料", default=False)

    scale_min = models.DecimalField(
        "取值下限",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="如满意度得分的 0 分；计数、比率不必填。",
    )
    scale_max = models.DecimalField(
        "取值上限", max_digits=14, decimal_places=2, null=True, blank=True, help_text="如满意度得分的满分 100 分。"
    )
    target_operator = models.CharField(
        "目标比较", max_length=2, choices=TargetOperator.choices, blank=True, default=TargetOperator.NONE
    )
    target_value = models.DecimalField(
        "目标值", max_digits=14, decimal_places=2, null=True, blank=True, help_text="比率以百分数计，如 100 表示 100%。"
    )
    target_date = models.DateField("目标日期", null=True, blank=True, help_text="日期类指标的截止日期。")
    target_note = models.CharField("目标说明", max_length=200, blank=True)

    max_points = models.DecimalField("分值", validators=[MinValueValidator(Decimal("0"))], **POINTS)
    scoring_rule = models.CharField(
        "评分规则", max_length=30, choices=ScoringRule.choices, blank=True, help_text="统计指标不设评分规则。"
    )
    scoring_params = models.JSONField("评分参数", default=dict, blank=True)
    scoring_note = models.CharField("评分标准说明", max_length=300, blank=True)

    phrase_template = models.CharField(
        "报告表述",
        max_length=300,
        blank=True,
        help_text="如“全年办理行政复议案件{value}件”“行政机关负责人出庭应诉率{rate}%（{num}/{den}）”。",
    )
    yoy_phrase_template = models.CharField(
        "同比表述", max_length=200, blank=True, help_text="如“较上年{direction}{delta}个百分点”。"
    )
    empty_phrase = models.CharField(
        "无此类事项表述", max_length=200, blank=True, help_text="分母为 0 时的表述，如“全年无行政诉讼开庭审理案件”。"
    )
    report_role = models.CharField(
        "报告中的位置", max_length=10, choices=ReportRole.choices, default=ReportRole.SUPPORT, blank=True
    )
    shortfall_phrase = models.CharField(
        "未达标表述",
        max_length=200,
        blank=True,
        help_text="未达到目标时写入“存在的不足”，可用 {value} {rate} {num} {den} {unit} {name} {target}，"
        "如“规范性文件报备及时率为{rate}%，未达到{target}的要求”；留空则按指标名称和目标自动生成。",
    )
    zero_phrase = models.CharField(
        "零值表述",
        max_length=200,
        blank=True,
        help_text="数值为 0（比率为分子为 0）且这本身是成效时的表述，如“全年未发生行政诉讼败诉案件”；"
        "留空则数值为 0 时正文不作表述。",
    )
    preferred_direction = models.CharField(
        "升降评价", max_length=4, choices=PreferredDirection.choices, blank=True, default=PreferredDirection.NEUTRAL
    )
    yoy_swing_percent = models.DecimalField(
        "同比波动阈值（%）",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **POINTS,
        help_text="留空则使用指标体系的默认阈值。",
    )
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "三级指标"
        verbose_name_plural = "三级指标"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=~Q(target_operator="") | Q(target_value__isnull=True),
                name="indicator_target_value_needs_operator",
            ),
            # A statistical figure carries no points and no rule; a scored indicator always has a rule.
            models.CheckConstraint(
                condition=(Q(nature="assessed") & ~Q(scoring_rule=""))
                | (Q(nature="statistical") & Q(scoring_rule="") & Q(max_points=0)),
                name="indicator_statistical_unscored",
            ),
        ]
        indexes = [models.Index(fields=["framework", "previous_code"], name="indicator_previous_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        errors: dict[str, str | list[str]] = {}
        if self.group_id and self.framework_id and self.group.area.framework_id != self.framework_id:
            errors["group"] = "二级指标不属于本指标体系。"
        if self.value_type == ValueType.RATE and not (self.numerator_label and self.denominator_label):
            errors["denominator_label"] = "比率指标须填写分子和分母名称。"
        if self.value_type in (ValueType.SINGLE_CHOICE, ValueType.MULTIPLE_CHOICE) and not self.options:
            errors["options"] = "单选、多选指标须设置选项。"
        if bool(self.target_operator) != (self.target_value is not None):
            errors["target_value"] = "目标比较与目标值须同时填写或同时留空。"
        if self.is_statistical:
            if self.max_points:
                errors["max_points"] = "统计指标不计分，分值须为 0。"
            if self.scoring_rule:
                errors["scoring_rule"] = "统计指标不计分，不设评分规则。"
        elif not self.scoring_rule:
            errors["scoring_rule"] = "考核指标须选择评分规则。"
        if bool(self.target_operator) == (self.target_value is not None):
            problems = target_problems(
                value_type=self.value_type,
                operator=self.target_operator,
                value=self.target_value,
                scale_min=self.scale_min,
                scale_max=self.scale_max,
                unit=self.unit,
            )
            if problems:
                errors["target_value"] = problems
        if errors:
            raise ValidationError(errors)

    @property
    def is_statistical(self) -> bool:
        return self.nature == IndicatorNature.STATISTICAL

    @property
    def is_rate(self) -> bool:
        return self.value_type == ValueType.RATE

    @property
    def provision(self) -> "IndicatorProvision | None":
        """Who provides its figures (数据提供单位), or None: the unit reports it itself. The framework
        tree loads it with the indicators (indicators.selectors)."""
        # Read from the cache select_related left (None for most indicators) without the descriptor,
        # which raises DoesNotExist for a cached None: ~500 raised and caught per entry page.
        relation = Indicator.provision_row.related
        if relation.is_cached(self):
            return cast("IndicatorProvision | None", relation.get_cached_value(self))
        try:
            return self.provision_row
        except IndicatorProvision.DoesNotExist:
            return None

    @property
    def is_provided(self) -> bool:
        return self.provision is not None

    @property
    def is_wholly_provided(self) -> bool:
        """The unit types nothing: the whole value comes from the provider."""
        provision = self.provision
        return provision is not None and provision.part == ProvidedPart.WHOLE

    @property
    def provided_parts(self) -> tuple[str, ...]:
        """The raw-input keys the provider enters: ("value",), ("numerator", "denominator"), or one
        part of a rate; () when the unit reports the indicator itself."""
        provision = self.provision
        if provision is None:
            return ()
        if provision.part != ProvidedPart.WHOLE:
            return (provision.part,)
        return ("numerator", "denominator") if self.is_rate else ("value",)

    def is_required_for(self, kind: str) -> bool:
        """Whether a unit of this kind must fill it before submitting (only asked where it applies)."""
        return self.applies_to(kind) and bool(getattr(self, REQUIRED_FIELDS.get(kind, ""), False))

    @property
    def required_display(self) -> str:
        kinds = [label for kind, label in Department.Kind.choices if self.is_required_for(kind)]
        return "、".join(kinds) or "选填"

    @property
    def is_derived(self) -> bool:
        return bool(self.formula.strip())

    @property
    def predecessor_codes(self) -> list[str]:
        """Codes of last year's indicator(s) this one continues: `previous_code` if set, else its own code."""
        codes = [code.strip() for code in self.previous_code.replace("，", ",").split(",") if code.strip()]
        return codes or [self.code]

    @property
    def target_display(self) -> str:
        """≥100%, ≤0件, 2026年3月1日前; the note when there is one (as a page shows it)."""
        from .presenting import Place, target_text  # presenting reads this module's choices

        return target_text(self, Place.ENTRY)

    @property
    def applicability_display(self) -> str:
        kinds = [label for kind, label in Department.Kind.choices if self.applies_to(kind)]
        return "、".join(kinds) or "不适用"

    def applies_to(self, kind: str) -> bool:
        # Asked for every indicator of the tree on each entry page and autosave: no dict per call.
        name = APPLICABILITY_FIELDS.get(kind)
        return bool(getattr(self, name)) if name is not None else False


APPLICABILITY_FIELDS: dict[str, str] = {
    Department.Kind.GOVERNMENT: "applies_to_government",
    Department.Kind.WORKING_DEPARTMENT: "applies_to_department",
    Department.Kind.TOWNSHIP: "applies_to_township",
}
REQUIRED_FIELDS: dict[str, str] = {
    Department.Kind.GOVERNMENT: "required_for_government",
    Department.Kind.WORKING_DEPARTMENT: "required_for_department",
    Department.Kind.TOWNSHIP: "required_for_township",
}


class AssessmentPoint(models.Model):
    """四级 考核要点: what a reviewer checks under one indicator (optional, descriptive)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="三级指标", on_delete=models.CASCADE, related_name="assessment_points"
    )
    code = models.CharField("编码", max_length=CODE_MAX_LENGTH)
    text = models.TextField("考核要点")
    points = models.DecimalField("参考分值", null=True, blank=True, **POINTS)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核要点"
        verbose_name_plural = "考核要点"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="assessment_point_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"


class ValidationRule(models.Model):
    """A check over reported values, e.g. `G2.1.num <= G2.1.den` (see indicators/expressions.py)."""

    class Severity(models.TextChoices):
        ERROR = "error", "错误（阻止提交）"
        WARNING = "warning", "提醒（须填写说明）"

    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.CASCADE, related_name="validation_rules"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="所属指标",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="validation_rules",
        help_text="提示显示在哪个指标旁；跨指标的规则可留空。",
    )
    code = models.CharField("规则编码", max_length=CODE_MAX_LENGTH)
    expression = models.TextField("校验公式", help_text="值为“真”表示通过，例如 G2.1.num <= G2.1.den。")
    message = models.CharField("不通过时的提示", max_length=300)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.ERROR)
    is_relation = models.BooleanField(
        "数据关系",
        default=False,
        help_text="规则说的是几项数据之间必然成立的关系（如 持证执法人员数 ≤ 执法人员数）：违反时不能提交，"
        "报告也不据这些相互矛盾的数据成句（见 indicators/relations.py）。",
    )
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="validation_rule_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


class GradeThreshold(models.Model):
    """Lowest total score for a grade. An empty department kind is the default for all kinds."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        GOOD = "good", "良好"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.CASCADE, related_name="grade_thresholds"
    )
    department_kind = models.CharField(
        "单位类型", max_length=20, choices=Department.Kind.choices, blank=True, help_text="留空表示适用于全部单位类型。"
    )
    grade = models.CharField("等次", max_length=20, choices=Grade.choices)
    min_score = models.DecimalField("最低分", **POINTS)

    class Meta:
        verbose_name = "等次线"
        verbose_name_plural = "等次线"
        ordering = ["department_kind", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "department_kind", "grade"], name="grade_threshold_unique_grade"
            ),
            # 不合格 is what is left below 合格; it has no threshold of its own.
            models.CheckConstraint(condition=~Q(grade="fail"), name="grade_threshold_not_fail"),
        ]

    def __str__(self) -> str:
        kind = self.get_department_kind_display() or "全部单位"
        return f"{kind} {self.get_grade_display()} ≥{self.min_score}"


class AdjustmentItem(models.Model):
    """An entry of the 加分 (bonus), 扣分 (deduction) or 一票否决 (veto) list of a framework."""

    class Kind(models.TextChoices):
        BONUS = "bonus", "加分项"
        DEDUCTION = "deduction", "扣分项"
        VETO = "veto", "一票否决"

    framework = models.ForeignKey(
        IndicatorFramework, verbose_name="指标体系", on_delete=models.CASCADE, related_name="adjustment_items"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    code = models.CharField("编码", max_length=CODE_MAX_LENGTH)
    name = models.CharField("情形", max_length=300)
    points = models.DecimalField(
        "每次分值", default=Decimal("0"), **POINTS, help_text="加分项为加分，扣分项为每次扣分，一票否决填 0。"
    )
    max_points = models.DecimalField("本项上限", null=True, blank=True, **POINTS)
    legal_basis = models.TextField("依据", blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        verbose_name = "加减分及否决项"
        verbose_name_plural = "加减分及否决项"
        ordering = ["kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="adjustment_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorProvision(models.Model):
    """数据来源: an indicator (or one part of a rate) whose figures a 数据提供单位 enters for every
    assessed unit in its scope — the 中级人民法院 for 行政诉讼, the 信访局 for 信访. Units see the
    figure read-only. Kept beside the framework tree, not in it: a published edition's tree is locked
    (tree_lock), and the source of a figure may be settled after units started reporting it (their
    own figures are then kept for comparison, assessments.ProvidedValue)."""

    indicator = models.OneToOneField(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="provision_row"
    )
    # Exactly one of the two: a named unit (市中级人民法院 for every unit of the city), or a kind of
    # unit resolved per assessed unit (each unit's own 区县人民法院, the city's where its county has none).
    provider = models.ForeignKey(
        Department,
        verbose_name="数据提供单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provisions",
        help_text="指定一个单位为其范围内各单位提供；或留空并选择“按机构类别提供”。",
    )
    provider_agency = models.CharField(
        "按机构类别提供",
        max_length=30,
        choices=Department.Agency.choices,
        blank=True,
        db_default="",
        help_text="各单位的数据由其所在政府（没有时上级政府）下属的该类机构提供，如各区县人民法院。",
    )
    part = models.CharField(
        "提供部分",
        max_length=20,
        choices=ProvidedPart.choices,
        default=ProvidedPart.WHOLE,
        help_text="比率指标可只提供分子或分母，另一项由各单位自行填写。",
    )
    difference_percent = models.DecimalField(
        "差异提示阈值（%）",
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0"))],
        max_digits=6,
        decimal_places=2,
        help_text="单位此前自报的数与提供的数相差超过此比例时，在审核页和报告体检中提示。",
    )

    class Meta:
        verbose_name = "指标数据来源"
        verbose_name_plural = "指标数据来源"
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(provider__isnull=False) & Q(provider_agency=""))
                | (Q(provider__isnull=True) & ~Q(provider_agency="")),
                name="provision_named_unit_or_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} 由{self.provider_label}提供"

    def clean(self) -> None:
        if self.part != ProvidedPart.WHOLE and self.indicator_id and not self.indicator.is_rate:
            raise ValidationError({"part": "只有比率指标可以只提供分子或分母。"})
        if (self.provider_id is None) == (not self.provider_agency):
            raise ValidationError({"provider": "请指定数据提供单位或机构类别（二者选一）。"})

    @property
    def is_by_agency(self) -> bool:
        """Provided by each unit's own agency of a kind (resolved per unit), not by a named unit."""
        return self.provider_id is None

    @property
    def provider_label(self) -> str:
        """The named unit, or the kind (人民法院) where each unit's own provides it."""
        if self.provider is not None:
            return self.provider.display_name
        return self.get_provider_agency_display()

    def is_provided_by(self, department: Department) -> bool:
        """Whether the department is a provider of this indicator anywhere (which units it provides
        for is the grid's business: assessments.selectors.provided)."""
        if self.provider_id is not None:
            return self.provider_id == department.pk
        return bool(department.agency) and department.agency == self.provider_agency
