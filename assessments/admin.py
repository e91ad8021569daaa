from django.contrib import admin

from audit.model_admin import ReadOnlyModelAdmin

from .models import (
    AnnualReturn,
    Evidence,
    IndicatorValue,
    NarrativeSection,
    ProvidedValue,
    ProvidedValueDispute,
    ProviderSubmission,
    ReturnTransition,
    ValueChange,
)


class ReturnTransitionInline(admin.TabularInline):
    model = ReturnTransition
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "action", "user", "comment")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualReturn)
class AnnualReturnAdmin(ReadOnlyModelAdmin):
    # Status, values and the audit trail change only through the services (and so the workflow);
    # the admin shows them for support but does not edit them.
    list_display = ("department", "year", "status", "deadline", "extended_until", "is_late", "self_score")
    list_filter = ("year", "status", "is_late", "department__kind")
    search_fields = ("department__name", "department__code")
    list_select_related = ("department",)
    inlines = [ReturnTransitionInline]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyModelAdmin):
    list_display = ("changed_at", "annual_return", "indicator", "narrative_kind", "field", "old_value", "new_value")
    list_filter = ("source",)
    list_select_related = ("annual_return__department", "indicator")


for model in (IndicatorValue, NarrativeSection, Evidence):
    admin.site.register(model, ReadOnlyModelAdmin)


admin.site.register(ProvidedValue, ReadOnlyModelAdmin)
admin.site.register(ProvidedValueDispute, ReadOnlyModelAdmin)
admin.site.register(ProviderSubmission, ReadOnlyModelAdmin)
