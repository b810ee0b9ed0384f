"""The Janus nodes the app drives: their endpoints and secrets, the embedded node seeded from
settings, and their health (``info`` on the Janus API, ``list_sessions`` and the videoroom's
room list on the admin API).

Every node is driven over its own API with its own secrets (:func:`endpoint`); a room is
placed on one of them by :mod:`media.placement`.
"""

from __future__ import annotations

import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from django.utils import timezone

from tiepdan.core.errors import InvalidInput

from . import room_service
from .janus_client import VIDEOROOM
from .models import JanusNode

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 2.0


class NodeSecretsMissing(Exception):
    """A node's ``secrets_ref`` names nothing readable."""


@dataclass(frozen=True)
class NodeEndpoint:
    """What a client of one node needs (the attributes ``MediaRelay.open`` reads)."""

    name: str
    api_url: str
    admin_url: str
    api_secret: str | None
    admin_secret: str
    room_admin_key: str | None


def _embedded_settings() -> Any:
    return room_service.janus_settings()


def ensure_embedded_node() -> JanusNode | None:
    """The node of the Janus ``tiepdan serve`` runs, kept in step with the settings (tests
    point the app at their own Janus); None when the deployment has turned it off
    (``JANUS_EMBEDDED_NODE=false``: only registered nodes)."""
    from django.conf import settings

    if not getattr(settings, "JANUS_EMBEDDED_NODE", True):
        return None
    janus = _embedded_settings()
    wanted = {
        "api_url": janus.api_url,
        "admin_url": janus.admin_url,
        "secrets_ref": JanusNode.EMBEDDED,
    }
    node, created = JanusNode.objects.get_or_create(
        name=JanusNode.EMBEDDED,
        defaults={**wanted, "capacity_rooms": getattr(settings, "JANUS_EMBEDDED_CAPACITY", 20)},
    )
    if not created and any(getattr(node, k) != v for k, v in wanted.items()):
        JanusNode.objects.filter(pk=node.pk).update(**wanted)
        for key, value in wanted.items():
            setattr(node, key, value)
    return node


def endpoint(node: JanusNode) -> NodeEndpoint:
    """The node's URLs and secrets, read from where ``secrets_ref`` says."""
    if node.secrets_ref == JanusNode.EMBEDDED:
        janus = _embedded_settings()
        api_secret, admin_secret, room_key = (
            janus.api_secret,
            janus.admin_secret,
            janus.room_admin_key,
        )
    elif node.secrets_ref.startswith("file:"):
        try:
            data = json.loads(Path(node.secrets_ref[5:]).read_text(encoding="utf-8"))
            api_secret, admin_secret = data.get("api_secret"), data["admin_secret"]
            room_key = data.get("room_admin_key")
        except (OSError, ValueError, KeyError) as exc:
            raise NodeSecretsMissing(f"{node.name}: {exc}") from exc
    else:
        raise NodeSecretsMissing(f"{node.name}: unknown secrets reference")
    return NodeEndpoint(
        node.name,
        node.api_url.rstrip("/"),
        node.admin_url.rstrip("/"),
        api_secret,
        admin_secret,
        room_key,
    )


# -- Health -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    healthy: bool
    sessions: int = 0
    janus_rooms: int = 0
    error: str = ""


