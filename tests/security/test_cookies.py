"""Cookie flags, ASVS 5.0 3.3.1 (Secure + prefix), 3.3.2 (SameSite), 3.3.3 (__Host- prefix),
3.3.4 (HttpOnly session cookie)."""

from django.conf import settings
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.test_settings import PRODUCTION_ENV, _manage


def test_under_production_settings_cookies_are_secure_and_carry_the_host_prefix():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_DOMAIN, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_DOMAIN)"
    )
    result = _manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "None",
        "/",
        "None",
    ]


def test_login_sets_a_host_only_httponly_samesite_session_cookie(cast, client):
    page = client.get(reverse("accounts:login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["path"] == "/" and not csrf["domain"] and csrf["samesite"] == "Lax"
    assert bool(csrf["secure"]) == settings.CSRF_COOKIE_SECURE
    response = client.post(reverse("accounts:login"), {"username": "staff_a", "password": TEST_PASSWORD})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["path"] == "/" and not session["domain"] and session["samesite"] == "Lax"
    assert bool(session["secure"]) == settings.SESSION_COOKIE_SECURE
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-") == settings.SESSION_COOKIE_SECURE
