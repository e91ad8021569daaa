"""The audit row of review and scoring. Callers write it inside the transaction of the change."""

from collections.abc import Mapping
from decimal import Decimal

from accounts.models import Department, User

from ..models import ReviewAuditEntry


def _plain(value: object) -> object:
    """A JSON-ready copy: decimals as exact text, containers walked, anything else as text."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def review_audit_entry_record(
    *,
    action: str,
    subject: str,
    year: int,
    user: User | None,
    department: Department | None = None,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    reason: str = "",
) -> ReviewAuditEntry:
    return ReviewAuditEntry.objects.create(
        action=action,
        subject=subject[:200],
        year=year,
        department=department,
        user=user,
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason,
    )
