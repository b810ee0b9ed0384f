"""The generated Janus configuration (no Janus needed)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tiepdan.media.janus_config import (
    JanusSettings,
    load_or_create_secrets,
    render_config,
    settings_from_django,
    write_config,
)


def make(tmp_path: Path, **overrides) -> JanusSettings:
    values = {"conf_dir": tmp_path / "conf", "rec_dir": tmp_path / "rec",
              "admin_secret": "adm", "api_secret": "api", "room_admin_key": "key",
              "http_port": 18088, "admin_port": 17088}
    values.update(overrides)
    return JanusSettings(**values)


def test_it_binds_both_apis_to_loopback_only(tmp_path):
    write_config(make(tmp_path))
    http = (tmp_path / "conf" / "janus.transport.http.jcfg").read_text()
    assert 'ip = "127.0.0.1"' in http
    assert 'admin_ip = "127.0.0.1"' in http
    assert "https = false" in http and "port = 18088" in http and "admin_port = 17088" in http


def test_it_requires_the_secrets(tmp_path):
    write_config(make(tmp_path))
    core = (tmp_path / "conf" / "janus.jcfg").read_text()
    videoroom = (tmp_path / "conf" / "janus.plugin.videoroom.jcfg").read_text()
    assert 'admin_secret = "adm"' in core and 'api_secret = "api"' in core
    assert 'admin_key = "key"' in videoroom


def test_it_disables_every_other_plugin_and_transport(tmp_path):
    write_config(make(tmp_path))
    core = (tmp_path / "conf" / "janus.jcfg").read_text()
    plugins = core.split("plugins: {")[1].split("}")[0]
    transports = core.split("transports: {")[1].split("}")[0]
    assert "libjanus_echotest.so" in plugins and "libjanus_videoroom.so" not in plugins
    assert "libjanus_websockets.so" in transports and "libjanus_http.so" not in transports


def test_it_keeps_the_secrets_private(tmp_path):
    write_config(make(tmp_path))
    assert stat.S_IMODE((tmp_path / "conf").stat().st_mode) == 0o700
    for path in (tmp_path / "conf").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_it_writes_the_ice_options(tmp_path):
    write_config(make(tmp_path, ice_enforce_list="v0", nat_1_1_mapping="203.0.113.7",
                      stun_server="stun.example.org"))
    nat = (tmp_path / "conf" / "janus.jcfg").read_text().split("nat: {")[1].split("}")[0]
    assert 'ice_enforce_list = "v0"' in nat
    assert 'nat_1_1_mapping = "203.0.113.7"' in nat
    assert 'stun_server = "stun.example.org"' in nat


def test_it_lets_janus_record_into_the_rec_dir_even_under_var(tmp_path):
    core = render_config(make(tmp_path, rec_dir=Path("/var/lib/tiepdan/rec")))["janus.jcfg"]
    assert '"/var"' not in core and '"/etc"' in core


def test_it_escapes_quotes_and_rejects_newlines(tmp_path):
    write_config(make(tmp_path, admin_secret='a"b\\c'))
    assert r'admin_secret = "a\"b\\c"' in (tmp_path / "conf" / "janus.jcfg").read_text()
    with pytest.raises(ValueError, match="one line"):
        write_config(make(tmp_path, api_secret="a\nb"))


@pytest.mark.parametrize("bad", ["20000", "30000-20000", "0-10", "1-70000", "a-b"])
def test_it_rejects_a_bad_rtp_port_range(tmp_path, bad):
    with pytest.raises(ValueError, match="rtp_port_range"):
        make(tmp_path, rtp_port_range=bad)


def test_it_keeps_the_deployment_secrets_across_starts(tmp_path):
    first = load_or_create_secrets(tmp_path / "janus" / "secrets.json")
    again = load_or_create_secrets(tmp_path / "janus" / "secrets.json")
    assert first == again
    assert len({first.api_secret, first.admin_secret, first.room_admin_key}) == 3
    assert stat.S_IMODE((tmp_path / "janus" / "secrets.json").stat().st_mode) == 0o600


def test_it_reads_django_settings_with_defaults(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.JANUS_HTTP_PORT = 18188
    janus = settings_from_django()
    assert janus.http_port == 18188 and janus.admin_port == 7088
    assert janus.rec_dir == settings.JANUS_REC_DIR
    assert janus.ice_enforce_list is None
    assert janus.api_secret and janus.admin_secret
    assert janus.command()[1:3] == ["-F", str(tmp_path / "janus" / "conf")]
