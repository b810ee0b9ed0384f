from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "tiepdan.media"
    label = "media"
    verbose_name = _("Phòng tiếp trực tuyến")

    def ready(self) -> None:
        from tiepdan.core import job_handles
        from tiepdan.hearings import hooks, page_context

        from . import ending, hearing_page, tasks

        job_handles.provide(ending.PROCESS_RECORDINGS_JOB, tasks.process_recordings)
        # However a hearing ends (held, cancelled), its room ends with it.
        hooks.register_end_hook(ending.on_hearing_ended)
        hooks.register_period_provider(ending.room_period)
        page_context.register_detail_context(hearing_page.detail_context)
