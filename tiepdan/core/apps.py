import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tiepdan.core"
    label = "core"
    verbose_name = _("Xã, cán bộ và phân quyền")

    def ready(self) -> None:
        from .navigation import register_commune_link
        from .views.steps import STEP_PERMS, failed_steps_queue

        register_commune_link(_("Bước xử lý nền thất bại"),
                              "/can-bo/xa/{ward_code}/buoc-xu-ly-loi/", *STEP_PERMS)
        # The dashboard's work-queue registry (core.queues) counts failed steps once it exists.
        if importlib.util.find_spec("tiepdan.core.queues") is not None:
            from . import queues  # type: ignore[attr-defined]

            queues.register_work_queue(queues.FAILED_JOBS_QUEUE, _("Bước xử lý nền"),
                                       failed_steps_queue, *STEP_PERMS, order=10)
