from django.conf import settings
from django.db import OperationalError

from lawgov.error_views import server_error


def _handle(rf, exception):
    try:
        raise exception
    except Exception:
        return server_error(rf.get("/"))


def test_database_outage_answers_a_friendly_chinese_503(rf):
    response = _handle(rf, OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "您此前已保存的数据不会丢失" in response.content.decode()


def test_other_errors_get_the_chinese_500_page(rf):
    response = _handle(rf, ValueError("bug"))
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


def test_database_outage_inside_a_request_reaches_the_handler(client, db, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    def broken_load(self):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "load", broken_load)
    client.raise_request_exception = False
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    response = client.get("/")
    assert response.status_code == 503
