from django.conf import settings
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (Django 5.2 has no built-in CSP).

    Every asset is vendored under static/, so 'self' is enough; no CDN is ever allowed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        return response


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header: the product uses no camera, microphone, location, payment
    or device API, so no page (nor anything a page could be made to embed) may ask for one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


class SignedInPagesNotCachedMiddleware:
    """Pages shown to a signed-in user hold a department's data: no browser or proxy may keep a copy
    (ASVS 5.0 14.3.2), so the back button after logout or a shared computer shows nothing. Responses
    that set their own Cache-Control (downloads, status polls) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
