import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_LOGIN_AT_KEY = "lawgov_login_at"


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session a fixed time after login, however active it is.

    The idle timeout comes from SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST; this adds the
    absolute limit (12 h by default) that an always-open browser tab would otherwise dodge.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            login_at = request.session.setdefault(SESSION_LOGIN_AT_KEY, now)
            if now - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "登录已超过最长有效时间，请重新登录。")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
