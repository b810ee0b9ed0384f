from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("can-bo/phong-tiep/<int:hearing_id>/", views.staff_room, name="staff_room"),
    path("phong-tiep/vao/<str:token>/", views.join_room, name="join"),
]
