"""The citizen's one status page, reached from the personal link in every message (or through
the tracking code + phone lookup), and the receipt PDF downloaded from it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tiepdan.core import audit
from tiepdan.core.errors import NotFound

from ..models import Matter
from ..registration.receipt_pdf import receipt_pdf as render_receipt_pdf
from ..status import matter_from_status_token, status_page_context


def render_status(request: HttpRequest, matter: Matter) -> HttpResponse:
    response = render(request, "intake/status.html", status_page_context(matter))
    response["Cache-Control"] = "private, no-store"
    # The personal link never leaves for another site; not "no-referrer", under which browsers
    # send "Origin: null" with the page's own forms (the language switcher): a CSRF failure.
    response["Referrer-Policy"] = "same-origin"
    return response


def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return render(request, "error.html", {"title": _("Không tìm thấy hồ sơ"),
                                          "text": exc.message}, status=404)


@require_GET
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        matter = matter_from_status_token(token)
    except NotFound as exc:
        return _not_found(request, exc)
    return render_status(request, matter)


@require_GET
def receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    try:
        matter = matter_from_status_token(token)
    except NotFound as exc:
        return _not_found(request, exc)
    pdf = render_receipt_pdf(matter)
    audit.record("intake.receipt.downloaded", matter, actor=None, commune=matter.commune,
                 request=request, data={"tracking_code": matter.tracking_code})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="bien-nhan-{matter.tracking_code}.pdf"')
    response["Cache-Control"] = "private, no-store"
    return response
