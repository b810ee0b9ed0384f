"""A test-only API with one staff endpoint guarded by ``StaffAuth`` (used via
``@pytest.mark.urls``), so the auth class is tested through the real middleware stack."""

from django.urls import include, path
from ninja import NinjaAPI

from tiepdan.core.auth_api import StaffAuth
from tiepdan.core.views.catalogue import javascript_catalogue

api = NinjaAPI(urls_namespace="staff_auth_test")


@api.get("/me", auth=StaffAuth())
def me(request):
    return {"username": request.auth.get_username()}


@api.post("/ping", auth=StaffAuth())
def ping(request):
    return {"ok": True}


urlpatterns = [
    path("i18n/js/", javascript_catalogue, name="javascript-catalog"),  # loaded by base.html
    path("i18n/", include("django.conf.urls.i18n")),  # the language switcher of base.html
    path("api/", api.urls),
    path("can-bo/", include("tiepdan.core.urls")),
]
