from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """Sổ tiếp công dân (Mẫu 03/TCD): intake's book of every reception, written by the triage
    transition in its own transaction.  Part of intake, its own app for its tables: the label
    ``register`` names its migrations, content types, URL namespace and templates."""

    name = "tiepdan.intake.register"
    label = "register"
    verbose_name = _("Sổ tiếp công dân")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_commune_link

        from ..next_steps import register_step_provider
        from . import steps  # noqa: F401  (registers the durable steps)
        from .matter_steps import register_steps

        register_commune_link(_("Sổ tiếp công dân"), "/can-bo/xa/{ward_code}/so-tiep-cong-dan/",
                              Perm.VIEW_MATTERS)
        register_step_provider(register_steps)
