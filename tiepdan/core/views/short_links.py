"""``/s/<token>``: the short personal link of an SMS opens the full personal page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..errors import NotFound
from ..short_links import resolve
from ..throttling import over_limit
from .errors import too_many_requests


@require_GET
def open_short_link(request: HttpRequest, value: str) -> HttpResponse:
    try:
        path = resolve(value)
    except NotFound as exc:
        # Only misses count: a citizen opening their own link again and again (behind a
        # carrier's shared address) is never held back; someone trying links is.
        wait = over_limit(request, "short_link_miss", settings.LOOKUP_PAGE_RATE)
        if wait is not None:
            return too_many_requests(request, wait)
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
