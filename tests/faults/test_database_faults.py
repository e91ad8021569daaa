"""The database goes away and comes back (issue 9 §5, F7), without touching the shared PostgreSQL
cluster: the test's own connections are cut server-side (pg_terminate_backend), or the app is
pointed at a closed port. During the outage users get the friendly Chinese 503, never a 500;
after it, zero errors."""

import psycopg
import pytest
from django.db import close_old_connections, connection

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PAGES = ("/", "/returns/", "/review/notifications/")


@pytest.fixture
def postgres(is_postgres):
    if not is_postgres:
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def browse(cast, client):
    """GET a page as staff_a, between requests running what Django's request_started signal runs
    in a real server (the test client switches it off): close_old_connections(), which with
    production's CONN_MAX_AGE + CONN_HEALTH_CHECKS drops a connection the server has cut."""
    client.force_login(cast.staff_a)
    client.raise_request_exception = False
    saved = {key: connection.settings_dict.get(key) for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    connection.close()

    def get(path: str) -> tuple[int, str]:
        close_old_connections()
        response = client.get(path)
        return response.status_code, response.content.decode()

    yield get
    connection.settings_dict.update(saved)
    connection.close()


def _terminate_the_apps_connection() -> int:
    """From a separate connection: end the app's backend on the test database, as a PostgreSQL
    restart would."""
    connection.ensure_connection()
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    with psycopg.connect(**params, autocommit=True) as admin:
        sql = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid = %s"
        return admin.execute(sql, [connection.connection.info.backend_pid]).fetchone()[0]


def test_connections_cut_by_the_server_give_no_500_and_all_later_requests_succeed(postgres, browse):
    assert browse("/")[0] == 200
    assert _terminate_the_apps_connection() == 1
    first = browse("/")[0]
    assert first in (200, 503), first
    statuses = [browse(path)[0] for _ in range(7) for path in PAGES]
    assert statuses == [200] * len(statuses)


def test_an_unreachable_database_answers_503_in_chinese_then_recovers(postgres, browse):
    assert browse("/")[0] == 200
    real_port = connection.settings_dict["PORT"]
    _terminate_the_apps_connection()
    connection.settings_dict["PORT"] = "1"  # nothing listens there: connection refused
    try:
        during = [browse(path) for path in PAGES]
    finally:
        connection.settings_dict["PORT"] = real_port
    for status, body in during:
        assert status == 503
        assert "您此前已保存的数据不会丢失" in body
    statuses = [browse(path)[0] for _ in range(7) for path in PAGES]
    assert statuses == [200] * len(statuses)
