"""A conclusion notice concerns a sealed denouncer when its matter's identity is sealed (see
``documents.verification``)."""

from __future__ import annotations

from tiepdan.documents.models import IssuedDocument

from .models import Conclusion


def concerns_sealed_identity(document: IssuedDocument) -> bool:
    return Conclusion.objects.filter(notice=document, matter__identity_sealed=True).exists()
