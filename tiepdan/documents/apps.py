from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tiepdan.documents"
    label = "documents"
    verbose_name = _("Văn bản hành chính")

    def ready(self) -> None:
        from . import signing  # noqa: F401  (registers the organisation-signature step)
