from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "tiepdan.minutes"
    label = "minutes"
    verbose_name = _("Biên bản và kết luận buổi tiếp")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.queues import register_work_queue
        from tiepdan.workdays.services import register_recompute_hook

        from . import queues
        from .conclusions import recompute_open_conclusion_deadlines

        register_recompute_hook(recompute_open_conclusion_deadlines)

        from tiepdan.documents.verification import register_restriction

        from .document_protection import concerns_sealed_identity

        register_restriction(concerns_sealed_identity)
        register_work_queue("minutes.to_finalise", _("Biên bản"), queues.minutes_to_finalise,
                            Perm.PLAN_HEARING, order=60)
        register_work_queue("minutes.chaired", _("Buổi tiếp tôi chủ trì"), queues.chaired,
                            Perm.DECIDE_HEARING, order=35)

        from tiepdan.intake.next_steps import register_step_provider

        from .matter_steps import minutes_steps

        register_step_provider(minutes_steps)

        from tiepdan.intake.status import register_status_section

        from .citizen_status import conclusion_section

        register_status_section(conclusion_section)

        from tiepdan.core.short_links import register_kind
        from tiepdan.documents.page_sections import register_section

        from . import steps  # noqa: F401  (registers the durable steps)
        from .confirmation import SHORT_LINK_KIND, path_of
        from .confirmation_views import document_section

        register_kind(SHORT_LINK_KIND, path_of)
        register_section(document_section)
