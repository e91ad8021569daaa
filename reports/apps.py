from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "报告生成"

    def ready(self) -> None:
        from assessments.services.return_data import RETURN_DATA_LISTENERS
        from assessments.services.workflow import RETURN_MOVE_LISTENERS
        from audit.services import AUDIT_LISTENERS
        from reviews.services.audit import REVIEW_CHANGE_LISTENERS

        from . import checks, worker  # noqa: F401  (registers the system check and the worker start-up check)
        from .readiness import (
            refresh_after_audited_change,
            refresh_after_return_data,
            refresh_after_return_move,
            refresh_after_review_change,
        )

        # Reports ready on click: data a report reads changed, render it again (reports/readiness.py).
        if refresh_after_return_move not in RETURN_MOVE_LISTENERS:
            RETURN_MOVE_LISTENERS.append(refresh_after_return_move)
        if refresh_after_audited_change not in AUDIT_LISTENERS:
            AUDIT_LISTENERS.append(refresh_after_audited_change)
        if refresh_after_return_data not in RETURN_DATA_LISTENERS:
            RETURN_DATA_LISTENERS.append(refresh_after_return_data)
        if refresh_after_review_change not in REVIEW_CHANGE_LISTENERS:
            REVIEW_CHANGE_LISTENERS.append(refresh_after_review_change)
