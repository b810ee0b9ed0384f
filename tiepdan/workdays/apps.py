from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "tiepdan.workdays"
    label = "workdays"
    verbose_name = _("Ngày làm việc và thời hạn")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import CalendarOverride, DeadlineRule
        from .services import invalidate_calendar_cache, invalidate_rules

        # This process sees its own changes at once (others within services.SIGNATURE_TTL).
        post_save.connect(invalidate_calendar_cache, sender=CalendarOverride,
                          dispatch_uid="calendar-cache-save")
        post_delete.connect(invalidate_calendar_cache, sender=CalendarOverride,
                            dispatch_uid="calendar-cache-delete")
        post_save.connect(invalidate_rules, sender=DeadlineRule, dispatch_uid="rules-cache-save")
        post_delete.connect(invalidate_rules, sender=DeadlineRule,
                            dispatch_uid="rules-cache-delete")
        from tiepdan.core.access import Perm
        from tiepdan.core.navigation import register_city_link

        # The system administrator keeps the override table (a make-up working day, a swapped
        # day off) in the admin, one click from the dashboard.
        register_city_link(_("Ngày nghỉ, ngày làm bù (lịch làm việc)"),
                           "/quan-tri/workdays/calendaroverride/", Perm.MANAGE_SYSTEM)
