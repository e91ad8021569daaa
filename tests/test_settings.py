import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 10 + "production-like-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "lawgov.example.gov.cn",
    "DJANGO_SETTINGS_MODULE": "lawgov.settings.base",
}


def _manage(*args, env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    # Drop what the test settings put into this process's environment.
    dropped = {
        "DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "STATIC_MANIFEST",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for live_server, never in deployment
    }  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_missing_secret_key_outside_debug_fails_at_start_with_a_clear_message():
    result = _manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "lawgov.settings.base"})
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def test_deploy_check_passes_under_production_like_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_embedded_default_is_sqlite_without_a_broker():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="lawgov.settings.base")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.TIME_ZONE, s.LANGUAGE_CODE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "Asia/Shanghai", "zh-hans"]


def test_celery_is_configured_to_survive_worker_loss():
    assert settings.CELERY_TASK_ACKS_LATE is True
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT


def test_openpyxl_parses_through_defusedxml():
    from openpyxl import DEFUSEDXML

    assert DEFUSEDXML is True


def test_login_throttling_cools_off_instead_of_locking_forever():
    assert settings.AXES_COOLOFF_TIME
    assert "username" in settings.AXES_LOCKOUT_PARAMETERS


EXTERNAL_ASSET = re.compile(r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)
CSS_EXTERNAL = re.compile(r"""(?:url\(|@import)\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_no_template_or_stylesheet_loads_anything_from_another_host():
    offenders = []
    for path in [*BASE_DIR.glob("templates/**/*.html"), *BASE_DIR.glob("*/templates/**/*.html")]:
        if EXTERNAL_ASSET.search(path.read_text()):
            offenders.append(str(path))
    for path in BASE_DIR.glob("static/**/*.css"):
        if CSS_EXTERNAL.search(path.read_text(errors="ignore")):
            offenders.append(str(path))
    assert not offenders


def test_responses_carry_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("404.html", "页面不存在"),
        ("403.html", "无权访问"),
        ("500.html", "系统出现错误"),
        ("403_csrf.html", "页面已过期"),
    ],
)
def test_error_pages_are_in_chinese(template, text, rf, db):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert text in render_to_string(template, request=request if template != "500.html" else None)


def test_a_fresh_clone_creates_its_database_media_and_static_folders(tmp_path):
    """`make run` on a fresh clone: var/ does not exist yet (git ignores it), and the first thing it
    does is open the SQLite file under it. The project creates the folders its defaults point at."""
    fresh = tmp_path / "fresh-clone" / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT"}}
    env.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="lawgov.settings.base",
        DATABASE_URL=f"sqlite:///{fresh / 'db.sqlite3'}",
        MEDIA_ROOT=str(fresh / "media"),
        STATIC_ROOT=str(fresh / "staticfiles"),
    )
    code = "import django; django.setup(); from django.db import connection; connection.ensure_connection()"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (fresh / "db.sqlite3").is_file()
    assert (fresh / "media").is_dir()
    assert (fresh / "staticfiles").is_dir()


def test_every_page_names_the_vendored_favicon_and_favicon_ico_leads_to_it(client):
    """Browsers asked for /favicon.ico on every page and got 404; the icon is a local file, no CDN."""
    login = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    assert (BASE_DIR / "static" / "favicon.svg").read_text().startswith("<svg")
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/favicon.svg")
