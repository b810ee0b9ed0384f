"""Health of the Janus nodes against a real Janus: info on the API, the sessions and the
videoroom's rooms on the admin API; a node that does not answer, or whose secrets are wrong
or missing, is down; the embedded node follows the settings."""

from __future__ import annotations

import asyncio
import json

import pytest

from tiepdan.media import janus_nodes, room_service, tasks
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.models import JanusNode
from tiepdan.media.rooms import room_for_hearing

from .conftest import free_port

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")


def registered(janus, tmp_path, name: str = "node-b", **secrets) -> JanusNode:
    values = {
        "api_secret": janus.settings.api_secret,
        "admin_secret": janus.settings.admin_secret,
        "room_admin_key": janus.settings.room_admin_key,
        **secrets,
    }
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(values))
    return JanusNode.objects.create(
        name=name,
        api_url=janus.settings.api_url,
        admin_url=janus.settings.admin_url,
        secrets_ref=f"file:{path}",
    )


@pytest.mark.django_db
def test_it_reads_the_load_of_a_running_node(janus, tmp_path):
    node = registered(janus, tmp_path)
    room_id, secret = room_for_hearing("health-check")

    async def with_a_room() -> janus_nodes.Health:
        async with JanusSession(janus.settings.api_url, janus.settings.api_secret) as session:
            room = VideoRoom(await session.attach(), janus.settings.room_admin_key)
            await room.create_room(
                room_id, secret, "Health", publishers=2, rec_dir=str(janus.settings.rec_dir)
            )
            try:
                return await asyncio.to_thread(janus_nodes.check, node)
            finally:
                await room.destroy_room(room_id, secret)

    health = asyncio.run(with_a_room())
    assert health.healthy, health.error
    assert health.sessions >= 1
    assert health.janus_rooms >= 1


@pytest.mark.django_db
def test_it_finds_a_node_down_when_nothing_answers(tmp_path, janus):
    node = registered(janus, tmp_path)
    port = free_port()
    JanusNode.objects.filter(pk=node.pk).update(api_url=f"http://127.0.0.1:{port}/janus")
    node.refresh_from_db()
    health = janus_nodes.check(node, timeout=1)
    assert not health.healthy and health.error
    assert not asyncio.run(janus_nodes.answers(janus_nodes.endpoint(node), timeout=1))


@pytest.mark.django_db
@pytest.mark.parametrize("problem", ["wrong-admin-secret", "missing-secrets-file"])
def test_it_finds_a_node_down_when_its_secrets_are_wrong(janus, tmp_path, problem):
    node = registered(janus, tmp_path, admin_secret="not-the-secret")
    if problem == "missing-secrets-file":
        JanusNode.objects.filter(pk=node.pk).update(secrets_ref=f"file:{tmp_path}/none.json")
        node.refresh_from_db()
    health = janus_nodes.check(node)
    assert not health.healthy and health.error


@pytest.mark.django_db
def test_the_periodic_check_stores_health_and_seeds_the_embedded_node(janus, tmp_path):
    dead = registered(janus, tmp_path, name="node-dead")
    JanusNode.objects.filter(pk=dead.pk).update(
        api_url=f"http://127.0.0.1:{free_port()}/janus", healthy=True
    )
    found = tasks.check_janus_nodes.call_local()
    assert found == {"embedded": True, "node-dead": False}
    embedded = JanusNode.objects.get(name=JanusNode.EMBEDDED)
    assert embedded.api_url == room_service.janus_settings().api_url
    assert embedded.healthy and embedded.last_seen is not None
    dead.refresh_from_db()
    assert not dead.healthy and dead.last_error and dead.last_seen is None


@pytest.mark.django_db
def test_the_embedded_node_follows_the_settings(janus, make_janus_settings):
    first = janus_nodes.ensure_embedded_node()
    other = make_janus_settings()
    room_service.use_janus_settings(other)
    try:
        moved = janus_nodes.ensure_embedded_node()
    finally:
        room_service.use_janus_settings(janus.settings)
    assert moved.pk == first.pk
    assert moved.api_url == other.api_url and moved.admin_url == other.admin_url
    assert janus_nodes.endpoint(moved).admin_secret == other.admin_secret


@pytest.mark.django_db
def test_no_embedded_node_when_the_deployment_turns_it_off(settings):
    settings.JANUS_EMBEDDED_NODE = False
    assert janus_nodes.ensure_embedded_node() is None
    assert not JanusNode.objects.exists()
