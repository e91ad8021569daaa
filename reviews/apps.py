from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"
    verbose_name = "审核评分"

    def ready(self):
        from assessments.services.provided import DISPUTE_LISTENERS, PROVIDED_VALUE_LISTENERS
        from assessments.services.workflow import RETURN_MOVE_LISTENERS

        from .services.dispute_notices import dispute_notify
        from .services.provided_scores import score_sheets_rescore_later
        from .services.return_moves import score_sheet_follow_move

        if score_sheet_follow_move not in RETURN_MOVE_LISTENERS:
            RETURN_MOVE_LISTENERS.append(score_sheet_follow_move)
        if score_sheets_rescore_later not in PROVIDED_VALUE_LISTENERS:
            PROVIDED_VALUE_LISTENERS.append(score_sheets_rescore_later)
        if dispute_notify not in DISPUTE_LISTENERS:
            DISPUTE_LISTENERS.append(dispute_notify)
