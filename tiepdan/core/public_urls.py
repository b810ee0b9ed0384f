"""The product's public address (``SITE_URL``): every absolute link that leaves a page — in
e-mails, SMS, documents and QR codes — is built here, so that one setting decides them all.

``tiepdan serve`` sets ``SITE_URL`` for its children from ``--host``/``--port`` when the
environment gives none (:func:`derived_site_url`), and warns when the configured address does
not answer from the machine itself (:func:`answers`).
"""

from __future__ import annotations

import contextlib
import ipaddress
import urllib.request
from typing import Any

from django.conf import settings
from django.urls import reverse

HEALTH_PATH = "/api/v1/health"


def absolute(path: str) -> str:
    """``path`` (from ``reverse()``, starting with ``/``) on the public address."""
    if not path.startswith("/"):
        raise ValueError(f"an absolute link needs a path starting with '/', not {path!r}")
    return settings.SITE_URL + path


def absolute_reverse(viewname: str, *, args: Any = None, kwargs: Any = None) -> str:
    """``reverse(viewname, ...)`` on the public address."""
    return absolute(reverse(viewname, args=args, kwargs=kwargs))


def derived_site_url(host: str, port: int) -> str:
    """The address of a server started on ``host:port``, as this machine reaches it: a
    wildcard bind (``0.0.0.0``, ``::``) is reached on the loopback address."""
    shown = host.strip() or "127.0.0.1"
    with contextlib.suppress(ValueError):
        address = ipaddress.ip_address(shown.strip("[]"))
        if address.is_unspecified:
            shown = "127.0.0.1" if address.version == 4 else "[::1]"
        elif address.version == 6:
            shown = f"[{address}]"
    return f"http://{shown}:{port}"


def answers(site_url: str, timeout: float = 5.0) -> bool:
    """Whether Tiếp Dân answers at ``site_url`` (its health endpoint returns 200)."""
    url = site_url.rstrip("/") + HEALTH_PATH
    if not url.startswith(("http://", "https://")):
        return False
    request = urllib.request.Request(url, headers={"User-Agent": "tiepdan-serve-check"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (OSError, ValueError):
        return False
