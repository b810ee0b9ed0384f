from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tiepdan.reports"
    label = "reports"
    verbose_name = _("Báo cáo, thống kê")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_city_link, register_commune_link

        register_commune_link(_("Báo cáo định kỳ"), "/can-bo/xa/{ward_code}/bao-cao/",
                              Perm.VIEW_REPORTS)
        register_city_link(_("Báo cáo tổng hợp các xã"), "/can-bo/thanh-pho/{city_id}/bao-cao/",
                           Perm.VIEW_REPORTS)
