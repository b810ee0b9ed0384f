from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "tiepdan.notify"
    label = "notify"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from tiepdan.core.durable import register_failure_handler

        from .step_alerts import alert_office_of_failed_step

        register_failure_handler(alert_office_of_failed_step)
