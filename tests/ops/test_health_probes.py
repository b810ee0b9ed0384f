"""/healthz and /readyz for load balancers: answered whatever the Host header, over plain HTTP,
without a session; /readyz names each part and its time, and fails (503) naming the part that
does not answer — checked against the real database, Redis, files, Janus and coturn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tiepdan.media import room_service
from tiepdan.media.janus_process import JanusProcess

pytestmark = pytest.mark.django_db

PROBE_HOST = "10.1.2.3"  # a load balancer calls the backend by address, not by ALLOWED_HOSTS


@pytest.fixture
def strict_production(settings):
    settings.ALLOWED_HOSTS = ["tiepdan.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""
    settings.TURN_SERVER = ""


@pytest.fixture
def real_janus(janus: JanusProcess):
    room_service.use_janus_settings(janus.settings)
    yield janus.settings
    room_service.use_janus_settings(None)


def test_healthz_answers_without_host_check_redirect_session_or_database(
    client, strict_production, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_readyz_is_ready_when_every_part_answers(
    client, settings, strict_production, real_janus, coturn
):
    settings.REDIS_URL = "redis://127.0.0.1:6379/6"
    settings.TURN_SERVER = coturn
    response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert set(body["checks"]) == {
        "database",
        "redis",
        "storage",
        f"janus:{real_janus.api_url}",
        f"turn:{coturn}",
    }
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert 0 <= check["seconds"] < 2
    assert not response.cookies


def test_readyz_fails_naming_a_janus_nobody_listens_on(
    client, settings, strict_production, make_janus_settings, dead_port
):
    dead = make_janus_settings(http_port=dead_port)
    room_service.use_janus_settings(dead)
    try:
        response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    finally:
        room_service.use_janus_settings(None)
    assert response.status_code == 503
    body = response.json()
    name = f"janus:http://127.0.0.1:{dead_port}/janus"
    assert body["status"] == "fail"
    assert body["failed"] == [name]
    assert body["checks"][name]["status"] == "fail"
    assert str(dead_port) in body["checks"][name]["error"]
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_fails_naming_a_turn_server_that_does_not_answer(
    client, settings, strict_production, dead_port
):
    settings.READYZ_JANUS = False
    settings.TURN_SERVER = f"127.0.0.1:{dead_port}"
    settings.READYZ_TIMEOUT = 0.5
    response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["failed"] == [f"turn:127.0.0.1:{dead_port}"]


def test_readyz_fails_when_redis_does_not_answer(client, settings, strict_production, dead_port):
    settings.READYZ_JANUS = False
    settings.REDIS_URL = f"redis://127.0.0.1:{dead_port}/6"
    response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["failed"] == ["redis"]


def test_readyz_fails_when_files_cannot_be_written(
    client, settings, strict_production, tmp_path: Path
):
    settings.READYZ_JANUS = False
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the files directory should be")
    settings.MEDIA_ROOT = str(blocker / "files")
    response = client.get("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 503
    assert response.json()["failed"] == ["storage"]


def test_readyz_leaves_no_probe_file_behind(client, settings, strict_production):
    settings.READYZ_JANUS = False
    assert client.get("/readyz", HTTP_HOST=PROBE_HOST).status_code == 200
    probes = Path(settings.MEDIA_ROOT) / "readyz"
    assert not probes.exists() or not any(probes.iterdir())


def test_probes_refuse_other_methods(client, strict_production):
    response = client.post("/readyz", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 405
