"""The production gunicorn command in README.md recycles workers (issue 18 §4): after hostile uploads
a worker kept 180–478 MB; `max_requests` with `max_requests_jitter` (lawgov/gunicorn_config.py)
replaces workers one by one. The same file tunes each worker's garbage collector."""

import gc
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.app.wsgiapp import WSGIApplication
from gunicorn.config import Config

from lawgov import gunicorn_config

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _readme_command() -> list[str]:
    commands = re.findall(r"`(gunicorn [^`]*lawgov\.wsgi[^`]*)`", README.read_text(encoding="utf-8"))
    assert len(commands) == 1, "README.md should give exactly one production gunicorn command"
    return shlex.split(commands[0])


def _gunicorn_settings(argv: list[str], monkeypatch) -> Config:
    """The command as gunicorn reads it: its argument parser (an unknown flag fails here) and the
    settings file it names, from the project's folder."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", argv)
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def test_the_readme_command_recycles_workers_with_jitter(monkeypatch):
    config = _gunicorn_settings(_readme_command(), monkeypatch)
    assert config.max_requests >= 100
    assert 0 < config.max_requests_jitter < config.max_requests
    assert config.timeout <= 60


def test_the_readme_command_runs_the_project_settings_file(monkeypatch):
    config = _gunicorn_settings(_readme_command(), monkeypatch)
    assert (ROOT / config.config).resolve() == Path(gunicorn_config.__file__).resolve()
    assert config.post_request.__code__.co_code == gunicorn_config.post_request.__code__.co_code


def test_a_worker_freezes_what_it_holds_after_its_first_requests():
    threshold = gc.get_threshold()
    worker = SimpleNamespace()
    try:
        gunicorn_config.post_fork(None, worker)
        assert gc.get_threshold() == gunicorn_config.GC_THRESHOLD
        for _ in range(gunicorn_config.GC_FREEZE_AFTER_REQUESTS - 1):
            gunicorn_config.post_request(worker, None, {}, None)
        assert gc.get_freeze_count() == 0
        gunicorn_config.post_request(worker, None, {}, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def _without_options(argv: list[str], options: tuple[str, ...]) -> list[str]:
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in options:
            skip = True
        else:
            kept.append(arg)
    return kept


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_with_the_readme_flags_replaces_a_worker_after_its_requests(tmp_path):
    """The README's command, with one worker and a small request count so the test sees it happen."""
    port = _free_port()
    argv = _without_options(_readme_command(), ("-b", "-w"))
    command = [sys.executable, "-m", "gunicorn", *argv[1:], "-b", f"127.0.0.1:{port}", "-w", "1"]
    command += ["--max-requests", "3", "--max-requests-jitter", "1", "--log-level", "info"]
    log = tmp_path / "gunicorn.log"
    environment = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=environment, cwd=ROOT)
    try:
        url = f"http://127.0.0.1:{port}/accounts/login/"
        # Generous waits: the machine may be busy; the test is about what the log shows, not speed.
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(url, timeout=30).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(log.read_text())
                time.sleep(0.3)
        for _ in range(10):
            assert urllib.request.urlopen(url, timeout=60).status == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
    text = log.read_text()
    assert "Autorestarting worker after current request" in text
    assert text.count("Booting worker") >= 2
