from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowUpConfig(AppConfig):
    name = "tiepdan.followup"
    label = "followup"
    verbose_name = _("Theo dõi thực hiện kết luận")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_commune_link
        from tiepdan.intake.status import register_status_text
        from tiepdan.minutes.responsible_bodies import register_body_list
        from tiepdan.minutes.services import register_conclusion_hook
        from tiepdan.workdays.services import register_recompute_hook

        from .citizen import follow_up_status_text
        from .from_conclusions import tasks_for_conclusion
        from .selectors import active_bodies
        from .services import recompute_open_tasks

        register_conclusion_hook(tasks_for_conclusion)
        register_body_list(active_bodies)
        register_recompute_hook(recompute_open_tasks)
        register_status_text(follow_up_status_text)
        register_commune_link(_("Theo dõi thực hiện kết luận"),
                              "/can-bo/xa/{ward_code}/theo-doi/",
                              Perm.FOLLOW_UP, Perm.ASSIGN_FOLLOW_UP)

        from tiepdan.core.queues import register_work_queue

        from . import queues

        register_work_queue("followup.conclusions", _("Kết luận"),
                            queues.conclusions_without_tasks, Perm.ASSIGN_FOLLOW_UP, order=70)
        register_work_queue("followup.tasks", _("Việc theo dõi"), queues.tasks_due,
                            Perm.FOLLOW_UP, Perm.ASSIGN_FOLLOW_UP, order=80)

        from tiepdan.intake.next_steps import register_step_provider

        from .matter_steps import follow_up_steps

        register_step_provider(follow_up_steps)
