"""Run in a subprocess under lawgov.settings.base with production environment variables (see
test_production_headers.py): makes a few requests through the whole middleware stack and prints
what a browser would see, as JSON. Not a test module; it needs a database of its own."""

import json
import sys

import django


def _cookie(response, name: str) -> dict | None:
    morsel = response.cookies.get(name)
    if morsel is None:
        return None
    return {
        "name": name,
        "secure": bool(morsel["secure"]),
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"],
        "path": morsel["path"],
        "domain": morsel["domain"],
    }


def _seen(response) -> dict:
    return {"status": response.status_code, "headers": dict(response.headers), "body": response.content.decode()[:4000]}


def main() -> None:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User

    call_command("migrate", verbosity=0)
    User.objects.create_user(username="probe", password="Probe#Pass2026", role=User.Role.ADMIN)
    host = settings.ALLOWED_HOSTS[0]
    client = Client(HTTP_HOST=host)
    report = {
        "plain_http": _seen(client.get("/accounts/login/")),
        "login_page": _seen(login_page := client.get("/accounts/login/", secure=True)),
        "csrf_cookie": _cookie(login_page, settings.CSRF_COOKIE_NAME),
    }
    login = client.post("/accounts/login/", {"username": "probe", "password": "Probe#Pass2026"}, secure=True)
    report["login"] = _seen(login)
    report["session_cookie"] = _cookie(login, settings.SESSION_COOKIE_NAME)
    report["signed_in_page"] = _seen(client.get("/", secure=True))
    report["not_found"] = _seen(client.get("/no-such-page/", secure=True))
    report["unknown_host"] = _seen(Client(HTTP_HOST="evil.example.com").get("/accounts/login/", secure=True))
    report["settings"] = {"DEBUG": settings.DEBUG, "module": settings.SETTINGS_MODULE}
    json.dump(report, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
