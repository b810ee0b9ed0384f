from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "tiepdan.minutes"
    label = "minutes"
    verbose_name = _("Biên bản và kết luận buổi tiếp")

    def ready(self) -> None:
        from tiepdan.workdays.services import register_recompute_hook

        from .services import recompute_open_conclusion_deadlines

        register_recompute_hook(recompute_open_conclusion_deadlines)
        from . import steps  # noqa: F401  (registers the durable steps)
