"""数据接口令牌 in 系统管理: made here (the key is shown once, on the page after saving), revoked by
giving a reason; never deleted, so the audit log's events keep naming a row. The services audit."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from .models import ApiToken
from .services import ApiTokenError, api_token_create, api_token_revoke


class ApiTokenAddForm(forms.ModelForm[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ("name", "scope")


class ApiTokenRevokeForm(forms.ModelForm[ApiToken]):
    class Meta:
        model = ApiToken
        fields = ("revocation_reason",)
        help_texts = {"revocation_reason": "填写理由并保存即吊销此令牌，吊销后不能恢复。"}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "key_prefix", "scope", "created_at", "created_by", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "key_prefix", "scope__name", "scope__code")
    list_select_related = ("scope", "created_by")
    autocomplete_fields = ("scope",)
    readonly_fields = (
        "name",
        "scope",
        "key_prefix",
        "created_by",
        "created_at",
        "revoked_at",
        "revoked_by",
    )

    def get_form(self, request: HttpRequest, obj: ApiToken | None = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = ApiTokenAddForm if obj is None else ApiTokenRevokeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ()
        if obj.is_revoked:
            return (*self.readonly_fields, "revocation_reason")
        return self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ("name", "scope")
        return (*self.readonly_fields, "revocation_reason")

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        user = request.user if request.user.is_authenticated else None
        try:
            if not change:
                issued = api_token_create(name=obj.name, scope=obj.scope, user=user)
                obj.pk = issued.token.pk
                messages.warning(
                    request,
                    f"令牌已创建，请立即复制并交给对方系统（此后无法再次查看）：{issued.key}",
                )
            elif "revocation_reason" in form.changed_data and obj.revocation_reason.strip():
                api_token_revoke(token=obj, reason=obj.revocation_reason, user=user)
                messages.success(request, "令牌已吊销。")
        except ApiTokenError as error:
            messages.error(request, str(error))
