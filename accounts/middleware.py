import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SESSION_LOGIN_AT_KEY = "lawgov_login_at"
SESSION_SEEN_AT_KEY = "lawgov_seen_at"


class AbsoluteSessionLifetimeMiddleware:
    """Ends a session a fixed time after login, however active it is, and keeps an active one alive.

    The idle timeout is the session's own expiry, SESSION_COOKIE_AGE after it was last saved. Saving
    on every request (SESSION_SAVE_EVERY_REQUEST) cost a write transaction per page and per autosave;
    the session is instead re-saved when it was last refreshed SESSION_REFRESH_SECONDS ago or more,
    so the 30-minute idle limit holds to within that minute. The absolute limit (12 h by default)
    stops an always-open browser tab from dodging the idle one.
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
            if now - request.session.get(SESSION_SEEN_AT_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_AT_KEY] = now
        return self.get_response(request)
