from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "tiepdan.hearings"
    label = "hearings"
    verbose_name = _("Lịch và buổi tiếp công dân")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_commune_link
        from tiepdan.intake.status import register_status_section
        from tiepdan.workdays.services import register_recompute_hook

        from .citizen_status import invitation_section
        from .milestones import recompute_open_milestones

        register_recompute_hook(recompute_open_milestones)
        register_status_section(invitation_section)
        register_commune_link(_("Lịch và buổi tiếp công dân"),
                              "/can-bo/xa/{ward_code}/buoi-tiep/", Perm.PLAN_HEARING)
        register_commune_link(_("Đề xuất tiếp trực tuyến chờ quyết định"),
                              "/can-bo/xa/{ward_code}/de-xuat-truc-tuyen/", Perm.DECIDE_HEARING)
