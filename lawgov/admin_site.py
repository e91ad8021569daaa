"""系统管理 (the Django admin) in Chinese and in the order the domain reads."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class LawgovAdminSite(admin.AdminSite):
    site_header = "lawgov 法治政府建设考核系统 · 系统管理"
    site_title = "lawgov 系统管理"
    index_title = "系统管理"

    def get_app_list(self, request, app_label=None):
        """Models in the order their app defines them, not by name: Chinese names sort by code point,
        which put 三级指标 before 二级指标 (一 U+4E00, 三 U+4E09, 二 U+4E8C)."""
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            defined = [model.__name__ for model in apps.get_app_config(app["app_label"]).get_models()]
            app["models"].sort(key=lambda entry: defined.index(entry["object_name"]))
        return app_list


class LawgovAdminConfig(AdminConfig):
    default_site = "lawgov.admin_site.LawgovAdminSite"

    def ready(self):
        super().ready()
        # django-axes ships no Chinese: its model and field names come from locale/ (LOCALE_PATHS);
        # the app's own name is not translatable, so it is named here.
        apps.get_app_config("axes").verbose_name = "登录限制"
