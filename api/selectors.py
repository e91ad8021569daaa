"""Reads of the API's own data: which token a key names, and what a token may see."""

from accounts.selectors import department_subtree_ids

from .models import ApiToken
from .services import key_digest


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token a key names; None for an unknown or revoked key."""
    return ApiToken.objects.select_related("scope").filter(key_digest=key_digest(key), revoked_at__isnull=True).first()


def token_department_ids(token: ApiToken) -> set[int]:
    """The units a token may read: its scope and everything below it."""
    return department_subtree_ids(root_id=token.scope_id)
