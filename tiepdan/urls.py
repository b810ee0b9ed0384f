from django.conf.urls.i18n import i18n_patterns  # noqa: F401  (kept for future prefixed URLs)
from django.contrib import admin
from django.urls import include, path

from .api import api
from .core.views.catalogue import javascript_catalogue
from .core.views.short_links import open_short_link

urlpatterns = [
    path("i18n/js/", javascript_catalogue, name="javascript-catalog"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("can-bo/", include("tiepdan.core.urls")),
    # The short personal link of every SMS (tiepdan.core.short_links).
    path("s/<str:value>", open_short_link, name="short_link"),
    path("", include("tiepdan.documents.urls")),
    path("", include("tiepdan.media.urls")),
    # Before hearings: its "buoi-tiep/<pk>/<action>/" would take "bien-ban/".
    path("", include("tiepdan.minutes.urls")),
    path("", include("tiepdan.hearings.urls")),
    path("", include("tiepdan.intake.register.urls")),
    path("", include("tiepdan.followup.urls")),
    path("", include("tiepdan.reports.urls")),
    path("", include("tiepdan.intake.urls")),
]

handler400 = "tiepdan.core.views.errors.bad_request"
handler403 = "tiepdan.core.views.errors.permission_denied"
handler404 = "tiepdan.core.views.errors.page_not_found"
handler500 = "tiepdan.core.views.errors.server_error"
