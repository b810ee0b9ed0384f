"""Staff pages of the core app, mounted at ``/can-bo/`` (namespace ``core``)."""

from django.urls import path

from .views import access_log, auth, dashboard, steps

app_name = "core"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dang-nhap/", auth.login, name="login"),
    path("dang-nhap/ma-xac-thuc/", auth.login_verify, name="login_verify"),
    path("dang-nhap/cai-dat-xac-thuc/", auth.totp_enroll, name="totp_enroll"),
    path("dang-xuat/", auth.logout, name="logout"),
    path("xa/<int:ward_code>/buoc-xu-ly-loi/", steps.failed_steps, name="failed_steps"),
    path("xa/<int:ward_code>/buoc-xu-ly-loi/<int:pk>/chay-lai/", steps.retry_step,
         name="retry_step"),
    path("xa/<int:ward_code>/nhat-ky-truy-cap/", access_log.access_log_page, name="access_log"),
]
