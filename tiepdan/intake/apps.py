from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "tiepdan.intake"
    label = "intake"
    verbose_name = _("Tiếp nhận đơn")

    def ready(self) -> None:
        from tiepdan.workdays.services import register_recompute_hook

        from .matter_deadlines import recompute_open_deadlines

        # Open deadlines of matters move when a calendar override is added, changed or removed.
        register_recompute_hook(recompute_open_deadlines)
