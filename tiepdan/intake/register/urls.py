"""Staff routes of the register; included at the site root (paths start "can-bo/")."""

from django.urls import path

from . import views

app_name = "register"

urlpatterns = [
    path("can-bo/xa/<int:ward_code>/so-tiep-cong-dan/", views.register_page, name="book"),
    path("can-bo/xa/<int:ward_code>/so-tiep-cong-dan/xlsx/", views.register_export,
         name="export"),
    path("can-bo/xa/<int:ward_code>/so-tiep-cong-dan/pdf/", views.register_export_pdf,
         name="export_pdf"),
    path("can-bo/xa/<int:ward_code>/ho-so/<int:pk>/thong-bao-tu-choi/", views.issue_notice,
         name="issue_notice"),
]
