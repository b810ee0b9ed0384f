"""From a commune, a template and the caller's data to the final text of a document (the
``context`` that renderers lay out and ``IssuedDocument.context`` keeps).

Variables every template may use (``COMMON_VARIABLES``), besides those of its type
(``Renderer.required`` / ``Renderer.optional`` in renderers.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template import Context, TemplateSyntaxError
from django.utils.translation import gettext as _

from tiepdan.core.errors import DomainError, InvalidInput
from tiepdan.core.models import Commune
from tiepdan.core.public_urls import absolute_reverse

from .dates import number_line, place_date_line, place_from_unit_name, short_date, symbol
from .layout import Layout, Paragraph, Signer, recipient_lines
from .models import TEMPLATE_ENGINE, DocType, DocumentTemplate
from .registry import json_ready, renderer_for
from .verification import grouped

COMMON_VARIABLES = {
    "issuer": "Ủy ban nhân dân xã An Lão",
    "issuer_short": "UBND xã An Lão",
    "commune_name": "Xã An Lão",
    "place": "An Lão",
    "city": "Thành phố Hải Phòng",
    "city_committee": "Ủy ban nhân dân thành phố Hải Phòng",
    "symbol": "05/GM-UBND",
    "issued_on_text": "05/01/2026",
    "signer_name": "Nguyễn Văn A",
}


def active_template(doc_type: DocType | str, template_key: str = "") -> DocumentTemplate:
    template = DocumentTemplate.objects.filter(doc_type=doc_type, template_key=template_key,
                                               is_active=True).first()
    if template is None:
        raise DomainError(_("Chưa có mẫu văn bản đang dùng cho loại %(type)s.")
                          % {"type": DocType(doc_type).label}, code="no_template")
    return template


def check_data(doc_type: DocType | str, data: dict[str, Any], template_key: str = "") -> None:
    """Refuse data that lacks a required variable, before a number is taken for it."""
    required = renderer_for(doc_type, template_key).required
    missing = [name for name in required if data.get(name) is None or data.get(name) in ("", [])]
    if missing:
        raise InvalidInput(_("Thiếu thông tin để lập văn bản: %(names)s.")
                           % {"names": ", ".join(missing)})


def commune_variables(commune: Commune) -> dict[str, str]:
    city_name = commune.city.name
    return {
        "issuer": commune.committee_name,
        "issuer_short": f"UBND {commune.name[:1].lower()}{commune.name[1:]}",
        "commune_name": commune.name,
        "place": place_from_unit_name(commune.name),
        "city": city_name,
        "city_committee": f"Ủy ban nhân dân {city_name[:1].lower()}{city_name[1:]}",
    }


def compose(
    commune: Commune, doc_type: DocType | str, data: dict[str, Any], *, number: int,
    issued_on: dt.date, signer: Signer, template: DocumentTemplate,
    co_signer: Signer | None = None, verification_code: str = "",
) -> dict[str, Any]:
    doc_type = DocType(doc_type)
    renderer = renderer_for(doc_type, template.template_key)
    variables = {
        **renderer.variables(data),
        **commune_variables(commune),
        "symbol": symbol(number, doc_type.value),
        "issued_on_text": short_date(issued_on),
        "signer_name": signer.name,
    }
    city = commune.city.name
    layout = Layout(
        parent_body=f"UBND {city}".upper() if data.get("show_parent_body", True) else "",
        issuer=commune.committee_name,
        number_line=number_line(number, doc_type.value),
        place_date=place_date_line(variables["place"], issued_on),
        type_title=renderer.type_title,
        subject=" ".join(_fill(template.subject, variables).split()),
        paragraphs=body_paragraphs(_fill(template.body, variables)),
        signer=signer,
        recipients=recipient_lines(_fill(template.recipients, variables).splitlines(),
                                   template.archive_unit),
        addressee=data.get("addressee") or renderer.addressee(variables),
        co_signer=co_signer,
        confirmation=renderer.confirmation,
        verification_code=grouped(verification_code) if verification_code else "",
        verification_url=absolute_reverse("documents:verify", args=[verification_code])
        if verification_code else "",
    )
    return {
        "language": "vi",
        "template_key": template.template_key,
        "layout": layout.to_dict(),
        "data": json_ready(data),
        "template": {"id": template.pk, "name": template.name},
    }


def body_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-empty line; "# " marks a bold section heading."""
    paragraphs = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line.startswith("# "):
            paragraphs.append(Paragraph(line[2:].strip(), heading=True))
        elif line:
            paragraphs.append(Paragraph(line))
    return paragraphs


def _fill(text: str, variables: dict[str, Any]) -> str:
    try:
        return TEMPLATE_ENGINE.from_string(text).render(Context(variables, autoescape=False))
    except TemplateSyntaxError as exc:
        raise DomainError(_("Mẫu văn bản có lỗi cú pháp: %(error)s") % {"error": exc},
                          code="template_error") from exc
