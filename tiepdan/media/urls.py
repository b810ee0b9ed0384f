from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("can-bo/phong-tiep/<int:hearing_id>/", views.staff_room, name="staff_room"),
    path("phong-tiep/vao/<str:token>/", views.join_room, name="join"),
    path("can-bo/phong-tiep/<int:hearing_id>/kiem-tra/", views.staff_readiness,
         name="staff_readiness"),
    path("phong-tiep/kiem-tra/<str:token>/", views.readiness_page, name="readiness"),
]
