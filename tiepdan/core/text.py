"""Pure helpers for Vietnamese text (no Django): one definition of "without diacritics"."""

from __future__ import annotations

import unicodedata


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics ("Nguyễn Văn Đức" → "Nguyen Van Duc"); đ/Đ become d/D.

    Used wherever text typed with and without accents must meet: search, duplicate matching,
    sorting names, unaccented (GSM-7) SMS.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
