from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "tiepdan.notify"
    label = "notify"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from tiepdan.core import job_handles
        from tiepdan.core.durable import register_failure_handler

        from . import tasks
        from .services import DELIVER_JOB
        from .step_alerts import alert_office_of_failed_step

        job_handles.provide(DELIVER_JOB, tasks.deliver)
        register_failure_handler(alert_office_of_failed_step)
