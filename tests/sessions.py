"""Signing in and replaying a captured session cookie, as the session tests do it."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

HOME = "accounts:home"
LOGIN = "accounts:login"


def sign_in(client: Client, username: str, password: str = TEST_PASSWORD):
    """Signs `client` in through the login form and checks it landed on the home page."""
    response = client.post(reverse(LOGIN), {"username": username, "password": password})
    assert response.status_code == 302 and response.url == reverse(HOME)
    return response


def replay(session_key: str):
    """A fresh client presenting only the captured cookie, the way an attacker who copied it would."""
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return attacker.get(reverse(HOME))
