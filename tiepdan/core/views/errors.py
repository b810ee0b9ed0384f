"""Error pages in Vietnamese; never a bare server error."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "error.html", {"title": title, "text": text}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, _("Yêu cầu không hợp lệ"), _("Vui lòng kiểm tra lại và thử lại."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, _("Không có quyền truy cập"),
                 _("Tài khoản của bạn không được phép xem nội dung này."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, _("Không tìm thấy trang"),
                 _("Địa chỉ không tồn tại hoặc đã bị thay đổi."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, _("Hệ thống gặp sự cố"),
                 _("Dữ liệu của bạn chưa bị mất. Vui lòng thử lại sau ít phút."))


def too_many_requests(request: HttpRequest, wait: float) -> HttpResponse:
    """The page for a client over a rate limit (see :mod:`tiepdan.core.throttling`)."""
    response = _page(request, 429, _("Bạn gửi quá nhiều yêu cầu"),
                     _("Vui lòng đợi ít phút rồi thử lại."))
    response["Retry-After"] = str(int(wait) + 1)
    return response
