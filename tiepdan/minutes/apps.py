from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "tiepdan.minutes"
    label = "minutes"
    verbose_name = _("Biên bản và kết luận buổi tiếp")

    def ready(self) -> None:
        from tiepdan.intake.status import register_status_section
        from tiepdan.workdays.services import register_recompute_hook

        from .citizen_status import conclusion_section
        from .services import recompute_open_conclusion_deadlines

        register_recompute_hook(recompute_open_conclusion_deadlines)
        register_status_section(conclusion_section)
