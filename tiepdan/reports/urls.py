"""Staff routes of the reports; included at the site root (paths start "can-bo/")."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("can-bo/xa/<int:ward_code>/bao-cao/", views.commune_report_page, name="commune"),
    path("can-bo/xa/<int:ward_code>/bao-cao/xlsx/", views.commune_report_xlsx,
         name="commune_xlsx"),
    path("can-bo/xa/<int:ward_code>/bao-cao/ket-qua/", views.results_report_page,
         name="results"),
    path("can-bo/thanh-pho/<int:city_id>/bao-cao/", views.city_report_page, name="city"),
    path("can-bo/thanh-pho/<int:city_id>/bao-cao/xlsx/", views.city_report_xlsx,
         name="city_xlsx"),
]
