"""Staff routes of the documents app; included at the site root (paths start "can-bo/")."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("can-bo/van-ban/<int:pk>/<str:fmt>/", views.download, name="download"),
]
