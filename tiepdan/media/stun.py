"""A STUN binding request (RFC 5389 §6), enough to see that a STUN/TURN server (coturn) answers.

Django-free on purpose."""

from __future__ import annotations

import os
import socket
import struct

MAGIC_COOKIE = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_SUCCESS = 0x0101


class StunError(Exception):
    pass


def binding_request(transaction_id: bytes) -> bytes:
    return struct.pack("!HHI", BINDING_REQUEST, 0, MAGIC_COOKIE) + transaction_id


def check_binding_response(data: bytes, transaction_id: bytes) -> None:
    """Raise :class:`StunError` unless ``data`` is the success answer to our request."""
    if len(data) < 20:
        raise StunError(f"short STUN answer ({len(data)} bytes)")
    kind, _length, cookie = struct.unpack("!HHI", data[:8])
    if cookie != MAGIC_COOKIE or data[8:20] != transaction_id:
        raise StunError("the answer is not STUN or not for our request")
    if kind != BINDING_SUCCESS:
        raise StunError(f"STUN error answer (message type 0x{kind:04x})")


def parse_address(value: str, default_port: int = 3478) -> tuple[str, int]:
    """``"turn.example.vn"``, ``"10.0.0.5:3478"``, ``"[2001:db8::1]:3478"`` → (host, port)."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.removeprefix(":") or str(default_port)
    elif value.count(":") == 1:
        host, port = value.split(":")
    else:
        host, port = value, str(default_port)
    if not host or not port.isdigit() or not 0 < int(port) <= 65535:
        raise ValueError(f"not a host[:port]: {value!r}")
    return host, int(port)


def ping(host: str, port: int, timeout: float = 2.0) -> None:
    """Send one binding request over UDP and wait for its success answer."""
    transaction_id = os.urandom(12)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.sendto(binding_request(transaction_id), (host, port))
            data, _ = sock.recvfrom(2048)
        except OSError as exc:  # timeout, refused (ICMP port unreachable), no route
            raise StunError(
                f"no STUN answer from {host}:{port}: {exc or type(exc).__name__}"
            ) from exc
    check_binding_response(data, transaction_id)
