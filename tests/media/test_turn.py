"""TURN for blocked networks: the time-limited credentials (coturn's REST API scheme), the
ICE server list the browsers get, and the coturn configuration the app generates."""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
import time
from pathlib import Path

import pytest

from tiepdan.media import coturn, turn
from tiepdan.media.coturn import CoturnSettings
from tiepdan.media.turn import TurnConfig
from tiepdan.ops.management.commands.serve import coturn_service

SECRET = "0123456789abcdef-shared"


def test_the_credential_is_coturns_rest_api_username_and_hmac_sha1_password():
    username, password = turn.credential(SECRET, "h7.p12", ttl=3600, now=1_800_000_000)
    assert username == "1800003600:h7.p12"
    expected = base64.b64encode(hmac.new(SECRET.encode(), username.encode(),
                                          hashlib.sha1).digest()).decode()
    assert password == expected
    # Another member, another moment or another secret: another password.
    assert turn.credential(SECRET, "h7.p13", 3600, 1_800_000_000)[1] != password
    assert turn.credential(SECRET, "h7.p12", 3600, 1_800_000_001)[1] != password
    assert turn.credential(SECRET + "x", "h7.p12", 3600, 1_800_000_000)[1] != password


@pytest.mark.parametrize("member", ["", "a:b", "x" * 101])
def test_a_member_key_that_would_break_the_username_is_refused(member):
    with pytest.raises(ValueError, match="member key"):
        turn.credential(SECRET, member, 60)


def test_the_ice_servers_are_empty_without_turn_and_carry_no_secret():
    assert turn.ice_servers(None, "h1.u1") == []
    config = TurnConfig(urls=turn.default_urls("turn.example.vn", "turn.example.vn:443"),
                        secret=SECRET, ttl=600)
    (server,) = turn.ice_servers(config, "h1.u1", now=1000)
    assert server == {
        "urls": ["turn:turn.example.vn?transport=udp", "turn:turn.example.vn?transport=tcp",
                 "turns:turn.example.vn:443?transport=tcp"],
        "username": "1600:h1.u1",
        "credential": turn.credential(SECRET, "h1.u1", 600, 1000)[1],
    }
    assert SECRET not in repr(server)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"urls": ()}, "at least one"),
    ({"urls": ("http://turn.example.vn",)}, "not a TURN URL"),
    ({"secret": "short"}, "16 characters"),
    ({"ttl": 10}, "60 seconds"),
])
def test_a_bad_turn_configuration_is_refused(kwargs, message):
    values = {"urls": ("turn:t.example.vn",), "secret": SECRET, **kwargs}
    with pytest.raises(ValueError, match=message):
        TurnConfig(**values)


def test_the_settings_give_the_urls_and_the_secret_file(settings, tmp_path):
    secret_file = tmp_path / "turn-secret"
    secret_file.write_text(SECRET + "\n")
    settings.TURN_URLS = ["turn:10.0.0.5:3478?transport=udp"]
    settings.TURN_SECRET = ""
    settings.TURN_SECRET_FILE = str(secret_file)
    settings.TURN_TTL = 900
    assert turn.from_django() == TurnConfig(urls=("turn:10.0.0.5:3478?transport=udp",),
                                            secret=SECRET, ttl=900)
    settings.TURN_URLS = []
    assert turn.from_django() is None


def test_an_unreadable_secret_file_leaves_browsers_without_relay_and_says_why(
        settings, tmp_path, caplog):
    settings.TURN_URLS = ["turn:10.0.0.5:3478?transport=udp"]
    settings.TURN_SECRET = ""
    settings.TURN_SECRET_FILE = str(tmp_path / "missing")
    assert turn.from_django() is None
    assert "TURN is configured but unusable" in caplog.text


