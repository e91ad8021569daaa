from django.db import OperationalError
from django.http import HttpResponse

from lawgov.middleware import DatabaseUnavailableMiddleware


def _middleware():
    return DatabaseUnavailableMiddleware(lambda request: HttpResponse("ok"))


def test_database_outage_answers_a_friendly_chinese_503(rf):
    response = _middleware().process_exception(rf.get("/"), OperationalError("connection refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "您此前已保存的数据不会丢失" in response.content.decode()


def test_other_errors_are_left_to_the_normal_error_handling(rf):
    assert _middleware().process_exception(rf.get("/"), ValueError("bug")) is None
