from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "tiepdan.hearings"
    label = "hearings"
    verbose_name = _("Lịch và buổi tiếp công dân")

    def ready(self) -> None:
        from tiepdan.core.access import VIEW_HEARINGS, Perm
        from tiepdan.core.navigation import register_commune_link
        from tiepdan.core.short_links import register_kind
        from tiepdan.intake.status import register_status_section
        from tiepdan.workdays.services import register_recompute_hook

        from .citizen_status import invitation_section
        from .invitations import SHORT_LINK_KIND, invitation_path_of
        from .milestones import recompute_open_milestones

        register_recompute_hook(recompute_open_milestones)

        from tiepdan.documents.verification import register_restriction

        from .document_protection import concerns_sealed_identity

        register_restriction(concerns_sealed_identity)
        register_status_section(invitation_section)
        register_kind(SHORT_LINK_KIND, invitation_path_of)
        register_commune_link(_("Lịch và buổi tiếp công dân"),
                              "/can-bo/xa/{ward_code}/buoi-tiep/", *sorted(VIEW_HEARINGS))
        register_commune_link(_("Đề xuất tiếp trực tuyến chờ quyết định"),
                              "/can-bo/xa/{ward_code}/de-xuat-truc-tuyen/", Perm.DECIDE_HEARING)

        from tiepdan.core.queues import register_work_queue

        from . import queues

        register_work_queue("hearings.proposals", _("Đề xuất tiếp trực tuyến"),
                            queues.pending_proposals, Perm.DECIDE_HEARING, order=40)
        register_work_queue("hearings.to_schedule", _("Chờ xếp lịch tiếp"),
                            queues.approved_to_schedule, Perm.PLAN_HEARING, order=45)
        register_work_queue("hearings.today", _("Hôm nay"), queues.today, Perm.PLAN_HEARING,
                            Perm.OPERATE_MEDIA, order=10)
        register_work_queue("hearings.preparation", _("Buổi tiếp đang chuẩn bị"),
                            queues.in_preparation, Perm.PLAN_HEARING, Perm.OPERATE_MEDIA,
                            order=50)

        from tiepdan.intake.next_steps import register_step_provider

        from .matter_steps import hearing_steps

        register_step_provider(hearing_steps)
