"""SMS text: which alphabet a text needs and how many segments it costs.

A text that is pure GSM 03.38 goes as GSM-7 (160 characters in one segment, 153 per part when
concatenated; the extension characters count twice). Anything else forces UCS-2 for the whole
message (70 characters, 67 per part). Vietnamese diacritics are outside GSM-7, so one accented
letter in an otherwise unaccented text quadruples the price of the message: a template is written
either fully accented (within 70) or fully unaccented (within 160), never mixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tiepdan.core.text import strip_diacritics

# GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1) and its extension table (one escape each).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")


class SmsEncoding(StrEnum):
    GSM7 = "gsm7"
    UCS2 = "ucs2"


@dataclass(frozen=True)
class SmsCost:
    encoding: SmsEncoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text)


def cost(text: str) -> SmsCost:
    """The encoding a handset network uses for ``text`` and the segments it is billed as."""
    if is_gsm7(text):
        units = sum(2 if ch in _GSM7_EXTENSION else 1 for ch in text)
        single, part = 160, 153
        encoding = SmsEncoding.GSM7
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        encoding = SmsEncoding.UCS2
    segments = 1 if units <= single else -(-units // part)
    return SmsCost(encoding, units, segments)


def unaccented(text: str) -> str:
    """The GSM-7 form of a Vietnamese text ("Mời dự buổi tiếp" → "Moi du buoi tiep")."""
    return strip_diacritics(text)
