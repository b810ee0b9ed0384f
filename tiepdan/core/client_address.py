"""The client's address, derived in one place for throttles, lock-out, the audit trail and logs.

uvicorn runs without proxy headers, so ``REMOTE_ADDR`` (ASGI ``client``) is always the TCP peer.
Only when that peer is one of ``settings.TRUSTED_PROXIES`` is ``X-Forwarded-For`` consulted, and
then the right-most entry that is not itself a trusted proxy is the client: everything to its left
was written by the client and can be forged.  No trusted proxy (the default) means the header is
ignored entirely.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.deprecation import MiddlewareMixin

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104  (a key for a peer without an address, never bound)


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.1", "192.168.0.0/16"]`` → networks; raises ``ValueError`` on a bad entry."""
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


@lru_cache(maxsize=8)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(values)


def _trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:5123"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(peer: str | None) -> bool:
    address = _ip(peer or "")
    return address is not None and any(address in net for net in _trusted_networks())


def resolve(peer: str | None, forwarded_for: str | None) -> str:
    """The client's address from the TCP peer and the ``X-Forwarded-For`` header."""
    address = _ip(peer or "")
    if address is None:
        return UNKNOWN
    networks = _trusted_networks()
    if not forwarded_for or not any(address in net for net in networks):
        return str(address)
    for entry in reversed(forwarded_for.split(",")):
        hop = _ip(entry)
        if hop is None:
            # A garbled hop: stop at the last address a trusted proxy vouched for.
            break
        address = hop
        if not any(hop in net for net in networks):
            break
    return str(address)


def client_address(request: HttpRequest) -> str:
    """The address of the client of ``request`` (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    cached = getattr(request, "_tiepdan_client_address", None)
    if cached is None:
        cached = resolve(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"))
        # A per-request memo on the request itself (HttpRequest declares no such field).
        request._tiepdan_client_address = cached  # type: ignore[attr-defined]
    return cached


def scope_client_address(scope: dict) -> str:
    """The same for an ASGI scope (WebSocket consumers, ASGI middleware)."""
    client = scope.get("client") or (None, None)
    forwarded = None
    for name, value in scope.get("headers") or ():
        if name == b"x-forwarded-for":
            forwarded = value.decode("latin-1") if forwarded is None else (
                forwarded + "," + value.decode("latin-1"))
    return resolve(client[0], forwarded)


class ForwardedHeadersMiddleware(MiddlewareMixin):
    """Drops ``X-Forwarded-*`` headers that did not come from a trusted proxy, so Django's
    ``SECURE_PROXY_SSL_HEADER`` (HTTPS detection) is honoured only from a trusted proxy."""

    _HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")

    def process_request(self, request: HttpRequest) -> None:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in self._HEADERS:
                request.META.pop(header, None)
