"""Django's JavaScript catalogue (domain ``djangojs``): the strings of the room, readiness and
registration scripts, served by the product at ``/i18n/js/?lang=<code>``.

The language is in the URL (every page asks for its own language, see ``base.html``), so one URL
is always one catalogue: the server caches it a day and a browser may keep it without mixing
languages after a switch.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

CACHE_SECONDS = 24 * 3600


class Catalogue(JavaScriptCatalog):
    # Our catalogue is in LOCALE_PATHS, which Django always adds; naming one of our apps keeps
    # the admin's and other packages' script strings out.
    packages = ["tiepdan.core"]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        wanted = request.GET.get("lang", "")
        language = wanted if wanted in dict(settings.LANGUAGES) else translation.get_language()
        with translation.override(language):
            return super().get(request, *args, **kwargs)


javascript_catalogue = cache_page(CACHE_SECONDS)(Catalogue.as_view())
