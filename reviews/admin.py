"""Admin views of review data: for looking things up. Changes go through the review pages and
services (reasons, four eyes, audit), so the score tables and the audit are read only here."""

from django.contrib import admin

from audit.model_admin import ReadOnlyModelAdmin

from .models import Adjustment, Appeal, Notification, Publication, ReviewAuditEntry, ReviewScore, ScoreSheet


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyModelAdmin):
    list_display = ("department", "year", "total", "grade", "rank", "rank_in_kind", "is_vetoed", "is_final")
    list_filter = ("year", "department_kind", "grade", "is_final")
    search_fields = ("department__name", "department__code")


@admin.register(ReviewScore)
class ReviewScoreAdmin(ReadOnlyModelAdmin):
    list_display = ("annual_return", "indicator", "automatic_points", "points", "final_points", "reviewer")
    list_filter = ("annual_return__year", "is_judgement")
    search_fields = ("annual_return__department__name", "indicator__code")
    list_select_related = ("annual_return__department", "indicator", "reviewer")


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyModelAdmin):
    list_display = (
        "department",
        "year",
        "item",
        "kind",
        "points",
        "final_points",
        "status",
        "entered_by",
        "approved_by",
    )
    list_filter = ("year", "kind", "status")
    list_select_related = ("department", "item", "entered_by", "approved_by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyModelAdmin):
    list_display = ("score_sheet", "status", "points_before", "points_after", "submitted_by", "decided_by")
    list_filter = ("status", "score_sheet__year")


@admin.register(Publication)
class PublicationAdmin(ReadOnlyModelAdmin):
    list_display = ("year", "status", "appeal_deadline", "is_ranking_public", "published_by", "finalised_at")


@admin.register(ReviewAuditEntry)
class ReviewAuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "year", "department", "action", "subject", "user")
    list_filter = ("year", "action")
    search_fields = ("subject", "reason")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
