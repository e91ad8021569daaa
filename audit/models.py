"""The application-wide audit log (审计日志): who did or saw what, when, from where.

Domain changes keep their own audit tables (assessments.ValueChange and ReturnTransition,
reviews.ReviewAuditEntry); this table holds what those do not: cross-department reads by reviewers
and congress staff, refused access, and state changes of apps without an audit of their own.

Rows are append-only (ASVS 5.0 16.4.2): the model, its queryset and the admin refuse updates and
deletes, and on PostgreSQL a trigger refuses UPDATE and DELETE from any client, raw SQL included.
The actor and department are kept as plain ids (no database foreign key), so deleting a user or a
unit never has to touch (or cascade into) the log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format


class AuditEventImmutable(Exception):
    """An audit event was about to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditEventImmutable("审计日志不可修改。")

    def delete(self):
        raise AuditEventImmutable("审计日志不可删除。")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", "跨单位查阅"
        DENIED = "denied", "拒绝访问"
        CHANGE = "change", "修改"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=20, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    path = models.CharField("地址", max_length=400, blank=True)
    status = models.PositiveSmallIntegerField("响应状态", null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"]), models.Index(fields=["actor", "created_at"])]

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")
        return f"{when} {self.actor_username} {self.get_action_display()} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutable("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable("审计日志不可删除。")