def test_the_embedded_coturn_shares_its_generated_secret_with_the_web(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.TURN_EMBEDDED = True
    settings.TURN_SECRET = settings.TURN_SECRET_FILE = ""
    settings.TURN_URLS = ["turn:127.0.0.1:3478?transport=udp"]
    web = turn.from_django()
    server = coturn.settings_from_django()
    assert web is not None and web.secret == server.secret and len(server.secret) >= 32
    assert stat.S_IMODE((tmp_path / "turn" / "secret").stat().st_mode) == 0o600


def make(tmp_path: Path, **overrides) -> CoturnSettings:
    return CoturnSettings(**{"conf_dir": tmp_path / "conf", "secret": SECRET, **overrides})


def test_the_coturn_configuration_only_allows_time_limited_credentials(tmp_path):
    path = coturn.write_config(make(tmp_path, listening_ips=("203.0.113.7",),
                                    allowed_peer_ips=("10.0.0.8",)))
    lines = path.read_text().splitlines()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds the secret
    for line in ("use-auth-secret", f"static-auth-secret={SECRET}", "listening-port=3478",
                 "listening-ip=203.0.113.7", "no-cli", "no-multicast-peers", "no-tls",
                 "denied-peer-ip=10.0.0.0-10.255.255.255", "allowed-peer-ip=10.0.0.8"):
        assert line in lines
    assert not any(line.startswith(("user=", "lt-cred-mech")) for line in lines)
    assert "allow-loopback-peers" not in lines


def test_tls_is_configured_only_with_a_certificate_and_its_key(tmp_path):
    lines = coturn.config_text(make(tmp_path, tls_port=443, cert_file="/etc/ssl/turn.pem",
                                    key_file="/etc/ssl/turn.key")).splitlines()
    assert {"tls-listening-port=443", "cert=/etc/ssl/turn.pem",
            "pkey=/etc/ssl/turn.key"} <= set(lines)
    assert "no-tls" not in lines
    with pytest.raises(ValueError, match="both a certificate and its key"):
        make(tmp_path, cert_file="/etc/ssl/turn.pem")


@pytest.mark.parametrize("overrides", [
    {"secret": "short"}, {"relay_ports": "80-90"}, {"realm": "a\nuser=x:y"},
    {"listening_ips": ("1.2.3.4 #",)},
])
def test_values_that_would_inject_configuration_are_refused(tmp_path, overrides):
    with pytest.raises(ValueError):
        make(tmp_path, **overrides)


def test_serve_starts_and_supervises_coturn_when_embedded(settings, tmp_path, monkeypatch):
    from tiepdan.ops.management.commands import serve

    settings.VAR_DIR = tmp_path
    settings.TURN_EMBEDDED = True
    settings.TURN_SECRET = settings.TURN_SECRET_FILE = ""
    started = []
    monkeypatch.setattr(serve.Supervisor, "run",
                        lambda self: started.extend(s.name for s in self.services))
    if coturn.coturn_binary(coturn.settings_from_django()) is None:
        pytest.skip("coturn is not installed: run `sudo scripts/ensure-media-packages`")
    serve.Command().handle(host="127.0.0.1", port=8280, workers=None, no_worker=True,
                           no_janus=True, role="media")
    assert started == ["coturn"]
    # Without TURN_EMBEDDED the media role leaves coturn to its own unit (docs/deploy.md).
    settings.TURN_EMBEDDED = False
    started.clear()
    serve.Command().handle(host="127.0.0.1", port=8280, workers=None, no_worker=True,
                           no_janus=False, role="media")
    assert "coturn" not in started


# -- A real coturn, as `tiepdan serve` starts it ----------------------------------------------

def free_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def real_coturn(tmp_path_factory):
    import shutil

    if shutil.which("turnserver") is None or shutil.which("turnutils_uclient") is None:
        pytest.skip("coturn is not installed: run `sudo scripts/ensure-media-packages`")
    from tiepdan.media import stun

    base = tmp_path_factory.mktemp("coturn")
    settings = CoturnSettings(conf_dir=base / "conf", secret=SECRET, listening_ips=("127.0.0.1",),
                              port=free_udp_port(), relay_ports="49400-49420",
                              log_file=base / "turnserver.log",
                              allow_loopback_peers=True)  # the test client's peer is local
    service = coturn_service(settings)
    service.start()  # what the supervisor calls, restarts included: writes the config first
    deadline = time.monotonic() + 10
    while True:
        try:
            stun.ping("127.0.0.1", settings.port, 0.3)
            break
        except stun.StunError:
            assert service.alive() and time.monotonic() < deadline, "coturn did not start"
    yield settings
    service.stop()


def allocate(settings: CoturnSettings, username: str, password: str) -> int:
    """A TURN allocation with coturn's own test client, data sent through the relay."""
    import subprocess

    return subprocess.run(  # noqa: S603
        ["turnutils_uclient", "-u", username, "-w", password, "-p", str(settings.port),  # noqa: S607
         "-n", "3", "-y", "-c", "-X", "127.0.0.1"],
        capture_output=True, timeout=30, check=False).returncode


def test_coturn_relays_with_a_fresh_credential_and_refuses_expired_or_forged_ones(real_coturn):
    assert allocate(real_coturn, *turn.credential(SECRET, "h1.p1", 600)) == 0
    expired = turn.credential(SECRET, "h1.p1", 60, now=time.time() - 120)
    assert allocate(real_coturn, *expired) != 0
    forged = turn.credential("another-secret-entirely", "h1.p1", 600)
    assert allocate(real_coturn, *forged) != 0
    # The password alone does not open a session for another member or a later expiry.
    username, password = turn.credential(SECRET, "h1.p1", 600)
    assert allocate(real_coturn, username.replace("h1.p1", "h1.p2"), password) != 0
