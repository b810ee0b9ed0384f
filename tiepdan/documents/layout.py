"""The content of one NĐ 30 document, as plain strings in their final form: what both writers
(DOCX and PDF) lay out, and what ``IssuedDocument.context`` keeps so it can be rendered again.
Django-free."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from tiepdan.core.text import printable


@dataclass(frozen=True)
class Signer:
    """Người ký. ``authority`` is the signing capacity line, e.g. "KT. CHỦ TỊCH" (empty when
    the head signs in their own name), ``position`` the title, e.g. "PHÓ CHỦ TỊCH"."""

    name: str
    position: str
    authority: str = ""

    @classmethod
    def vice_chair(cls, name: str) -> Signer:
        """Signs on the Chairman's behalf: "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
        return cls(name=name, position="Phó Chủ tịch", authority="KT. Chủ tịch")

    @classmethod
    def chair(cls, name: str) -> Signer:
        """Signs for the collective People's Committee: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"."""
        return cls(name=name, position="Chủ tịch", authority="TM. Ủy ban nhân dân")


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: bool = False  # a bold section line ("I. MỤC ĐÍCH, YÊU CẦU")


@dataclass(frozen=True)
class Layout:
    parent_body: str  # "UBND THÀNH PHỐ HẢI PHÒNG" (empty: no line)
    issuer: str  # "ỦY BAN NHÂN DÂN XÃ AN LÃO"
    number_line: str  # "Số: 05/GM-UBND"
    place_date: str  # "An Lão, ngày 05 tháng 01 năm 2026"
    type_title: str  # "GIẤY MỜI"
    subject: str  # trích yếu
    paragraphs: list[Paragraph]
    signer: Signer
    recipients: list[str] = field(default_factory=list)  # "- Như trên;" ... "- Lưu: VT, VP."
    addressee: str = ""  # "Kính gửi: …" (empty: none)
    #: A second signer on the left of the signer (the person who wrote a Biên bản).
    co_signer: Signer | None = None
    #: A line for someone to confirm under the signatures (the citizen, on a Biên bản).
    confirmation: str = ""
    #: The public verification code printed (with its QR code) on the document, and its page.
    verification_code: str = ""
    verification_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def printable(self) -> Layout:
        """This layout with every text cleaned of characters XML cannot carry (controls,
        surrogates, …) and in NFC: the writers lay out only this, so a document never fails
        on its text, whatever got past the edge (an older row, an admin's template)."""
        return _printable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Layout:
        values = dict(data)
        values["paragraphs"] = [Paragraph(**p) for p in data["paragraphs"]]
        values["signer"] = Signer(**data["signer"])
        values["recipients"] = list(data.get("recipients", []))
        values["co_signer"] = Signer(**data["co_signer"]) if data.get("co_signer") else None
        values["confirmation"] = data.get("confirmation", "")
        return cls(**values)


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, Layout | Signer | Paragraph):
        return replace(value, **{f.name: _printable(getattr(value, f.name))
                                 for f in fields(value)})
    return value


def recipient_lines(names: list[str], archive_unit: str) -> list[str]:
    """Nơi nhận as NĐ 30 writes it: "- X;" per line, ending "- Lưu: VT, <unit>."."""
    cleaned = [n.strip().lstrip("-–").strip().rstrip(";.").strip() for n in names]
    kept = [n for n in cleaned if n and not n.lower().startswith("lưu:")]
    return [f"- {n};" for n in kept] + [f"- Lưu: VT, {archive_unit}."]
