"""Routes of the documents app, included at the site root: staff pages under "can-bo/", the
public verification page under "xac-thuc/"."""

from django.urls import path

from . import public_views, views

app_name = "documents"

urlpatterns = [
    path("can-bo/van-ban/<int:pk>/", views.detail, name="detail"),
    path("can-bo/van-ban/<int:pk>/ky-lai/", views.retry_seal, name="retry_seal"),
    path("can-bo/van-ban/<int:pk>/<str:fmt>/", views.download, name="download"),
    path("xac-thuc/", public_views.lookup, name="verify_lookup"),
    path("xac-thuc/<str:code>/", public_views.verify, name="verify"),
]
