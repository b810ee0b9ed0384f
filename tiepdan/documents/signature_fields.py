"""Empty signature fields on an issued PDF, where NĐ 30 puts the signatures (Phụ lục I, mục II):
the signer's digital signature in the room between their title and their name, and the
organisation's over the left third of it.  Any signing tool (the product's seal, an official's
VGCA token tool) then signs into these named fields, so a signature lands in its place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

#: Field names (ASCII: some signing tools show them to the signer).
PERSONAL_FIELD = "ChuKyNguoiKy"
SEAL_FIELD = "ChuKyCoQuan"

PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF points are 72 per inch


@dataclass(frozen=True)
class Box:
    """A rectangle on one page, in PDF points from the bottom-left corner."""

    page: int  # 0-based
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def slot_of(document: object, element_id: str) -> Box | None:
    """The box of the element ``element_id`` in a rendered WeasyPrint document."""
    # A WeasyPrint document (WeasyPrint ships no type information).
    for index, page in enumerate(document.pages):  # type: ignore[attr-defined]
        page_height_pt = page.height * PX_TO_PT
        for box in page._page_box.descendants():  # noqa: SLF001 - WeasyPrint's layout tree
            element = getattr(box, "element", None)
            if element is None or element.get("id") != element_id:
                continue
            if getattr(box, "element_tag", "") and box.width is not None:
                x = box.content_box_x() * PX_TO_PT
                top = box.content_box_y() * PX_TO_PT
                width, height = box.width * PX_TO_PT, box.height * PX_TO_PT
                return Box(index, x, page_height_pt - top - height, x + width,
                           page_height_pt - top)
    return None


def seal_box(personal: Box) -> Box:
    """The organisation's signature: over the left third of the signer's, a little wider."""
    width = personal.width * 0.55
    left = personal.x1 - width * 0.4
    return Box(personal.page, left, personal.y1, left + width, personal.y2)


def add_signature_fields(pdf: bytes, personal: Box) -> bytes:
    """``pdf`` with the two empty signature fields (an incremental update)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for name, box in ((PERSONAL_FIELD, personal), (SEAL_FIELD, seal_box(personal))):
        append_signature_field(writer, SigFieldSpec(name, on_page=box.page, box=box.as_tuple()))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
