"""Readiness: does each part the product depends on answer right now?

``/readyz`` (for load balancers and monitoring) runs every check that applies to this
deployment: the database, Redis (``REDIS_URL``), file storage (through Django's storage API, so
local files or an object store alike), each Janus node the app drives (its ``info`` request) and
coturn (``TURN_SERVER``: one STUN binding request over UDP).  Each check has a short timeout, so a
dead part makes the probe fail fast instead of hanging the load balancer.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections

from tiepdan.media import janus_nodes as nodes
from tiepdan.media import stun
from tiepdan.media.models import JanusNode
from tiepdan.media.room_service import janus_settings


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    seconds: float
    error: str = ""

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "status": "ok" if self.ok else "fail",
            "seconds": round(self.seconds, 4),
        }
        if self.error:
            data["error"] = self.error
        return data


def _timeout() -> float:
    return float(getattr(settings, "READYZ_TIMEOUT", 2))


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=_timeout(), socket_connect_timeout=_timeout()
    )
    try:
        client.ping()
    finally:
        client.close()


def check_storage() -> None:
    """Write, read back and delete a small file where uploads, documents and recordings go."""
    from django.core.files.storage import default_storage

    payload = secrets.token_hex(8).encode()
    name = default_storage.save(f"readyz/{secrets.token_hex(8)}.probe", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != payload:
                raise OSError("the file read back differs from the file written")
    finally:
        default_storage.delete(name)


def janus_nodes() -> list[tuple[str, str, str | None]]:
    """(name, API URL, API secret) of every enabled Janus node rooms are placed on
    (``media.janus_nodes``); the embedded one alone when the database cannot say (its own
    check then fails the probe)."""
    from django.db import DatabaseError

    try:
        nodes.ensure_embedded_node()
        registered = list(JanusNode.objects.filter(enabled=True))
    except DatabaseError:
        embedded = janus_settings()
        return [(f"janus:{embedded.api_url}", embedded.api_url, embedded.api_secret)]
    found = []
    for node in registered:
        try:
            secret = nodes.endpoint(node).api_secret
        except nodes.NodeSecretsMissing:
            secret = None  # Janus then refuses the request: the node is reported not ready
        found.append((f"janus:{node.api_url.rstrip('/')}", node.api_url.rstrip("/"), secret))
    return found


def janus_info(api_url: str, api_secret: str | None) -> None:
    """POST Janus's ``info`` request; it must answer ``server_info``."""
    body = {"janus": "info", "transaction": secrets.token_hex(6)}
    if api_secret:
        body["apisecret"] = api_secret
    request = urllib.request.Request(  # noqa: S310 - the configured Janus URL (http)
        api_url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310
            reply = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise OSError(f"no answer from {api_url}: {exc}") from exc
    if reply.get("janus") != "server_info":
        raise OSError(f"{api_url} answered {reply.get('janus')!r}, not server_info")


def _janus_admin(admin_url: str, admin_secret: str, request: str) -> dict:
    body = {"janus": request, "transaction": secrets.token_hex(6), "admin_secret": admin_secret}
    post = urllib.request.Request(  # noqa: S310 - the configured Janus admin URL (http)
        admin_url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(post, timeout=_timeout()) as response:  # noqa: S310
        reply = json.loads(response.read())
    if reply.get("janus") != "success":
        raise OSError(f"{admin_url} refused {request}: {reply.get('error')}")
    return reply


def janus_sessions() -> list[tuple[str, int | None]]:
    """(node name, open Janus sessions — one per connected browser and per app control
    session — or None when the node does not answer) of every node, from its admin API."""
    node = janus_settings()
    try:
        reply = _janus_admin(node.admin_url, node.admin_secret, "list_sessions")
    except (OSError, ValueError):
        return [(node.api_url, None)]
    return [(node.api_url, len(reply.get("sessions") or []))]


def check_turn() -> None:
    host, port = stun.parse_address(settings.TURN_SERVER)
    stun.ping(host, port, timeout=_timeout())


def checks() -> list[tuple[str, Callable[[], None]]]:
    """The checks that apply to this deployment, by name."""
    found: list[tuple[str, Callable[[], None]]] = [("database", check_database)]
    if settings.REDIS_URL:
        found.append(("redis", check_redis))
    found.append(("storage", check_storage))
    if getattr(settings, "READYZ_JANUS", True):
        for name, url, secret in janus_nodes():
            found.append((name, partial(janus_info, url, secret)))
    if getattr(settings, "TURN_SERVER", ""):
        found.append((f"turn:{settings.TURN_SERVER}", check_turn))
    return found


def run_check(name: str, check: Callable[[], None]) -> CheckResult:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure makes the part "not ready"
        return CheckResult(
            name, False, time.perf_counter() - started, f"{type(exc).__name__}: {exc}"[:500]
        )
    return CheckResult(name, True, time.perf_counter() - started)


def readiness() -> list[CheckResult]:
    return [run_check(name, check) for name, check in checks()]
