from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "tiepdan.intake"
    label = "intake"
    verbose_name = _("Tiếp nhận đơn")

    def ready(self) -> None:
        from tiepdan.core import job_handles
        from tiepdan.core.access import Perm
        from tiepdan.core.queues import register_work_queue
        from tiepdan.core.short_links import register_kind
        from tiepdan.workdays.services import register_recompute_hook

        from . import queues, tasks
        from .matter_deadlines import recompute_open_deadlines
        from .next_steps import register_step_provider
        from .registration.services import SEND_RECEIPT_SMS_JOB
        from .status import SHORT_LINK_KIND, status_path_of
        from .triage.next_steps import triage_steps

        job_handles.provide(SEND_RECEIPT_SMS_JOB, tasks.send_receipt_sms)
        # Open deadlines of matters move when a calendar override is added, changed or removed.
        register_recompute_hook(recompute_open_deadlines)
        register_kind(SHORT_LINK_KIND, status_path_of)
        # First of the matter page's step providers: intake is installed before the apps that
        # contribute theirs (the register, hearings, minutes, follow-up).
        register_step_provider(triage_steps)
        register_work_queue("intake.new", _("Hồ sơ mới"), queues.new_matters, Perm.TRIAGE,
                            order=20)
        register_work_queue("intake.deadlines", _("Thời hạn giải quyết"),
                            queues.running_deadlines, Perm.TRIAGE, Perm.DECIDE_HEARING,
                            order=30)
