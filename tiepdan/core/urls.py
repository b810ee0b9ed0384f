"""Staff pages of the core app, mounted at ``/can-bo/`` (namespace ``core``)."""

from django.urls import path

from .views import auth, dashboard

app_name = "core"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dang-nhap/", auth.login, name="login"),
    path("dang-nhap/ma-xac-thuc/", auth.login_verify, name="login_verify"),
    path("dang-nhap/cai-dat-xac-thuc/", auth.totp_enroll, name="totp_enroll"),
    path("dang-xuat/", auth.logout, name="logout"),
]
