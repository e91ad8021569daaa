"""The cyclic garbage collector paused around a wide import's work, and given back as it was."""

import gc

import pytest

from assessments.excel.collector import collector_paused


@pytest.fixture
def collector_enabled():
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    # Given back as found, whatever the test did: a test that switches it off must not leave the rest
    # of the worker's tests running without it.
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_paused_inside_and_enabled_again_after(collector_enabled):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_give_the_collector_back_only_when_the_outer_one_ends(collector_enabled):
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_given_back_when_the_work_raises(collector_enabled):
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_collector_disabled_before_the_pause_stays_disabled(collector_enabled):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
