"""The load test's own parts: a port nobody serves, locust on one core, and the cause of the 409s
stated from the plan (a shared return conflicts by design, an own return only on a stale page)."""

import os
import socket

from bench.measure.load import _conflict_text, _free_port, _locust_core, staff_users


def test_the_server_gets_a_port_nobody_listens_on():
    port = _free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_locust_is_pinned_to_one_of_the_cores_this_process_may_use_or_not_at_all():
    cores = sorted(os.sched_getaffinity(0))
    assert _locust_core(-1) is None
    if len(cores) > 1:
        assert _locust_core(len(cores) - 1) == cores[-1]
        assert _locust_core(99) == cores[-1]


def test_seventy_of_a_hundred_users_are_department_staff():
    assert staff_users(100) == 70 and staff_users(50) == 35


def test_conflicts_are_put_down_to_shared_returns_when_staff_outnumber_open_returns():
    plan = {"staff": [{}] * 60, "staff_users": 70}
    assert "10 share a return" in _conflict_text("12", plan)
    plan = {"staff": [{}] * 70, "staff_users": 70}
    assert "stale version" in _conflict_text("0", plan)
