from django.contrib import admin

from .model_admin import ReadOnlyModelAdmin
from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyModelAdmin):
    """Read only: no one adds, changes or deletes audit events through the application."""

    list_display = ("created_at", "actor_username", "role", "action", "object_type", "object_id", "status", "ip")
    list_filter = ("action", "role")
    search_fields = ("actor_username", "object_type", "object_id", "path")
    date_hierarchy = "created_at"