def _post(url: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - a registered node's URL
        url,
        data=json.dumps({**body, "transaction": secrets.token_hex(6)}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        reply = json.loads(response.read())
    if reply.get("janus") == "error":
        raise OSError(reply.get("error", {}).get("reason", "Janus error"))
    return reply


def check(node: JanusNode, timeout: float = PROBE_TIMEOUT) -> Health:
    """Ask the node: its API answers ``info``; its admin API lists the sessions and the
    videoroom's rooms (the load)."""
    try:
        where = endpoint(node)
        info = _post(
            where.api_url,
            {"janus": "info", **({"apisecret": where.api_secret} if where.api_secret else {})},
            timeout,
        )
        if info.get("janus") != "server_info":
            raise OSError(f"answered {info.get('janus')!r}, not server_info")
        admin = {"admin_secret": where.admin_secret}
        sessions = _post(where.admin_url, {"janus": "list_sessions", **admin}, timeout)
        rooms = _post(
            where.admin_url,
            {
                "janus": "message_plugin",
                "plugin": VIDEOROOM,
                **admin,
                "request": {
                    "request": "list",
                    **({"admin_key": where.room_admin_key} if where.room_admin_key else {}),
                },
            },
            timeout,
        )
    except (NodeSecretsMissing, urllib.error.URLError, OSError, ValueError) as exc:
        return Health(False, error=str(exc)[:300])
    room_list = rooms.get("response", {}).get("list", [])
    return Health(True, sessions=len(sessions.get("sessions", [])), janus_rooms=len(room_list))


def record(node: JanusNode, health: Health) -> None:
    now = timezone.now()
    values: dict[str, Any] = {
        "healthy": health.healthy,
        "last_checked": now,
        "last_error": health.error,
    }
    if health.healthy:
        values.update(last_seen=now, sessions=health.sessions, janus_rooms=health.janus_rooms)
    JanusNode.objects.filter(pk=node.pk).update(**values)
    if node.healthy != health.healthy:
        log.log(
            logging.INFO if health.healthy else logging.ERROR,
            "Janus node %s is %s%s",
            node.name,
            "up" if health.healthy else "down",
            f": {health.error}" if health.error else "",
        )


def check_all() -> dict[str, bool]:
    """Every enabled node checked and its health stored (the periodic job)."""
    ensure_embedded_node()
    found = {}
    for node in JanusNode.objects.filter(enabled=True):
        health = check(node)
        record(node, health)
        found[node.name] = health.healthy
    return found


def mark_down(node_pk: int, error: str) -> None:
    """A node that did not answer placement's probe: skipped until the next check finds it
    up again."""
    JanusNode.objects.filter(pk=node_pk).update(
        healthy=False, last_checked=timezone.now(), last_error=error[:300]
    )


def mark_up(node_pk: int) -> None:
    now = timezone.now()
    JanusNode.objects.filter(pk=node_pk).update(
        healthy=True, last_checked=now, last_seen=now, last_error=""
    )


async def answers(where: NodeEndpoint, timeout: float = PROBE_TIMEOUT) -> bool:
    """Does the node's Janus API answer ``info`` right now (placement's quick probe)?"""
    body: dict[str, Any] = {"janus": "info", "transaction": secrets.token_hex(6)}
    if where.api_secret:
        body["apisecret"] = where.api_secret
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as http,
            http.post(where.api_url, json=body) as response,
        ):
            reply = await response.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError):
        return False
    return isinstance(reply, dict) and reply.get("janus") == "server_info"


# -- Registering --------------------------------------------------------------------------------


def register(
    name: str, api_url: str, admin_url: str, secrets_file: Path, capacity_rooms: int
) -> JanusNode:
    """Register a node (``tiepdan janusnodes add``): its secrets stay in ``secrets_file``
    (JSON: api_secret, admin_secret, room_admin_key), readable by the web and worker
    processes; the database only names the file."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator
    from django.utils.translation import gettext as _

    if not name or len(name) > 60 or name == JanusNode.EMBEDDED:
        raise InvalidInput(_("Tên máy chủ truyền hình không hợp lệ."))
    if JanusNode.objects.filter(name=name).exists():
        raise InvalidInput(_("Đã có máy chủ truyền hình tên này."))
    for url in (api_url, admin_url):
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise InvalidInput(_("Địa chỉ không hợp lệ: %(url)s") % {"url": url}) from None
    if capacity_rooms < 1:
        raise InvalidInput(_("Số phòng đồng thời tối đa phải lớn hơn 0."))
    node = JanusNode(
        name=name,
        api_url=api_url,
        admin_url=admin_url,
        secrets_ref=f"file:{secrets_file.resolve()}",
        capacity_rooms=capacity_rooms,
    )
    try:
        endpoint(node)
    except NodeSecretsMissing:
        raise InvalidInput(_("Không đọc được tệp khóa bí mật của máy chủ truyền hình.")) from None
    node.save()
    return node
