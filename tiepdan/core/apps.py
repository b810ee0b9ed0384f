
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tiepdan.core"
    label = "core"
    verbose_name = _("Xã, cán bộ và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .session_limits import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="tiepdan.core.session_limits")

        from django.db.models.signals import post_delete, post_save

        from .models import City, Commune
        from .selectors import forget_communes

        # This process sees its own changes at once (others within selectors.COMMUNE_TTL).
        for model in (Commune, City):
            for signal in (post_save, post_delete):
                signal.connect(forget_communes, sender=model,
                               dispatch_uid=f"forget-communes-{model.__name__}-{id(signal)}")

        from . import job_handles, tasks
        from .durable import RUN_STEP_JOB

        job_handles.provide(RUN_STEP_JOB, tasks.run_step)

        from .access import Perm
        from .navigation import register_commune_link
        from .queues import FAILED_JOBS_QUEUE, register_work_queue
        from .views.steps import STEP_PERMS, failed_steps_queue

        register_commune_link(_("Bước xử lý nền thất bại"),
                              "/can-bo/xa/{ward_code}/buoc-xu-ly-loi/", *sorted(STEP_PERMS))
        register_commune_link(_("Nhật ký truy cập dữ liệu cá nhân"),
                              "/can-bo/xa/{ward_code}/nhat-ky-truy-cap/", Perm.VIEW_ACCESS_LOG)
        register_work_queue(FAILED_JOBS_QUEUE, _("Bước xử lý nền"), failed_steps_queue,
                            *sorted(STEP_PERMS), order=10)
