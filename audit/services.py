"""Writing the audit log. Call `audit_record` inside the transaction of the change it records, so
the change and its event commit (or roll back) together."""

import json
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.http import HttpRequest

from accounts.models import Department, User

from .models import AuditEvent

# The `after` of an event for a deleted row.
DELETED = {"deleted": True}
# Columns never written to the log (an event says only that they changed).
SECRET_FIELDS = ("password",)
# What apps above do when a change is recorded, called with the new event inside the change's
# transaction: `listener(event)`. An app registers itself in its AppConfig.ready (reports: a changed
# survey or framework schedules the reports it feeds to be rendered again), so the apps whose changes
# are audited never import what builds on them. A listener that raises refuses the change.
AUDIT_LISTENERS: list[Callable[[AuditEvent], None]] = []


def field_values(obj: models.Model) -> dict:
    """An object's own columns (foreign keys as ids), secrets left out: the before/after of an event."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if field.attname not in SECRET_FIELDS
    }


def _client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a proxy overwrites it, and the
    # deployment sets the trusted header for axes the same way (see README, AXES_IPWARE_*).
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class _PlainEncoder(DjangoJSONEncoder):
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:  # a stored file's name, a lazy string, …
            return str(o)


def _plain(values: dict | None) -> dict | None:
    """Dates, decimals and the like as the strings JSON can hold, so callers pass field values as is."""
    return None if values is None else json.loads(json.dumps(values, cls=_PlainEncoder))


def audit_record(
    *,
    action: str,
    user: User | AnonymousUser | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    department: Department | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    request: HttpRequest | None = None,
    status: int | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    known_user = user if isinstance(user, User) else None
    department_id = department.pk if isinstance(department, Department) else department
    event = AuditEvent.objects.create(
        actor_id=known_user.pk if known_user else None,
        actor_username=known_user.get_username() if known_user else "",
        role=known_user.role if known_user else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        department_id=department_id,
        before=_plain(before),
        after=_plain(after),
        ip=_client_ip(request),
        path=request.get_full_path()[:400] if request is not None else "",
        status=status,
    )
    for listener in AUDIT_LISTENERS:
        listener(event)
    return event


def is_cross_department_reader(user: User) -> bool:
    """Reviewers and congress staff read other units' data as part of their work; each such read
    is recorded (ASVS 5.0 16.3.2 at L3, adopted)."""
    return bool(user.is_authenticated and (user.is_reviewer or user.is_congress_staff))


def audit_read(request: HttpRequest, obj: models.Model, department: Department | int | None) -> AuditEvent | None:
    """One event per page or file of another unit's return, evidence or score read by a reviewer or
    congress staff. Reads of one's own unit are not recorded. No content is logged, only the ids."""
    user = request.user
    if not isinstance(user, User):
        return None
    department_id = department.pk if isinstance(department, Department) else department
    # A jurisdiction-wide object (no unit: a results notice, a batch of every unit's reports) is
    # another unit's data for everyone, congress staff without a unit of their own included.
    if not is_cross_department_reader(user) or (department_id is not None and department_id == user.department_id):
        return None
    return audit_record(action=AuditEvent.Action.READ, user=user, obj=obj, department=department_id, request=request)
