"""A session key that was valid once cannot be replayed (ASVS 5.0 7.2.4 new token at login, 7.4.1
logout ends the session server-side, 7.4.3 a password change ends the other sessions; WSTG
SESS-03 session fixation). Each test replays a captured cookie from a second client, the way an
attacker who copied it would."""

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.sessions import HOME, LOGIN, replay, sign_in


def _is_sent_to_login(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse(LOGIN))


def test_a_session_key_planted_before_login_is_not_signed_in_afterwards(cast):
    planted = SessionStore()
    planted["planted_by"] = "attacker"
    planted.create()
    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    sign_in(victim, "staff_a")
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert _is_sent_to_login(replay(planted.session_key))


def test_the_anonymous_session_of_the_login_page_is_replaced_at_login(cast):
    client = Client()
    client.get(reverse(LOGIN))
    session = client.session
    session["seen_login_page"] = True
    session.save()
    before = session.session_key
    sign_in(client, "staff_b")
    assert client.session.session_key != before
    assert _is_sent_to_login(replay(before))


def test_after_logout_the_old_session_key_is_refused(cast):
    client = Client()
    sign_in(client, "staff_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert replay(key).status_code == 200  # the guard: a live key does sign in
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert _is_sent_to_login(replay(key))


def test_after_a_password_change_the_users_other_sessions_are_refused(cast):
    laptop, phone = Client(), Client()
    sign_in(laptop, "reviewer")
    sign_in(phone, "reviewer")
    phone_key = phone.cookies[settings.SESSION_COOKIE_NAME].value
    new_password = "Reviewer#Changed2026"
    response = laptop.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert laptop.get(reverse(HOME)).status_code == 200  # the session that changed it stays
    assert _is_sent_to_login(replay(phone_key))


def test_after_deactivation_a_captured_session_key_is_refused(cast):
    client = Client()
    sign_in(client, "congress")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cast.congress.is_active = False
    cast.congress.save(update_fields=["is_active"])
    assert _is_sent_to_login(replay(key))
