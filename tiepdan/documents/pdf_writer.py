"""PDF rendition of a ``Layout`` with WeasyPrint, from an HTML/CSS rendition of the same content.

Liberation Serif (metric-compatible with Times New Roman) is loaded from Debian's
fonts-liberation2 files (see fonts.py) and embedded; nothing is fetched over the network.
"""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.constants
from django.template.loader import render_to_string
from qrcode.image.pil import PilImage
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .fonts import FACES, PDF_FONT, face_path, faces_available, issuer_lines, text_width_pt
from .layout import Layout
from .signature_fields import add_signature_fields, slot_of

ISSUER_COLUMN_PT = 6.8 / 2.54 * 72  # as in the DOCX: 6.8 cm left, 9.7 cm right


def offline_url_fetcher() -> URLFetcher:
    """Only local files and data: URLs; rendering a document never reaches the network."""
    return URLFetcher(allowed_protocols={"file", "data"}, allow_redirects=False)


def _font_faces() -> list[dict[str, str]]:
    if not faces_available():
        return []  # fontconfig still finds "Liberation Serif" by name if installed elsewhere
    return [
        {"url": face_path(bold, italic).as_uri(), "weight": "bold" if bold else "normal",
         "style": "italic" if italic else "normal"}
        for bold, italic in FACES
    ]


#: For other HTML renditions (the intake receipt) that embed the same faces.
font_faces = _font_faces


def qr_data_url(text: str) -> str:
    """A PNG QR code of ``text`` as a data: URL (the fetcher allows no other source)."""
    image = qrcode.make(text, box_size=8, border=1, image_factory=PilImage,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def html_of(layout: Layout) -> str:
    issuer = issuer_lines(layout.issuer.upper(), 13, ISSUER_COLUMN_PT - 2)
    issuer_rule_pt = max(text_width_pt(line, 13, bold=True) for line in issuer) * 0.4
    subject_rule_pt = min(text_width_pt(layout.subject, 14, bold=True), 460) * 0.4
    return render_to_string("documents/nd30.html", {
        "layout": layout, "issuer": issuer, "font_family": PDF_FONT,
        "font_faces": _font_faces(), "issuer_rule_pt": f"{issuer_rule_pt:.1f}",
        "subject_rule_pt": f"{subject_rule_pt:.1f}",
        "verification_qr": qr_data_url(layout.verification_url) if layout.verification_url else "",
    })


def write_pdf(layout: Layout) -> bytes:
    """The PDF of ``layout``, with the empty signature fields at the signer's place."""
    layout = layout.printable()  # a lone surrogate cannot be encoded: never fail on text
    document = HTML(string=html_of(layout), url_fetcher=offline_url_fetcher()).render()
    pdf = document.write_pdf()
    slot = slot_of(document, "signature-slot")
    return add_signature_fields(pdf, slot) if slot is not None else pdf
