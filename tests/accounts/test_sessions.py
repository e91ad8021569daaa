"""Sessions read from the shared cache (accounts/sessions.py, the engine when CACHE_URL names Redis):
no query for the session, the database still the record, and nothing the database engine refuses
accepted from the cache — a logged-out key stays refused, a failing cache costs a query, not the
request. The tests' cache is the per-process one (locmem), which stands in for Redis here."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client, override_settings
from django.urls import reverse

from accounts.sessions import SessionStore
from tests.sessions import HOME, LOGIN, replay, sign_in

CACHED = override_settings(SESSION_ENGINE="accounts.sessions")


class UnreachableCache(BaseCache):
    """A cache server that does not answer, as Redis restarting."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("cache unreachable")

    get = set = add = delete = has_key = touch = incr = clear = _fail


class TimedCache(LocMemCache):
    """The per-process cache, noting how long each copy is kept."""

    timeouts: list = []

    def set(self, key, value, timeout=None, version=None):
        TimedCache.timeouts.append(timeout)
        super().set(key, value, timeout, version)


def _signed_in(username: str) -> Client:
    client = Client()
    sign_in(client, username)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["default"].clear()


@CACHED
def test_a_signed_in_session_is_read_without_a_query(cast, django_assert_num_queries):
    key = _signed_in("staff_a").cookies[settings.SESSION_COOKIE_NAME].value
    with django_assert_num_queries(0):
        assert SessionStore(key).load()["_auth_user_id"] == str(cast.staff_a.pk)


@CACHED
def test_the_database_keeps_the_session_too(cast):
    key = _signed_in("staff_a").cookies[settings.SESSION_COOKIE_NAME].value
    caches["default"].clear()
    assert Session.objects.filter(session_key=key).exists()
    assert replay(key).status_code == 200


@CACHED
def test_after_logout_the_old_session_key_is_refused(cast):
    client = _signed_in("staff_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    response = replay(key)
    assert response.status_code == 302 and response.url.startswith(reverse(LOGIN))


@CACHED
def test_a_session_deleted_from_the_database_alone_is_refused_once_its_copy_expires(cast):
    """What a logout during a cache failure leaves: the row gone, the copy not told."""
    key = _signed_in("staff_a").cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).delete()
    caches["default"].delete(SessionStore.cache_key_prefix + key)  # as its expiry would
    response = replay(key)
    assert response.status_code == 302 and response.url.startswith(reverse(LOGIN))


@CACHED
@override_settings(CACHES={"default": {"BACKEND": "tests.accounts.test_sessions.TimedCache"}}, SESSION_CACHE_SECONDS=60)
def test_a_copy_is_kept_no_longer_than_session_cache_seconds(cast):
    TimedCache.timeouts.clear()
    _signed_in("staff_a")
    assert TimedCache.timeouts and all(0 < timeout <= 60 for timeout in TimedCache.timeouts)


@CACHED
@override_settings(CACHES={"default": {"BACKEND": "tests.accounts.test_sessions.UnreachableCache"}})
def test_an_unreachable_cache_costs_a_query_not_the_request(cast):
    client = _signed_in("staff_a")
    assert client.get(reverse(HOME)).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse(HOME)).status_code == 302
