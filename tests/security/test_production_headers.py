"""Security headers and cookie flags as a browser sees them under PRODUCTION settings
(lawgov.settings.base with a production-like environment, DEBUG off), not the test settings:
ASVS 5.0 3.3.1/3.3.3/3.3.4 (cookies), 3.4.1 (HSTS), 3.4.3 (CSP), 3.4.4 (nosniff), 3.4.5
(Referrer-Policy), 3.4.6 (framing), 14.3.2 (no caching of signed-in pages), 13.4.2 and 16.5.1
(no debug output), and Host header validation. One subprocess makes the requests
(production_probe.py); each test reads one thing from what it saw."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.test_settings import PRODUCTION_ENV


@pytest.fixture(scope="module")
def seen(tmp_path_factory) -> dict:
    database = tmp_path_factory.mktemp("production") / "db.sqlite3"
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update(PRODUCTION_ENV, DATABASE_URL=f"sqlite:///{database}", CELERY_BROKER_URL="memory://")
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.production_probe"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["settings"] == {"DEBUG": False, "module": "lawgov.settings.base"}
    return report


def _directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def test_pages_carry_a_content_security_policy_that_allows_no_plugins_base_or_framing(seen):
    csp = _directives(seen["login_page"]["headers"]["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other host


def test_signed_in_pages_carry_the_same_policy(seen):
    assert seen["signed_in_page"]["status"] == 200
    headers = seen["signed_in_page"]["headers"]
    assert headers["Content-Security-Policy"] == seen["login_page"]["headers"]["Content-Security-Policy"]


def test_https_is_required_for_a_year_including_subdomains(seen):
    assert seen["plain_http"]["status"] == 301
    assert seen["plain_http"]["headers"]["Location"].startswith("https://")
    hsts = seen["login_page"]["headers"]["Strict-Transport-Security"]
    assert "includeSubDomains" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000


@pytest.mark.parametrize("page", ["login_page", "signed_in_page", "not_found"])
def test_nosniff_referrer_policy_and_frame_denial_on_every_response(seen, page):
    headers = seen[page]["headers"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_the_csrf_cookie_is_secure_and_host_only(seen):
    assert seen["csrf_cookie"] == {
        "name": "__Host-csrftoken",
        "secure": True,
        "httponly": False,  # the page's own script reads it for htmx requests (Django's default)
        "samesite": "Lax",
        "path": "/",
        "domain": "",
    }


def test_the_session_cookie_is_secure_httponly_and_host_only(seen):
    assert seen["login"]["status"] == 302
    assert seen["session_cookie"] == {
        "name": "__Host-sessionid",
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "path": "/",
        "domain": "",
    }


def test_signed_in_pages_are_not_kept_by_browser_or_proxy_caches(seen):
    cache_control = seen["signed_in_page"]["headers"].get("Cache-Control", "")
    assert "no-store" in cache_control and "private" in cache_control


def test_a_missing_page_shows_the_generic_chinese_page_without_debug_output(seen):
    assert seen["not_found"]["status"] == 404
    body = seen["not_found"]["body"]
    assert "页面不存在" in body
    assert "Traceback" not in body and "URLconf" not in body and "SECRET" not in body


def test_a_request_for_an_unknown_host_is_refused(seen):
    assert seen["unknown_host"]["status"] == 400
