from django.urls import path

from . import confirmation_views, views

app_name = "minutes"

_BASE = "can-bo/xa/<int:ward_code>/buoi-tiep/<int:pk>/"

urlpatterns = [
    path(_BASE + "bien-ban/", views.minutes_page, name="page"),
    path(_BASE + "bien-ban/<int:minutes_id>/phieu-xac-nhan/",
         confirmation_views.confirmation_sheet, name="confirmation_sheet"),
    path(_BASE + "bien-ban/<slug:action>/", views.minutes_action, name="action"),
    path(_BASE + "ket-luan/<int:matter_id>/", views.record_conclusion, name="conclusion"),
    path(_BASE + "ket-luan/<int:matter_id>/thong-bao/", views.issue_notice, name="notice"),
    path("xac-nhan-bien-ban/<str:token>/", confirmation_views.confirm_page, name="confirm"),
    path("xac-nhan-bien-ban/<str:token>/bien-ban.pdf", confirmation_views.confirm_pdf,
         name="confirm_pdf"),
    path("thong-bao-ket-luan/<str:token>/", views.notice_download, name="notice_download"),
]
