"""Tokens made through the real service, and a year with approved returns to read."""

from accounts.models import Department
from api.services import IssuedToken, api_token_create, api_token_revoke


def token_for(scope: Department, *, name: str = "省数据平台", revoked: bool = False) -> IssuedToken:
    issued = api_token_create(name=name, scope=scope, user=None)
    if revoked:
        api_token_revoke(token=issued.token, reason="对方系统停用", user=None)
    return issued


def authorization(issued: IssuedToken) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {issued.key}"}
