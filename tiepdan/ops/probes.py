"""``/healthz``, ``/readyz`` and ``/metrics``, answered before any other middleware.

Load balancers and Prometheus call them by IP address, over plain HTTP, without cookies: they
must not meet ALLOWED_HOSTS (a 400 for an unknown Host), the HTTPS redirect, sessions, CSRF,
the language redirect or the staff session limits.  So this middleware, first in the stack,
answers them itself and never calls the rest (nor ``request.get_host()``).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from tiepdan.core.client_address import client_address, parse_networks

from . import health
from .metrics import exposition

HEALTHZ, READYZ, METRICS = "/healthz", "/readyz", "/metrics"


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up and answers; touches nothing else."""
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request: HttpRequest) -> HttpResponse:
    started = time.perf_counter()
    results = health.readiness()
    ready = all(result.ok for result in results)
    body = {
        "status": "ok" if ready else "fail",
        "seconds": round(time.perf_counter() - started, 4),
        "checks": {result.name: result.as_json() for result in results},
        "failed": [result.name for result in results if not result.ok],
    }
    return JsonResponse(body, status=200 if ready else 503, headers={"Cache-Control": "no-store"})


def may_scrape(request: HttpRequest) -> bool:
    """Only a configured scraper: its address (``METRICS_ALLOWED_ADDRESSES``, the client address
    of tiepdan.core.client_address) or its bearer token (``METRICS_TOKEN``)."""
    token = getattr(settings, "METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    allowed = parse_networks(getattr(settings, "METRICS_ALLOWED_ADDRESSES", ()))
    if not allowed:
        return False
    from ipaddress import ip_address

    try:
        address = ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in allowed)


def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return JsonResponse(
            {
                "code": "forbidden",
                "message": _("Không được phép đọc số liệu giám sát từ địa chỉ này."),
            },
            status=403,
        )
    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type, headers={"Cache-Control": "no-store"})


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    HEALTHZ: healthz,
    READYZ: readyz,
    METRICS: metrics,
}


class ProbesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse(
                {"code": "method_not_allowed", "message": _("Địa chỉ này chỉ nhận yêu cầu GET.")},
                status=405,
                headers={"Allow": "GET, HEAD"},
            )
        return probe(request)
