"""Admin views for repairs by system administrators; congress staff work in the app's own pages."""

from django.contrib import admin

from audit.model_admin import AuditedAdminMixin

from .models import Assignment, CongressYear, DeliberationOpinion, Recommendation, Survey, SurveyActivity


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ("department",)
    readonly_fields = ("answered_at", "answered_by", "version")


@admin.register(CongressYear)
class CongressYearAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("year", "title", "report_finalised_at")
    readonly_fields = ("report_finalised_at", "report_finalised_by")


@admin.register(Survey)
class SurveyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "congress_year", "started_on", "ended_on")
    list_select_related = ("congress_year",)


@admin.register(DeliberationOpinion)
class DeliberationOpinionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "kind", "title", "congress_year", "reviewed_at")
    list_filter = ("kind", "congress_year")
    search_fields = ("number", "title")
    list_select_related = ("congress_year",)
    inlines = [AssignmentInline]
    readonly_fields = ("reviewed_at", "reviewed_by")


@admin.register(SurveyActivity)
class SurveyActivityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("held_on", "kind", "subject", "congress_year")
    list_filter = ("kind", "congress_year")
    filter_horizontal = ("departments",)


@admin.register(Recommendation)
class RecommendationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("position", "title", "congress_year")
    list_filter = ("congress_year",)
