"""PDF rendition of a ``Layout`` with WeasyPrint, from an HTML/CSS rendition of the same content.

Liberation Serif (metric-compatible with Times New Roman) is loaded from Debian's
fonts-liberation2 files (see fonts.py) and embedded; nothing is fetched over the network.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .fonts import FACES, PDF_FONT, face_path, faces_available, issuer_lines, text_width_pt
from .layout import Layout

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


def html_of(layout: Layout) -> str:
    issuer = issuer_lines(layout.issuer.upper(), 13, ISSUER_COLUMN_PT - 2)
    issuer_rule_pt = max(text_width_pt(line, 13, bold=True) for line in issuer) * 0.4
    subject_rule_pt = min(text_width_pt(layout.subject, 14, bold=True), 460) * 0.4
    return render_to_string("documents/nd30.html", {
        "layout": layout, "issuer": issuer, "font_family": PDF_FONT,
        "font_faces": _font_faces(), "issuer_rule_pt": f"{issuer_rule_pt:.1f}",
        "subject_rule_pt": f"{subject_rule_pt:.1f}",
    })


def write_pdf(layout: Layout) -> bytes:
    layout = layout.printable()  # a lone surrogate cannot be encoded: never fail on text
    document = HTML(string=html_of(layout), url_fetcher=offline_url_fetcher())
    return document.write_pdf()
