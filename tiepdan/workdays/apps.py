from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "tiepdan.workdays"
    label = "workdays"
    verbose_name = _("Ngày làm việc và thời hạn")
