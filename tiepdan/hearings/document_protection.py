"""Which issued documents concern a sealed denouncer (Luật Tố cáo Đ47): the public verification
page then shows their number and validity only (``documents.verification``)."""

from __future__ import annotations

from tiepdan.documents.models import IssuedDocument

from .models import HearingMatter


def concerns_sealed_identity(document: IssuedDocument) -> bool:
    """A hearing's document (Giấy mời, Thông báo, Báo cáo) or its Biên bản, when a matter on
    the hearing's agenda has a sealed identity."""
    sealed = HearingMatter.objects.filter(matter__identity_sealed=True)
    return (sealed.filter(hearing__documents__document=document).exists()
            or sealed.filter(hearing__minutes__document=document).exists())
