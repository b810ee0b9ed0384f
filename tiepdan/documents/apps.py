from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tiepdan.documents"
    label = "documents"
    verbose_name = _("Văn bản hành chính")

    def ready(self) -> None:
        # Registered on import: the built-in document types, the organisation-signature step.
        from . import renderers, signing  # noqa: F401
