"""Real parts for the operations tests: a Janus (the media tests' fixtures) and a coturn."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.media.conftest import janus, janus_installed, make_janus_settings  # noqa: F401
from tiepdan.media import stun


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def dead_port() -> int:
    """A port nobody listens on (TCP and UDP)."""
    from tests.media.conftest import free_port

    return free_port()


@pytest.fixture(scope="module")
def coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """coturn (Debian ``coturn``) on a loopback UDP port; yields its host:port."""
    binary = shutil.which("turnserver")
    if binary is None:
        pytest.skip("coturn is not installed: apt-get install coturn")
    base: Path = tmp_path_factory.mktemp("coturn")
    port = free_udp_port()
    process = subprocess.Popen(
        [
            binary,
            "-n",
            "--listening-ip=127.0.0.1",
            f"--listening-port={port}",
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
            stun.ping("127.0.0.1", port, timeout=0.3)
            break
        except stun.StunError:
            assert process.poll() is None, (base / "turnserver.log").read_text()
            assert time.monotonic() < deadline, "coturn did not answer in 10 s"
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(10)
