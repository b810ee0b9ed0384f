"""The 02/TCD receipt as a PDF, to download again from the status page on any device: the
receipt body of the web page and the consent given, written by the documents' WeasyPrint setup
(embedded Liberation Serif, nothing fetched over the network)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from tiepdan.core import admin_units
from tiepdan.documents.fonts import PDF_FONT
from tiepdan.documents.pdf_writer import render_html
from tiepdan.documents.seal import sealed_if_configured

from ..models import Matter
from .rules import CONSENT_PURPOSE


def receipt_pdf(matter: Matter) -> bytes:
    """The receipt of ``matter`` (a sealed matter's shows its masks only), signed by the
    commune's organisation certificate when one is configured (issue 15: organisation only,
    automatic)."""
    with translation.override("vi"):
        html = render_to_string("intake/receipt_pdf.html", {
            "commune": matter.commune, "matter": matter, "person": matter,
            "address_ward": admin_units.ward(matter.address_ward_code),
            "province_name": admin_units.province_name(matter.address_province_code),
            "consent_text": CONSENT_PURPOSE, "font_family": PDF_FONT,
        })
    pdf = render_html(html).write_pdf()
    return sealed_if_configured(pdf, matter.commune_id,
                                reason=f"Giấy biên nhận {matter.tracking_code}")
