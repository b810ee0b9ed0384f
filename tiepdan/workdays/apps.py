from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "tiepdan.workdays"
    label = "workdays"
    verbose_name = _("Ngày làm việc và thời hạn")

    def ready(self) -> None:
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_city_link

        # The system administrator keeps the override table (a make-up working day, a swapped
        # day off) in the admin, one click from the dashboard.
        register_city_link(_("Ngày nghỉ, ngày làm bù (lịch làm việc)"),
                           "/quan-tri/workdays/calendaroverride/", Perm.MANAGE_SYSTEM)
