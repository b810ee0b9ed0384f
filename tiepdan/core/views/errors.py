"""Error pages in Vietnamese and API errors in JSON; never a bare server error or a trace.

Django calls these handlers for what no view turned into a response (middleware included); under
``/api/`` they answer in the API's JSON shape ``{"code", "message", "errors"}``.  A database that
is down is a 503 with ``Retry-After``, rendered without touching the database again (no session,
no messages).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
DATABASE_RETRY_AFTER = 5  # seconds; a restarting PostgreSQL is back within that


def database_is_down(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def json_error(status: int, code: str, message: str, errors=None) -> JsonResponse:
    body: dict = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def database_unavailable(request: HttpRequest) -> HttpResponse:
    message = _("Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít "
                "giây.")
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = json_error(503, "database_unavailable", message)
    else:
        response = HttpResponse(render_to_string("error.html", {
            "title": _("Hệ thống đang bận"), "text": message}), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def _page(request: HttpRequest, status: int, title: str, text: str, code: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return json_error(status, code, title)
    return render(request, "error.html", {"title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("Yêu cầu không hợp lệ"), _("Vui lòng kiểm tra lại và thử lại."),
                 "bad_request")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Không có quyền truy cập"),
                 _("Tài khoản của bạn không được phép xem nội dung này."), "forbidden")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Địa chỉ không tồn tại hoặc đã bị thay đổi."), "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block: the exception is the one being handled.
    if database_is_down(sys.exc_info()[1]):
        return database_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return json_error(500, "server_error", _("Hệ thống gặp sự cố. Vui lòng thử lại sau ít "
                                                 "phút."))
    return HttpResponse(render_to_string("error.html", {
        "title": _("Hệ thống gặp sự cố"),
        "text": _("Dữ liệu của bạn chưa bị mất. Vui lòng thử lại sau ít phút.")}), status=500)


def too_many_requests(request: HttpRequest, wait: float) -> HttpResponse:
    """The page for a client over a rate limit (see :mod:`tiepdan.core.throttling`)."""
    response = _page(request, 429, _("Bạn gửi quá nhiều yêu cầu"),
                     _("Vui lòng đợi ít phút rồi thử lại."), "rate_limited")
    response["Retry-After"] = str(int(wait) + 1)
    return response
