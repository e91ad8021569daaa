"""The Django admin's changes in the audit log. Mixed into a ModelAdmin, every add, change and
delete a system administrator makes there writes one AuditEvent with the fields before and after,
inside the admin's own transaction (Django wraps the add, change and delete views in one; the
bulk delete action and the password form are wrapped here). Password hashes never leave the
user row: the event says only that the password changed."""

from django.contrib import admin
from django.db import models, transaction

from .services import DELETED, SECRET_FIELDS, audit_record, field_values

_SNAPSHOTS = "_audit_admin_snapshots"


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label, str(obj.pk)


def _secrets(obj: models.Model) -> dict:
    return {name: getattr(obj, name, None) for name in SECRET_FIELDS}


class AuditedAdminMixin:
    def audit_department(self, obj: models.Model):
        """The unit an object belongs to, for the event (its own id for a unit)."""
        return getattr(obj, "department_id", None)

    def _audit(self, request, obj, *, before: dict | None, after: dict) -> None:
        audit_record(
            action="change",
            user=request.user,
            obj=obj,
            department=self.audit_department(obj),
            before=before,
            after=after,
            request=request,
        )

    def get_object(self, request, object_id, from_field=None):
        # Every admin page that changes one object reads it here first: keep its values as they were.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            snapshots = getattr(request, _SNAPSHOTS, None) or {}
            snapshots[_key(obj)] = (field_values(obj), _secrets(obj))
            setattr(request, _SNAPSHOTS, snapshots)
        return obj

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, before=None, after=field_values(obj))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        before, secrets = (getattr(request, _SNAPSHOTS, None) or {}).get(_key(obj), (None, None))
        after = field_values(obj)
        if before is not None:
            changed = [name for name in after if after[name] != before.get(name)]
            before, after = {name: before.get(name) for name in changed}, {name: after[name] for name in changed}
        if secrets is not None and secrets != _secrets(obj):
            after = {**after, **{name: "已修改" for name in SECRET_FIELDS if secrets[name] != getattr(obj, name)}}
        if message:  # Django's own list of what changed, inline rows included
            after["admin_changes"] = message
        if before is not None and not after:
            return entry  # saved without a change: nothing to record
        self._audit(request, obj, before=before, after=after)
        return entry

    def delete_model(self, request, obj):
        self._audit(request, obj, before=field_values(obj), after=DELETED)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action runs outside a transaction of Django's own.
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, obj, before=field_values(obj), after=DELETED)
            super().delete_queryset(request, queryset)


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Records that change only through the application's services (which check, explain and audit
    each change): the admin lists and shows them for support, and adds, changes or deletes none."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
