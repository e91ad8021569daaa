"""The Redis cache backend (lawgov/redis_cache.py): one redis client per connection pool."""

import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from lawgov.redis_cache import RedisCache


def test_every_call_of_a_cache_uses_the_same_client_of_the_same_pool():
    cache = RedisCache("redis://127.0.0.1:6379/9", {})
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share its pool
    assert first.connection_pool is cache._cache._get_connection_pool(False)


def test_reads_go_to_the_replicas_each_through_its_own_client():
    cache = RedisCache("redis://127.0.0.1:6379/9;redis://127.0.0.2:6379/9", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert reader is not writer
    assert reader.connection_pool.connection_kwargs["host"] == "127.0.0.2"
    assert writer.connection_pool.connection_kwargs["host"] == "127.0.0.1"


def test_a_redis_cache_url_selects_this_backend_and_the_cached_session_store():
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "lawgov.settings.base"}
    env["CACHE_URL"] = "redis://127.0.0.1:6379/9"
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["lawgov.redis_cache.RedisCache", "accounts.sessions"], result.stderr


@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), reason="no Redis server given (CI has one)"
)
def test_values_round_trip_through_a_real_redis():
    cache = RedisCache(os.environ["CELERY_BROKER_URL"], {"KEY_PREFIX": f"test-redis-cache-{uuid.uuid4().hex}"})
    cache.set("session", {"user": 7}, 30)
    assert cache.get("session") == {"user": 7}
    cache.delete("session")
    assert cache.get("session") is None
