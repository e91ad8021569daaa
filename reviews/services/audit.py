"""The audit row of review and scoring. Callers write it inside the transaction of the change."""

from collections.abc import Callable, Mapping
from decimal import Decimal

from accounts.models import Department, User

from ..models import ReviewAuditEntry

# What apps above do when a review, score, appeal, adjustment or publication change is recorded (every
# such change writes its entry here): `listener(entry)`, inside the change's transaction. An app
# registers itself in its AppConfig.ready (reports: the results notice and the units' reports that
# print the published scores are rendered again), so reviews never imports what builds on it.
REVIEW_CHANGE_LISTENERS: list[Callable[[ReviewAuditEntry], None]] = []


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
    entry = ReviewAuditEntry.objects.create(
        action=action,
        subject=subject[:200],
        year=year,
        department=department,
        user=user,
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason,
    )
    for listener in REVIEW_CHANGE_LISTENERS:
        listener(entry)
    return entry
