"""Settings for the test suite: the same as base, faster password hashing and no HTTPS redirect.

DATABASE_URL and CELERY_BROKER_URL are honoured, so the suite runs on SQLite by default and on
PostgreSQL + Redis in CI. Tasks stay eager unless a test asks for the real worker.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The permission matrix and the leak tests call the API hundreds of times a minute from one address;
# tests/api/test_throttling.py sets its own small limits.
os.environ.setdefault("API_THROTTLE_ANONYMOUS", "100000/min")
os.environ.setdefault("API_THROTTLE_TOKEN", "100000/min")

from .base import *  # noqa: F403
from .base import BASE_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A real worker started by a test (LAWGOV_TEST_WORKER=1) is not eager: what its report sweeper
# re-sends goes to the broker, as in production.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("LAWGOV_TEST_WORKER") != "1"
# Reports render in-process after the commit, so a test sees the finished run; tests of the
# background thread (tests/reports/test_background.py) switch it on.
# (A fault test's "web process" subprocess asks for the thread with LAWGOV_TEST_RENDER_IN_BACKGROUND=1.)
REPORTS_RENDER_IN_BACKGROUND = os.environ.get("LAWGOV_TEST_RENDER_IN_BACKGROUND") == "1"
# One media folder per pytest-xdist worker, so parallel workers never share or clean each other's files.
# TEST_MEDIA_TAG separates concurrent pytest runs from one checkout (e.g. two developers' sessions).
MEDIA_ROOT = (
    BASE_DIR
    / "var"
    / f"test-media-{os.environ.get('TEST_MEDIA_TAG', '')}{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
)
AXES_FAILURE_LIMIT = 5
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
