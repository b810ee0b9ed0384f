"""PDF rendition of a ``Layout`` with WeasyPrint, from an HTML/CSS rendition of the same content.

Liberation Serif (metric-compatible with Times New Roman) is loaded from Debian's
fonts-liberation2 files (see fonts.py) and embedded; nothing is fetched over the network.
"""

from __future__ import annotations

import base64
import io
import threading

import qrcode
import qrcode.constants
from django.template.loader import render_to_string
from qrcode.image.pil import PilImage
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
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


_fonts = threading.local()


def _shared_fonts() -> tuple[FontConfiguration, list[CSS]]:
    """The font configuration and the @font-face style sheet, made once per thread and used by
    every document it renders: loading the faces into a fresh configuration for each document
    took about half of its rendering.  (Per thread: Pango's font maps are not shared safely.)"""
    if not hasattr(_fonts, "config"):
        config = FontConfiguration()
        rules = "".join(
            f'@font-face {{ font-family: "{PDF_FONT}"; src: url("{face["url"]}"); '
            f'font-weight: {face["weight"]}; font-style: {face["style"]}; }}\n'
            for face in _font_faces())
        sheets = ([CSS(string=rules, font_config=config, url_fetcher=offline_url_fetcher())]
                  if rules else [])
        _fonts.sheets, _fonts.config = sheets, config
    return _fonts.config, _fonts.sheets


def render_html(html: str) -> Document:
    """``html`` laid out with the embedded faces (the shared configuration), local files only;
    for the documents of this module and the other PDF renditions (the intake receipt, the
    minutes' confirmation sheet)."""
    config, sheets = _shared_fonts()
    return HTML(string=html, url_fetcher=offline_url_fetcher()).render(
        stylesheets=sheets, font_config=config)


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
        "issuer_rule_pt": f"{issuer_rule_pt:.1f}",
        "subject_rule_pt": f"{subject_rule_pt:.1f}",
        "verification_qr": qr_data_url(layout.verification_url) if layout.verification_url else "",
    })


def write_pdf(layout: Layout) -> bytes:
    """The PDF of ``layout``, with the empty signature fields at the signer's place."""
    layout = layout.printable()  # a lone surrogate cannot be encoded: never fail on text
    document = render_html(html_of(layout))
    pdf = document.write_pdf()
    slot = slot_of(document, "signature-slot")
    return add_signature_fields(pdf, slot) if slot is not None else pdf
