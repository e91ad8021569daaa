"""Rate limits (settings API_THROTTLE_ANONYMOUS / API_THROTTLE_TOKEN), counted in the default cache:
per client address without a token, per token with one. Set CACHE_URL to Redis when several web
processes serve the API, or each process counts alone."""

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

if TYPE_CHECKING:  # rest_framework.views imports the throttle and permission classes at start
    from rest_framework.views import APIView


class AnonymousRateThrottle(SimpleRateThrottle):
    scope = "anonymous"

    def get_rate(self) -> str:
        # Read when asked, not when DRF imports the class, so the setting can change under a test.
        return str(settings.API_THROTTLE_ANONYMOUS)

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self) -> str:
        return str(settings.API_THROTTLE_TOKEN)

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
