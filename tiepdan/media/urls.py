from django.urls import path

from . import playback, views

app_name = "media"

urlpatterns = [
    path("can-bo/phong-tiep/<int:hearing_id>/", views.staff_room, name="staff_room"),
    path("phong-tiep/vao/<str:token>/", views.join_room, name="join"),
    path("can-bo/buoi-tiep/<int:hearing_id>/ban-ghi/", playback.recordings_page,
         name="recordings"),
    path("can-bo/ban-ghi/<int:file_id>/", playback.recording_file, name="recording_file"),
    path("can-bo/phong-tiep/<int:hearing_id>/kiem-tra/", views.staff_readiness,
         name="staff_readiness"),
    path("phong-tiep/kiem-tra/<str:token>/", views.readiness_page, name="readiness"),
]
