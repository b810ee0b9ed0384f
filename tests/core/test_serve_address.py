"""`tiepdan serve` started for real: with SITE_URL unset its children link to the address it
serves; with a SITE_URL that does not answer it warns (in Vietnamese and English) and runs on."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PORT = 8161  # this branch's port range: 8160-8169
DEAD_PORT = 8169  # nothing listens there


def answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310
        return response.status == 200
    return False


class Serve:
    def __init__(self, tmp_path: Path, port: int, **env: str) -> None:
        environ = {key: value for key, value in os.environ.items()
                   if key not in {"SITE_URL", "SITE_URL_FILE", "DATABASE_URL"}}
        environ.update(TIEPDAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tiepdan.settings",
                       PYTHONPATH=str(REPO), **env)
        self.stdout, self.stderr = tmp_path / "stdout", tmp_path / "stderr"
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "tiepdan.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--no-worker", "--no-janus"],
                cwd=REPO, env=environ, stdout=out, stderr=err, start_new_session=True)
        deadline = time.monotonic() + 30
        while not answers(f"http://127.0.0.1:{port}/api/v1/health"):
            assert self.process.poll() is None, self.stderr.read_text()
            assert time.monotonic() < deadline, "tiepdan serve did not answer in 30 s"
            time.sleep(0.2)

    def child_environment(self) -> dict[str, str]:
        """The environment of the web server the supervisor started."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        (pid,) = children.read_text().split()
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        return dict(item.decode().split("=", 1) for item in raw if b"=" in item)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type]:
    started: list[Serve] = []

    def start(port: int, **env: str) -> Serve:
        server = Serve(tmp_path, port, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_serve_without_site_url_links_to_the_address_it_serves(serve):
    server = serve(PORT)
    assert server.child_environment()["SITE_URL"] == f"http://127.0.0.1:{PORT}"
    assert f"http://127.0.0.1:{PORT}/" in server.stdout.read_text()
    time.sleep(1)  # the address check runs once the web server answers
    assert "SITE_URL" not in server.stderr.read_text()


def test_serve_warns_when_the_configured_address_does_not_answer(serve):
    dead = f"http://127.0.0.1:{DEAD_PORT}"
    server = serve(PORT, SITE_URL=dead)
    assert server.child_environment()["SITE_URL"] == dead  # a configured address is kept
    deadline = time.monotonic() + 15
    while "Warning" not in (stderr := server.stderr.read_text()):
        assert time.monotonic() < deadline, f"no warning in 15 s:\n{stderr}"
        time.sleep(0.2)
    assert f"Cảnh báo: địa chỉ công khai SITE_URL={dead} không trả lời từ máy này" in stderr
    assert f"Warning: the public address SITE_URL={dead} does not answer" in stderr
    # A warning, not a failure: the server runs on.
    assert server.process.poll() is None
    assert answers(f"http://127.0.0.1:{PORT}/api/v1/health")
