from django.apps import AppConfig


class CongressConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "congress"
    verbose_name = "人大监督"
