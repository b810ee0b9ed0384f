from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "tiepdan.hearings"
    label = "hearings"
    verbose_name = _("Lịch và buổi tiếp công dân")

    def ready(self) -> None:
        from tiepdan.workdays.services import register_recompute_hook

        from .milestones import recompute_open_milestones

        register_recompute_hook(recompute_open_milestones)
