"""Rate limits per client address (django-ninja's throttle over the Django cache), for the API
and for the public pages alike."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle

from .client_address import client_address


class ClientThrottle(AnonRateThrottle):
    """Per client address (see :mod:`tiepdan.core.client_address`), one counter per ``scope``."""

    def __init__(self, scope: str, rate: str) -> None:
        self.scope = scope
        super().__init__(rate)

    def get_ident(self, request: HttpRequest) -> str:
        return client_address(request)


def over_limit(request: HttpRequest, scope: str, rate: str) -> float | None:
    """Count one request of ``scope`` for the client; the seconds to wait if it is over
    ``rate`` ("30/m"), else ``None``."""
    throttle = ClientThrottle(scope, rate)
    if throttle.allow_request(request):
        return None
    return throttle.wait() or 1.0
