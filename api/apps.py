from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "数据接口"

    def ready(self) -> None:
        from . import schema  # noqa: F401  # registers the token scheme with drf-spectacular
