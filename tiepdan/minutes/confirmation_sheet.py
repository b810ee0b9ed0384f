"""Phiếu xác nhận của công dân: the citizens' confirmations of a Biên bản, printed as a PDF of
its own that names the Biên bản (number, SHA-256 of its official signed version) and lists each
answer — sealed with the commune's organisation certificate when one is configured.

Why a separate sheet and not a change to the Biên bản's PDF: the Biên bản is signed (the chair's
personal signature, the organisation's seal) before any citizen can read it; any page or
annotation added to it afterwards, even as an incremental update, is a modification after the
signatures that verifiers report (docs/decisions/0005-citizen-confirmation-sheet.md).  The sheet
refers to the signed PDF by its hash, so the pair proves what each citizen confirmed.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation

from tiepdan.documents.fonts import PDF_FONT
from tiepdan.documents.pdf_writer import render_html
from tiepdan.documents.seal import SealUnavailable, apply_seal
from tiepdan.documents.signing import active_seal, official_sha256

from .confirmation import rows_of
from .models import Minutes

log = logging.getLogger(__name__)


def sheet_pdf(minutes: Minutes) -> tuple[bytes, bool]:
    """(PDF of the sheet as of now, whether it carries the organisation's signature)."""
    document = minutes.issued_document()
    with translation.override("vi"):
        html = render_to_string(
            "minutes/confirmation_sheet.html",
            {
                "minutes": minutes,
                "document": document,
                "commune": minutes.hearing.commune,
                "sha256": official_sha256(document),
                "rows": rows_of(minutes),
                "made_at": timezone.localtime(),
                "font_family": PDF_FONT,
            },
        )
    pdf = render_html(html).write_pdf()
    seal = active_seal(document)
    if seal is None:
        return pdf, False
    try:
        result = apply_seal(pdf, seal, reason=f"Phiếu xác nhận của công dân, {document.symbol}")
    except SealUnavailable as exc:
        log.warning("confirmation sheet of %s left unsigned: %s", document.symbol, exc.message)
        return pdf, False
    return result.pdf, True
