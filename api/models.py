"""The systems that may pull non-public figures through the API (数据接口令牌).

A token belongs to one outside system (a provincial platform), sees one unit subtree, and can be
revoked. Only a SHA-256 digest of the key is stored: the key is shown once, when it is made
(api.services.api_token_create), and cannot be read back from the database, a backup or the admin.
The keys are 256 random bits, so an unsalted digest is enough (no dictionary to try).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Department


class ApiToken(models.Model):
    name = models.CharField("系统名称", max_length=100, help_text="使用此令牌的外部系统，如“省法治政府建设数据平台”。")
    scope = models.ForeignKey(
        Department,
        verbose_name="单位范围",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="令牌只能读取此单位及其全部下级单位的数据。",
    )
    key_prefix = models.CharField("令牌前缀", max_length=16, help_text="令牌开头几位，用于辨认，不足以使用。")
    key_digest = models.CharField("令牌摘要", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="吊销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.CharField("吊销理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "数据接口令牌"
        verbose_name_plural = "数据接口令牌"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="api_token_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.key_prefix}…）"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
