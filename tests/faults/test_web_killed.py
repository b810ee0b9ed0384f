"""The web process of ``tiepdan serve`` killed (issue 12 §9, first part): the supervisor starts
a new one, which serves again within seconds; the worker beside it is not touched; stopping the
supervisor stops every child.  The same kill in the middle of a hearing, with real browsers
rejoining by themselves, the floor restored and the recording's gap in the signed manifest, is
``tests/media/test_web_killed_e2e.py`` (``make test-media``); scripted clients finding the floor
again after a restart, ``tests/media/test_web_restart.py``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .processes import APP_PORTS, REPO, app_env, children, free_port

pytestmark = pytest.mark.faults

# Seconds from the kill to the first answer of the new web process: the supervisor restarts at
# once; the rest is uvicorn + Django starting (about 3 s on an idle 2-core machine, far more when
# the machine is shared).
RESTART_LIMIT = 60.0


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _child(pid: int, needle: str) -> int | None:
    return next((p for p, cmd in children(pid) if needle in cmd), None)


def _wait(what: str, check, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


def test_a_killed_web_process_is_restarted_by_the_supervisor(tmp_path):
    port = free_port(APP_PORTS)
    env = app_env(tmp_path / "var", f"sqlite:///{tmp_path / 'var' / 'db.sqlite3'}")
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen([sys.executable, "-m", "tiepdan.cli", "serve", "--no-janus",
                              "--port", str(port)], env=env, cwd=REPO, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/static/tiepdan/site.css"
    try:
        _wait("the web server did not answer", lambda: _answers(url), 120)
        web = _child(serve.pid, "uvicorn")
        worker = _wait("no worker", lambda: _child(serve.pid, "run_huey"), 30)
        assert web is not None

        os.kill(web, signal.SIGKILL)
        killed_at = time.monotonic()
        _wait("the web server was not restarted",
              lambda: _child(serve.pid, "uvicorn") not in (None, web), 10)
        _wait("the new web server did not answer", lambda: _answers(url), RESTART_LIMIT)
        back_after = time.monotonic() - killed_at
        print(f"\nweb process killed: serving again {back_after:.1f} s later")
        assert _child(serve.pid, "run_huey") == worker
    finally:
        alive = [p for p, _ in children(serve.pid)]
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            raise
    for pid in alive:
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "zombie" in status.read_text().lower(), (
            f"child {pid} outlived the supervisor")
