from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tiepdan.core"
    label = "core"
    verbose_name = _("Xã, cán bộ và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .session_limits import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="tiepdan.core.session_limits")
