"""``/s/<token>``: the short personal link of an SMS opens the full personal page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..errors import NotFound
from ..short_links import resolve


@require_GET
def open_short_link(request: HttpRequest, value: str) -> HttpResponse:
    try:
        path = resolve(value)
    except NotFound as exc:
        response: HttpResponse = render(
            request,
            "error.html",
            {"title": _("Không mở được đường dẫn"), "text": exc.message},
            status=404,
        )
    else:
        response = HttpResponseRedirect(path)
    # The link is personal: no shared cache keeps it, no other site learns it.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
