"""Starting, checking, losing and restarting a real Janus."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tiepdan.media.janus_process import JanusProcess, JanusStartError, server_info
from tiepdan.ops.management.commands.serve import janus_service
from tiepdan.ops.supervisor import Service

from .conftest import create_and_check, run


def listening_addresses(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for name in ("tcp", "tcp6"):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if len(address) == 8:
                    found.add(".".join(str(b) for b in reversed(bytes.fromhex(address))))
                else:
                    found.add(f"ipv6:{address}")
    return found


def non_loopback_addresses() -> list[str]:
    try:
        out = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True,  # noqa: S607
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    addresses = [line.split()[3].split("/")[0] for line in out.splitlines()]
    return [a for a in addresses if not a.startswith("127.")]


def admin_request(janus: JanusProcess, body: dict) -> dict:
    return httpx.post(janus.settings.admin_url, json=body, timeout=2).json()


def test_it_starts_quickly(make_janus_settings):
    janus = JanusProcess(make_janus_settings())
    try:
        assert janus.start() < 2.0
    finally:
        janus.stop()


def test_it_loads_only_the_videoroom_plugin_and_the_http_transport(janus):
    info = server_info(janus.settings)
    assert list(info["plugins"]) == ["janus.plugin.videoroom"]
    assert list(info["transports"]) == ["janus.transport.http"]
    assert info["events"] == {} and info["loggers"] == {}
    assert info["api_secret"] is True


def test_it_listens_on_loopback_only(janus):
    for port in (janus.settings.http_port, janus.settings.admin_port):
        assert listening_addresses(port) == {"127.0.0.1"}


def test_it_cannot_be_reached_on_other_addresses(janus):
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for address in addresses:
        for port in (janus.settings.http_port, janus.settings.admin_port):
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://{address}:{port}/", timeout=1)


def test_the_admin_api_requires_the_admin_secret(janus):
    refused = admin_request(janus, {"janus": "list_sessions", "transaction": "t1"})
    assert refused["janus"] == "error" and refused["error"]["code"] == 403
    allowed = admin_request(janus, {"janus": "list_sessions", "transaction": "t2",
                                    "admin_secret": janus.settings.admin_secret})
    assert allowed["janus"] == "success"


def test_it_refuses_a_port_that_is_taken(janus, make_janus_settings):
    other = JanusProcess(make_janus_settings(http_port=janus.settings.http_port))
    with pytest.raises(JanusStartError, match="already in use"):
        other.start()


def test_it_detects_a_crash_and_a_restart_brings_the_api_back(make_janus_settings):
    janus = JanusProcess(make_janus_settings())
    janus.start()
    try:
        assert janus.health().ok and not janus.crashed
        os.kill(janus.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while janus.running() and time.monotonic() < deadline:
            time.sleep(0.02)
        health = janus.health()
        assert not health.ok and not health.running and health.returncode == -signal.SIGKILL
        assert janus.crashed
        janus.restart()
        assert janus.health().ok and not janus.crashed
        run(create_and_check(janus.settings))
    finally:
        janus.stop()
    assert not janus.crashed, "a deliberate stop is not a crash"


def test_the_supervised_service_writes_its_config_before_starting(make_janus_settings):
    settings = make_janus_settings()
    service = janus_service(settings)
    assert isinstance(service, Service) and service.name == "janus"
    assert not settings.config_file.exists()
    service.start()
    try:
        deadline = time.monotonic() + 5
        while server_info(settings) is None and time.monotonic() < deadline:
            assert service.alive()
            time.sleep(0.05)
        assert server_info(settings)["server-name"] == "tiepdan"
    finally:
        service.stop()
