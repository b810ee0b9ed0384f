from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tiepdan.core"
    label = "core"
    verbose_name = _("Xã, cán bộ và phân quyền")

    def ready(self) -> None:
        from .navigation import register_commune_link
        from .views.steps import STEP_PERMS

        register_commune_link(_("Bước xử lý nền thất bại"),
                              "/can-bo/xa/{ward_code}/buoc-xu-ly-loi/", *STEP_PERMS)
