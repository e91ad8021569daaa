from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from import_export.admin import ImportExportModelAdmin

from audit.model_admin import AuditedAdminMixin
from spreadsheets.admin_import import SafeImportMixin

from .models import Department, User
from .resources import DepartmentResource


# types-django-import-export declares ImportExportModelAdmin's `model` and `change_list_template` unlike
# django-stubs' ModelAdmin, so any subclass of it is reported as inconsistent (misc).
@admin.register(Department)
class DepartmentAdmin(AuditedAdminMixin, SafeImportMixin, ImportExportModelAdmin):  # type: ignore[misc]
    resource_classes = [DepartmentResource]
    list_display = ("name", "code", "kind", "level", "agency", "parent", "sort_order", "is_active")
    list_filter = ("kind", "level", "is_active")
    search_fields = ("name", "code", "short_name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    ordering = ("sort_order", "code")

    def audit_department(self, obj):
        return obj.pk


class LawgovUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "full_name", "role", "department", "review_scope")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    add_form = LawgovUserCreationForm
    list_display = ("username", "full_name", "role", "department", "review_scope", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "department__name")
    list_select_related = ("department", "review_scope")
    autocomplete_fields = ("department", "review_scope")
    ordering = ("username",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("full_name", "email", "phone")}),
        ("角色与范围", {"fields": ("role", "department", "review_scope", "is_active")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "department",
                    "review_scope",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def user_change_password(self, request, id, form_url=""):
        # Django saves the new password and logs it in two statements outside a transaction.
        with transaction.atomic():
            return super().user_change_password(request, id, form_url)
