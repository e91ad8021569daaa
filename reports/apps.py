from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报告生成"

    def ready(self) -> None:
        from . import checks, worker  # noqa: F401  (registers the system check and the worker start-up check)
