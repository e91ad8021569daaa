from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Department(models.Model):
    """A unit that reports (单位): a government, one of its working departments, or a township.

    The tree follows the administrative hierarchy: 市政府 → 市直部门; 市政府 → 区县政府 →
    区县部门 / 乡镇人民政府 / 街道办事处. The kind decides which indicators apply to it.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "政府"
        WORKING_DEPARTMENT = "department", "政府工作部门"
        TOWNSHIP = "township", "乡镇街道"

    class Agency(models.TextChoices):
        """What a unit is among those that supply others' figures (数据提供单位): an indicator may be
        provided by "the unit's 人民法院" rather than a named one (indicators.IndicatorProvision), and
        each assessed unit's is found up the tree (accounts.selectors.AgencyDirectory). A fixed list:
        each kind is one the assessment rules name, and a new one comes with the rule that needs it."""

        COURT = "court", "人民法院"
        REVIEW_BODY = "review_body", "行政复议机构"
        PETITION = "petition", "信访工作机构"
        GOVERNMENT_SERVICE = "government_service", "政务服务管理机构"
        ASSESSMENT_OFFICE = "assessment_office", "考核办"

    class Level(models.TextChoices):
        CITY = "city", "市级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡级"

    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField(
        "单位编码",
        max_length=32,
        unique=True,
        help_text="全局唯一，导入导出和统计以此识别单位。",
    )
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices)
    level = models.CharField("行政层级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    # A 数据提供单位 such as the 中级人民法院 supplies figures for others but files no return itself.
    is_assessed = models.BooleanField(
        "参加考核", default=True, db_default=True, help_text="取消勾选的单位（如人民法院）不开启年度填报，只提供数据。"
    )
    agency = models.CharField(
        "机构类别",
        max_length=30,
        choices=Agency.choices,
        blank=True,
        db_default="",
        help_text="按类别提供数据时（如“本级人民法院”），各单位的数据由其所在政府或上级政府下属的该类机构提供。",
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="department_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def clean(self):
        if self.parent_id is None:
            return
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "上级单位不能是本单位或其下级单位。"})
            ancestor = ancestor.parent
        if self.kind != self.Kind.GOVERNMENT and self.parent.kind != self.Kind.GOVERNMENT:
            raise ValidationError({"parent": "政府工作部门和乡镇街道的上级单位必须是政府。"})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **extra_fields):
        if not username:
            raise ValueError("用户名不能为空")
        user = self.model(username=self.model.normalize_username(username), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username, password=None, **extra_fields):
        extra_fields["role"] = User.Role.ADMIN
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The role decides what they may do; the department what they see."""

    class Role(models.TextChoices):
        DEPARTMENT_STAFF = "staff", "填报员"
        REVIEWER = "reviewer", "审核员"
        CONGRESS = "congress", "人大工作人员"
        ADMIN = "admin", "系统管理员"
        PROVIDER = "provider", "数据提供单位"

    username = models.CharField(
        "用户名",
        max_length=150,
        unique=True,
        validators=[UnicodeUsernameValidator()],
        error_messages={"unique": "该用户名已被使用。"},
    )
    full_name = models.CharField("姓名", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="填报员和数据提供单位用户必须指定所在单位；审核员通常为司法局。",
    )
    review_scope = models.ForeignKey(
        Department,
        verbose_name="审核范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="审核员可审核此单位及其全部下级单位；留空表示全部单位。",
    )
    is_active = models.BooleanField("启用", default=True)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="staff") | Q(department__isnull=False),
                name="staff_user_has_department",
            ),
            models.CheckConstraint(
                condition=~Q(role="provider") | Q(department__isnull=False),
                name="provider_user_has_department",
            ),
            models.CheckConstraint(
                condition=Q(role="reviewer") | Q(review_scope__isnull=True),
                name="only_reviewers_have_review_scope",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        if self.role == self.Role.DEPARTMENT_STAFF and self.department_id is None:
            raise ValidationError({"department": "填报员必须指定所在单位。"})
        if self.role == self.Role.PROVIDER and self.department_id is None:
            raise ValidationError({"department": "数据提供单位用户必须指定所在单位。"})
        if self.role != self.Role.REVIEWER and self.review_scope_id is not None:
            raise ValidationError({"review_scope": "只有审核员可以设置审核范围。"})

    # Admin-site access follows the role, so it cannot drift from it.
    @property
    def is_staff(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_department_staff(self) -> bool:
        return self.role == self.Role.DEPARTMENT_STAFF

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER

    @property
    def is_congress_staff(self) -> bool:
        return self.role == self.Role.CONGRESS

    @property
    def is_provider(self) -> bool:
        """A user of a 数据提供单位: enters the figures its unit provides for every unit in scope."""
        return self.role == self.Role.PROVIDER

    @property
    def is_system_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    def has_perm(self, perm, obj=None):
        if self.is_active and self.is_system_admin:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.is_system_admin:
            return True
        return super().has_module_perms(app_label)
