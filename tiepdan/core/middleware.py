"""Middleware of the core: every error under ``/api/`` is JSON in the API's shape."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin

from .views.errors import API_PREFIX, json_error

_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "body_too_large", 429: "rate_limited",
          500: "server_error", 503: "unavailable"}


class ApiJsonErrorsMiddleware(MiddlewareMixin):
    """Turns an error response that is not JSON (Django's CSRF refusal, a 405 from the router,
    anything a library answers in HTML) into ``{"code", "message"}`` for API clients."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (response.status_code < 400 or not request.path.startswith(API_PREFIX)
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        status = response.status_code
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        converted = json_error(status, _CODES.get(status, "http_error"), phrase)
        for header in ("Allow", "Retry-After"):
            if response.has_header(header):
                converted[header] = response[header]
        return converted
