from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "年度填报与审核"

    def ready(self):
        from indicators.targets import TARGET_WARNING_SOURCES

        from .selectors.target_history import targets_unmet_last_year

        if targets_unmet_last_year not in TARGET_WARNING_SOURCES:
            TARGET_WARNING_SOURCES.append(targets_unmet_last_year)
