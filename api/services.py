"""Making and revoking API tokens; both audited in the same transaction."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Department, User
from audit.models import AuditEvent
from audit.services import audit_record

from .models import ApiToken

KEY_PREFIX = "lgv_"
PREFIX_LENGTH = len(KEY_PREFIX) + 6


class ApiTokenError(ValueError):
    """A token could not be made or revoked; the message is for the person who asked."""


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def _public_fields(token: ApiToken) -> dict:
    """What the audit log keeps of a token: never its digest."""
    return {
        "name": token.name,
        "scope_id": token.scope_id,
        "key_prefix": token.key_prefix,
        "revoked_at": token.revoked_at,
        "revocation_reason": token.revocation_reason,
    }


@transaction.atomic
def api_token_create(*, name: str, scope: Department, user: User | None) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ApiTokenError("请填写使用令牌的系统名称。")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, scope=scope, key_prefix=key[:PREFIX_LENGTH], key_digest=key_digest(key), created_by=user
    )
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        obj=token,
        department=scope,
        before=None,
        after=_public_fields(token),
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, reason: str, user: User | None) -> ApiToken:
    reason = reason.strip()
    if not reason:
        raise ApiTokenError("请填写吊销理由。")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.is_revoked:
        raise ApiTokenError("该令牌已吊销。")
    before = _public_fields(token)
    token.revoked_at = timezone.now()
    token.revoked_by = user
    token.revocation_reason = reason
    token.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        obj=token,
        department=token.scope_id,
        before=before,
        after=_public_fields(token),
    )
    return token


def api_token_read_record(*, token: ApiToken, request: HttpRequest) -> None:
    """One audit event per call that read non-public figures: which system, when, what it asked."""
    audit_record(action=AuditEvent.Action.READ, user=None, obj=token, department=token.scope_id, request=request)
