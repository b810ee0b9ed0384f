"""Every HTTP request gets a request id (logs, jobs, the ``X-Request-ID`` answer header) and is
counted in the metrics by its route — the URL's name, never the raw path, so ``/ho-so/123/``
and ``/ho-so/124/`` are one series."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tiepdan.core.client_address import is_trusted_proxy

from . import metrics
from .context import acceptable, new_request_id, request_id_context

UNMATCHED = "<unmatched>"


def request_id_for(request: HttpRequest) -> str:
    """The proxy's ``X-Request-ID`` when the peer is a trusted proxy (one id across nginx's
    log and ours); anyone else's is their own claim and replaced."""
    offered = request.META.get("HTTP_X_REQUEST_ID")
    if acceptable(offered) and is_trusted_proxy(request.META.get("REMOTE_ADDR")):
        # acceptable() refused None; the stub cannot narrow through it.
        return offered  # type: ignore[return-value]
    return new_request_id()


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name or match.route or UNMATCHED


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        # Our attribute on the request (HttpRequest declares no such field).
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with request_id_context(request_id):
            response = self.get_response(request)
        route = route_of(request)
        method = request.method if request.method in _METHODS else "other"
        metrics.REQUESTS.labels(route=route, method=method, status=str(response.status_code)).inc()
        metrics.REQUEST_SECONDS.labels(route=route, method=method).observe(
            time.perf_counter() - started
        )
        response["X-Request-ID"] = request_id
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
