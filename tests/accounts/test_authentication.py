import datetime
import time

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_LOGIN_AT_KEY, SESSION_SEEN_AT_KEY
from tests.factories import TEST_PASSWORD

LOGIN = "accounts:login"


def _login(client, username, password, **extra):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, **extra)


def test_login_with_wrong_password_shows_a_chinese_error(cast, client):
    response = _login(client, "staff_a", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_login_succeeds_and_lands_on_the_workbench(cast, client):
    response = _login(client, "staff_a", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")


def test_session_key_is_rotated_at_login(cast, client):
    client.get(reverse(LOGIN))
    client.session.save()
    before = client.session.session_key
    _login(client, "staff_a", TEST_PASSWORD)
    assert client.session.session_key != before


def test_repeated_failures_lock_the_account_with_a_chinese_page(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staff_a", "wrong")
    response = _login(client, "staff_a", TEST_PASSWORD)
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()


def test_rotating_x_forwarded_for_does_not_reset_the_lock(cast, client, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staff_a", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _login(client, "staff_a", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_lock_is_lifted_after_the_cool_off(cast, client, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staff_a", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert _login(client, "staff_a", TEST_PASSWORD).status_code == 302


def test_one_account_locked_does_not_lock_another(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "staff_a", "wrong")
    assert _login(client, "staff_b", TEST_PASSWORD).status_code == 302


def test_logout_requires_post_and_ends_the_session(cast, client):
    client.force_login(cast.staff_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_deactivated_user_is_logged_out_on_next_request(cast, client):
    client.force_login(cast.staff_a)
    cast.staff_a.is_active = False
    cast.staff_a.save(update_fields=["is_active"])
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse(LOGIN) in response.url


def test_session_ends_after_the_absolute_lifetime_even_when_active(cast, client, settings):
    client.force_login(cast.staff_a)
    client.get(reverse("accounts:home"))
    session = client.session
    session[SESSION_LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 302


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_left_idle_past_its_expiry_ends(cast, client):
    client.force_login(cast.staff_a)
    client.get(reverse("accounts:home"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert reverse(LOGIN) in response.url


def test_an_active_session_is_extended_without_a_write_on_every_request(cast, client):
    client.force_login(cast.staff_a)
    client.get(reverse("accounts:home"))
    first = _session_expiry(client)
    client.get(reverse("accounts:home"))
    assert _session_expiry(client) == first  # refreshed less than a minute ago: no write

    session = client.session
    session[SESSION_SEEN_AT_KEY] = int(time.time()) - 61
    session.save()
    saved = _session_expiry(client)
    time.sleep(0.01)
    client.get(reverse("accounts:home"))
    assert _session_expiry(client) > saved


@pytest.mark.parametrize("url_name", ["accounts:home", "accounts:department_list"])
def test_anonymous_users_are_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse(LOGIN))


def test_password_change_rejects_a_short_password_in_chinese(cast, client):
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"},
    )
    assert response.status_code == 200
    assert "密码长度太短，至少需要 10 个字符" in response.content.decode()


def test_csrf_is_enforced_on_login(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse(LOGIN), {"username": "staff_a", "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def test_a_locked_address_is_named_as_the_address_not_the_other_users_account(cast, client, settings):
    # Failures spread over several accounts from one address lock the address, not staff_b.
    usernames = ["staff_a", "reviewer", "congress"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, usernames[n % len(usernames)], "wrong")
    response = _login(client, "staff_b", TEST_PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert "登录地址已暂时锁定" in page
    assert "账号本身没有被锁定" in page
    assert "该账号已被暂时锁定" not in page


def test_a_locked_account_is_named_as_the_account(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "staff_a", "wrong", REMOTE_ADDR="10.1.1.1")
    response = _login(client, "staff_a", TEST_PASSWORD, REMOTE_ADDR="10.2.2.2")
    page = response.content.decode()
    assert response.status_code == 429
    assert "该账号已被暂时锁定" in page
    assert "登录地址已暂时锁定" not in page
