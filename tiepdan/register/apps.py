from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "tiepdan.register"
    label = "register"
    verbose_name = _("Sổ tiếp công dân")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_commune_link

        register_commune_link(_("Sổ tiếp công dân"), "/can-bo/xa/{ward_code}/so-tiep-cong-dan/",
                              Perm.VIEW_MATTERS)

        from tiepdan.intake.next_steps import register_step_provider

        from .matter_steps import register_steps

        register_step_provider(register_steps)
