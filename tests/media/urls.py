"""The project's URLs plus the hearing room's, until tiepdan/urls.py includes them."""

from django.urls import include, path

from tiepdan.urls import handler400, handler403, handler404, handler500  # noqa: F401
from tiepdan.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("", include("tiepdan.media.urls")), *project_urlpatterns]
