"""The ICE servers a browser is given: coturn with time-limited credentials.

coturn's "TURN REST API" scheme (``use-auth-secret`` + ``static-auth-secret``): the app and
coturn share one secret; for each browser session the app makes a username
``<expiry unix time>:<member key>`` and the password ``base64(HMAC-SHA1(secret, username))``.
coturn recomputes the password from the username and refuses it once the expiry has passed, so
no static TURN password is ever handed out and a leaked credential dies by itself.  A page gets
fresh credentials in every ``welcome`` (a reconnect renews them).

Django-free apart from :func:`from_django` and :func:`embedded_secret`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
MAX_MEMBER_KEY = 100


@dataclass(frozen=True)
class TurnConfig:
    """Where browsers reach coturn and the secret shared with it."""

    urls: tuple[str, ...]
    secret: str
    ttl: int = 43200  # seconds a credential stays valid (a hearing day)

    def __post_init__(self) -> None:
        if not self.urls:
            raise ValueError("TURN needs at least one turn: or turns: URL")
        for url in self.urls:
            if not url.startswith(("turn:", "turns:", "stun:")):
                raise ValueError(f"not a TURN URL (turn:, turns: or stun:): {url!r}")
        if len(self.secret) < 16:
            raise ValueError("the TURN secret must be at least 16 characters")
        if self.ttl < 60:
            raise ValueError("TURN credentials must live at least 60 seconds")


def credential(secret: str, member: str, ttl: int, now: float | None = None
               ) -> tuple[str, str]:
    """``(username, password)`` valid for ``ttl`` seconds from ``now`` for ``member``."""
    if not member or ":" in member or len(member) > MAX_MEMBER_KEY:
        raise ValueError(f"bad member key for a TURN username: {member!r}")
    expiry = int(now if now is not None else time.time()) + ttl
    username = f"{expiry}:{member}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode("ascii")


def ice_servers(config: TurnConfig | None, member: str, now: float | None = None
                ) -> list[dict[str, Any]]:
    """The ``iceServers`` of an ``RTCPeerConnection`` for ``member``: empty without TURN."""
    if config is None:
        return []
    username, password = credential(config.secret, member, config.ttl, now)
    return [{"urls": list(config.urls), "username": username, "credential": password}]


def default_urls(server: str, tls_server: str = "") -> tuple[str, ...]:
    """``turn:`` over UDP and TCP at ``server`` (host[:port]), ``turns:`` (TLS over TCP) at
    ``tls_server`` when one is given (port 443 gets through most firewalls)."""
    urls = [f"turn:{server}?transport=udp", f"turn:{server}?transport=tcp"]
    if tls_server:
        urls.append(f"turns:{tls_server}?transport=tcp")
    return tuple(urls)


def load_or_create_secret(path: Path) -> str:
    """The embedded coturn's secret, generated on first use and kept (0600) at ``path``: the
    web processes and coturn both read it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


def embedded_secret() -> str:
    """The secret of the coturn ``tiepdan serve`` starts itself (TURN_EMBEDDED)."""
    from django.conf import settings

    return load_or_create_secret(Path(settings.VAR_DIR) / "turn" / "secret")


def read_secret(value: str, file: str) -> str:
    """The secret from ``TURN_SECRET`` or, when it is empty, from the file ``TURN_SECRET_FILE``
    (the same file coturn's unit reads, docs/deploy.md)."""
    if value:
        return value
    if file:
        return Path(file).read_text(encoding="utf-8").strip()
    return ""


_cached: tuple[tuple[Any, ...], TurnConfig | None] | None = None


def from_django() -> TurnConfig | None:
    """The deployment's TURN (settings ``TURN_*``), or None when browsers get no TURN."""
    global _cached  # noqa: PLW0603 - the settings are read once per value
    from django.conf import settings

    key = (settings.TURN_URLS, settings.TURN_SECRET, settings.TURN_SECRET_FILE,
           settings.TURN_TTL, settings.TURN_EMBEDDED, str(settings.VAR_DIR))
    if _cached is not None and _cached[0] == key:
        return _cached[1]
    urls = tuple(settings.TURN_URLS)
    config = None
    if urls:
        try:
            secret = read_secret(settings.TURN_SECRET, settings.TURN_SECRET_FILE)
            if not secret and settings.TURN_EMBEDDED:
                secret = embedded_secret()
            config = TurnConfig(urls=urls, secret=secret, ttl=settings.TURN_TTL)
        except (OSError, ValueError) as exc:
            # Browsers still try direct paths; the operator sees why the relay is missing.
            log.error("TURN is configured but unusable, browsers get no relay: %s", exc)
    _cached = (key, config)
    return config


def member_key(hearing_id: int, key: str) -> str:
    """The member part of a TURN username: which hearing and which member (never a name)."""
    return f"h{hearing_id}.{key}"
