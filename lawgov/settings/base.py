"""lawgov settings, driven by environment variables (see .env.example).

Secure by default: DEBUG is off unless set, SECRET_KEY is required unless DEBUG, cookies are
secure and HTTPS is enforced outside DEBUG. A newcomer's default is embedded: a SQLite file and
Celery tasks run in-process, so nothing but Python is needed to try the product.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured

# Django's generic classes (ModelAdmin, Field, ModelChoiceField, …) accept type parameters at run
# time, as django-stubs declares them, so annotations such as admin.ModelAdmin[Area] can be real.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY 未设置：生产环境必须通过环境变量 SECRET_KEY 提供密钥 (SECRET_KEY is required unless DEBUG=1)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "lawgov.admin_site.LawgovAdminConfig",  # django.contrib.admin with the site in lawgov/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "import_export",
    "axes",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files served from static/, never a CDN
    "accounts",
    "audit",
    "indicators",
    "assessments",
    "reviews",
    "congress",
    "reports",
    "publication",
    "workbench",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lawgov.middleware.ContentSecurityPolicyMiddleware",
    "lawgov.middleware.PermissionsPolicyMiddleware",
    "lawgov.middleware.SignedInPagesNotCachedMiddleware",
    "audit.middleware.AccessDeniedAuditMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lawgov.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workbench.context_processors.navigation",
            ],
        },
    },
]

# Every form renders through the project's form templates (templates/forms/) with Bootstrap classes
# on each control: lawgov/forms.py.
FORM_RENDERER = "lawgov.forms.FormRenderer"

WSGI_APPLICATION = "lawgov.wsgi.application"

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a save is being written.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache --------------------------------------------------------------------------------------
# What the API's rate limits count in (api/throttling.py). The default keeps counts per process, which
# is right for `make run` and tests; with several gunicorn workers set CACHE_URL=redis://host:6379/1
# so every worker counts against the same limit.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's, with one redis client per connection pool instead of one per call (lawgov/redis_cache.py).
    CACHES["default"]["BACKEND"] = "lawgov.redis_cache.RedisCache"

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# accounts.backends: Django's ModelBackend with the user's department loaded along with the user.
# (A session begun under the plain ModelBackend before this changed signs in again once.)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserAndDepartmentBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling. Failures count per account (so rotating X-Forwarded-For does not reset it) and
# per client address (so one machine cannot spray passwords over many accounts). Locks cool off: a
# permanent lock would let anyone lock a department's staff out on purpose. Behind a reverse proxy,
# set AXES_IPWARE_META_PRECEDENCE_ORDER=HTTP_X_REAL_IP with the proxy overwriting that header.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.locked_out"  # says whether the account or the address is locked
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("AXES_IPWARE_META_PRECEDENCE_ORDER", default=["REMOTE_ADDR"])
AXES_VERBOSE = False

# Sessions: 30 minutes idle (the cookie is refreshed on every request), 12 hours absolute.
# Read from the cache when it is a server every process shares (CACHE_URL=redis://…), kept in the
# database either way (accounts/sessions.py: no query per request for the session, a cache failure
# costs that query and nothing else, a copy lives SESSION_CACHE_SECONDS at most). A per-process
# cache cannot hold them: a logout in one gunicorn worker would leave another worker's copy alive.
_SHARED_CACHES = {
    "lawgov.redis_cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
}
SESSION_ENGINE = (
    "accounts.sessions" if CACHES["default"]["BACKEND"] in _SHARED_CACHES else "django.contrib.sessions.backends.db"
)
SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=60)
# The bell's unread count on every page, kept in the same shared cache (reviews/services/notifications.py).
NOTIFICATION_COUNTS_CACHED = CACHES["default"]["BACKEND"] in _SHARED_CACHES
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # accounts.middleware refreshes an active session once a minute
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers (secure unless DEBUG) --------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# ASVS 5.0 3.3.1/3.3.3: Secure cookies carry the __Host- prefix (this host only, path /, no Domain).
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
        "script-src 'self'; object-src 'none'; frame-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'"
    ),
)
# The report preview shows the print layout, whose tables and signature carry computed style=""
# attributes; the rest of the product has none (issue 18 §4), so only this page allows them.
REPORT_PREVIEW_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self';", "style-src 'self' 'unsafe-inline';"
)
PERMISSIONS_POLICY = env(
    "PERMISSIONS_POLICY",
    default=(
        "accelerometer=(), camera=(), display-capture=(), fullscreen=(self), geolocation=(), gyroscope=(), "
        "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
    ),
)

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates are written one way, 2025年4月10日 (see indicators/presenting.py), and date inputs get ISO.
FORMAT_MODULE_PATH = ["lawgov.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Chinese for third-party apps that ship none (django-axes)

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence and generated reports. Never served from a public URL: an authorising view
# streams each file, so MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# A fresh clone has none of these folders (var/ is ignored by git): create them here, so the first
# `migrate` can open the SQLite file and the first upload or report has somewhere to go.
for _directory in (MEDIA_ROOT, STATIC_ROOT):
    _directory.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and DATABASES["default"]["NAME"] != ":memory:":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Celery --------------------------------------------------------------------------------------
# Unset CELERY_BROKER_URL: tasks run in-process (eager), so the embedded default needs no broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
else:
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
# Without a broker, reports (one or a batch) render in a thread of the web process after the response
# (reports/background.py), so a request never waits for WeasyPrint.
REPORTS_RENDER_IN_BACKGROUND = env.bool("REPORTS_RENDER_IN_BACKGROUND", default=True)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = timedelta(days=1)
# Reliability (see research/reliability.md §1.5): ack after the work is done, re-queue when a
# worker child dies, reserve one task at a time, bound time and memory of every render.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_KIB", default=768_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
_visibility_timeout = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility_timeout}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility_timeout}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue the web sends to and the workers read (a test gives its worker a queue of its own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Recovery in a minute (reports/recovery.py): a rendering run stamps a heartbeat every
# REPORTS_HEARTBEAT_SECONDS; one silent for REPORTS_HEARTBEAT_TIMEOUT_SECONDS (or whose process on
# this machine is gone) is re-queued, and a queued run whose message is gone is re-sent once its last
# dispatch is REPORTS_REDISPATCH_AFTER_SECONDS old. Every worker (and, without a broker, every web
# process) sweeps when it starts and every REPORTS_SWEEP_SECONDS. Worst case after a worker or Redis
# comes back: timeout + sweep interval = 45 s before the run is re-queued. REPORTS_SWEEP_SECONDS=0
# switches the built-in sweeps off (then only beat's entry or `manage.py sweep_report_runs` sweep).
REPORTS_HEARTBEAT_SECONDS = env.float("REPORTS_HEARTBEAT_SECONDS", default=5)
REPORTS_HEARTBEAT_TIMEOUT_SECONDS = env.float("REPORTS_HEARTBEAT_TIMEOUT_SECONDS", default=30)
REPORTS_REDISPATCH_AFTER_SECONDS = env.float("REPORTS_REDISPATCH_AFTER_SECONDS", default=10)
REPORTS_SWEEP_SECONDS = env.float("REPORTS_SWEEP_SECONDS", default=15)
# Reports ready on click (reports/readiness.py): a report someone asked for is rendered again in the
# background once its data stop changing for REPORTS_REFRESH_DEBOUNCE_SECONDS, and at the latest
# REPORTS_REFRESH_MAX_WAIT_SECONDS after the first change of a burst.
REPORTS_REFRESH_DEBOUNCE_SECONDS = env.float("REPORTS_REFRESH_DEBOUNCE_SECONDS", default=10)
REPORTS_REFRESH_MAX_WAIT_SECONDS = env.float("REPORTS_REFRESH_MAX_WAIT_SECONDS", default=60)
# A unit's dispute of a provided figure still unanswered after this many days (or on the provider's
# deadline) is brought to the reviewers of the unit (reviews.services.dispute_notices).
DISPUTE_ESCALATION_DAYS = env.int("DISPUTE_ESCALATION_DAYS", default=5)
CELERY_BEAT_SCHEDULE: dict = {
    # The workers sweep by themselves (reports/worker.py); beat's tick is a spare, not a requirement.
    "reports-sweep-stuck-runs": {"task": "reports.sweep_stuck_runs", "schedule": timedelta(minutes=1)},
    "reviews-deadline-reminders": {"task": "reviews.send_deadline_reminders", "schedule": timedelta(hours=6)},
}

# --- API (api/: Django REST framework, OpenAPI schema by drf-spectacular) ----------------------------
# Read-only. Public endpoints answer anyone; the figures of approved returns need a system's token
# (api.ApiToken, `Authorization: Token <key>`), scoped to a unit subtree. Signed-in sessions are not an
# API credential: a browser's cookies never authorise an API call.
API_THROTTLE_ANONYMOUS = env("API_THROTTLE_ANONYMOUS", default="120/min")
API_THROTTLE_TOKEN = env("API_THROTTLE_TOKEN", default="600/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousRateThrottle", "api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "lawgov 法治政府建设数据接口",
    "DESCRIPTION": (
        "只读接口：指标体系与指标、单位、年度、已公开报告及其数据（无需登录）；"
        "已审核填报数据（须使用系统令牌，限令牌的单位范围）。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Email (off by default; in-app notifications are the primary channel) ----------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="lawgov@localhost")

# --- Logging -----------------------------------------------------------------------------------
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint and fontTools narrate every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ADMINS = [("lawgov", a) for a in env.list("ADMIN_EMAILS", default=[])]
