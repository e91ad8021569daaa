"""Sessions read from the shared cache, kept in the database (SESSION_ENGINE when CACHE_URL names a
cache server, lawgov/settings/base.py).

Every signed-in request reads its session: from Redis that is no query instead of one. The database
stays the record (Django's cached_db: a write goes to both), and the cache is only ever a faster
copy of it:
- a cache that fails (Redis restarting, unreachable) costs the query it was saving, never the
  request: reads fall back to the database, writes to it are logged;
- a copy lives at most SESSION_CACHE_SECONDS, so a session deleted from the database while the
  cache could not be told (logout during a Redis failure) is refused again within that time;
- logout removes the copy before and after the row, so a request arriving in between cannot put
  back a copy of what is being deleted.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    # Django's own parts this store is built from, which django-stubs does not declare.
    _cache: BaseCache
    _session: dict[str, Any]
    _get_session_from_db: Callable[[], AbstractBaseSession | None]

    def _copy_seconds(self, expiry=None) -> int:
        age = self.get_expiry_age(expiry=expiry) if expiry is not None else self.get_expiry_age()
        return max(0, min(age, settings.SESSION_CACHE_SECONDS))

    def _copy(self, data: dict, expiry=None) -> None:
        try:
            self._cache.set(self.cache_key, data, self._copy_seconds(expiry))
        except Exception:
            logger.exception("could not copy a session to the cache")

    def _forget(self, session_key: str) -> None:
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.exception("could not remove a session from the cache")

    def exists(self, session_key: str) -> bool:
        """Whether a new key is taken: the database, the record, answers."""
        return DatabaseStore.exists(self, session_key)

    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._copy(data, expiry=stored.expire_date)
        return data

    def save(self, must_create: bool = False) -> None:
        DatabaseStore.save(self, must_create)
        self._copy(self._session)

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self._forget(session_key)
        DatabaseStore.delete(self, session_key)
        self._forget(session_key)
