from django.urls import path

from . import views

app_name = "minutes"

_BASE = "can-bo/xa/<int:ward_code>/buoi-tiep/<int:pk>/"

urlpatterns = [
    path(_BASE + "bien-ban/", views.minutes_page, name="page"),
    path(_BASE + "bien-ban/<slug:action>/", views.minutes_action, name="action"),
    path(_BASE + "ket-luan/<int:matter_id>/", views.record_conclusion, name="conclusion"),
    path(_BASE + "ket-luan/<int:matter_id>/thong-bao/", views.issue_notice, name="notice"),
    path("thong-bao-ket-luan/<str:token>/", views.notice_download, name="notice_download"),
]
