"""The Redis cache backend (CACHE_URL=redis://…) with one redis client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call, and redis-py fills
each new client's table of ~170 response callbacks: a third of the CPU of a session read from the
cache, which every signed-in request makes. A client is only a view of its connection pool (it holds
no connection itself and is safe to share between threads), so one per pool does the same work.
"""

from collections.abc import Callable
from typing import Any

from django.core.cache.backends import redis
from redis import ConnectionPool, Redis


class RedisCacheClient(redis.RedisCacheClient):
    # Django's own parts this client is built from, which django-stubs does not declare.
    _client: type[Redis]
    _get_connection_pool: Callable[[bool], ConnectionPool]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Redis:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools are kept for the life of this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
