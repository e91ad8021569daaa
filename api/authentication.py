"""`Authorization: Token <key>` names an outside system's ApiToken. A browser's session is no API
credential: only this class authenticates API calls (settings.REST_FRAMEWORK)."""

from dataclasses import dataclass

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from .models import ApiToken
from .selectors import api_token_for_key

KEYWORDS = (b"token", b"bearer")


@dataclass(frozen=True)
class ApiClient:
    """The caller behind a token, as request.user (request.auth is the token itself)."""

    token: ApiToken
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def pk(self) -> int:
        return self.token.pk


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiClient, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确：应为 Authorization: Token <令牌>。")
        try:
            key = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌格式不正确。") from None
        token = api_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效或已吊销。")
        return ApiClient(token=token), token

    def authenticate_header(self, request: Request) -> str:
        return "Token"
