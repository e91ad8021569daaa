from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "单位与用户"

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)
