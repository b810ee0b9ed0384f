"""Real parts for the operations tests: a Janus (the media tests' fixtures) and a coturn."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.media.conftest import janus, janus_installed, make_janus_settings  # noqa: F401
from tiepdan.ops import stun

TURN_PORT = 8262  # this branch's ports: 8260-8269
DEAD_PORT = 8269  # nothing listens there


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """coturn (Debian ``coturn``) on a loopback UDP port; yields its host:port."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.skip("coturn is not installed: apt-get install coturn")
    base: Path = tmp_path_factory.mktemp("coturn")
    process = subprocess.Popen(
        [
            binary,
            "-n",
            "--listening-ip=127.0.0.1",
            f"--listening-port={TURN_PORT}",
            "--no-tls",
            "--no-dtls",
            "--no-cli",
            "--log-file=stdout",
            "--simple-log",
            f"--pidfile={base / 'turnserver.pid'}",
            f"--userdb={base / 'turndb'}",
        ],
        stdout=(base / "turnserver.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            stun.ping("127.0.0.1", TURN_PORT, timeout=0.3)
            break
        except stun.StunError:
            assert process.poll() is None, (base / "turnserver.log").read_text()
            assert time.monotonic() < deadline, "coturn did not answer in 10 s"
    yield f"127.0.0.1:{TURN_PORT}"
    process.terminate()
    process.wait(10)
