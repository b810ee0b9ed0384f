"""Pure helpers for Vietnamese text (no Django): one definition of "without diacritics", and
of the characters refused in text from outside (forms, API, WebSocket; see below)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any


def strip_diacritics(text: str) -> str:
    """Vietnamese without diacritics ("Nguyễn Văn Đức" → "Nguyen Van Duc"); đ/Đ become d/D.

    Used wherever text typed with and without accents must meet: search, duplicate matching,
    sorting names, unaccented (GSM-7) SMS.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


# -- Clean text at the edge -----------------------------------------------------------------
# Every text a person or a client sends (forms, API, WebSocket) is normalised to NFC (an NFD
# "Nguyễn" from a Mac or a copied PDF must match, sort and search like the NFC one) and refused
# if it carries a character that has no business in Vietnamese text: C0/C1 control characters
# (an ESC in a name broke the DOCX writer), lone surrogates (cannot be stored as UTF-8),
# noncharacters (XML-illegal) and bidirectional formatting characters (invisible, they make a
# name or file name display differently from what is stored: "Trojan Source", CVE-2021-42574).
# Tab and line breaks are allowed only in multi-line text.

#: Bidirectional formatting characters (ALM, LRM, RLM, embeddings, overrides, isolates).
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: What separates lines or columns: allowed in multi-line text only.
LINE_CHARACTERS = frozenset("\t\n\r\u2028\u2029")


def is_refused(char: str, *, multiline: bool = False) -> bool:
    """True for a character refused in text from outside (see above)."""
    if char in LINE_CHARACTERS:
        return not multiline
    if char in BIDI_CONTROLS:
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cs"):
        return True
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _refused_class(*, multiline: bool) -> re.Pattern[str]:
    # The same set as ``is_refused``, as one character class searched in C (every text field of
    # every request goes through it): Cc is U+0000-001F and U+007F-009F, Cs the surrogates,
    # noncharacters U+FDD0-FDEF and the last two code points of each of the 17 planes.
    ranges = ["\x00-\x1f", "\x7f-\x9f", "\ud800-\udfff", "\ufdd0-\ufdef"]
    ranges += [f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)]
    ranges += sorted(BIDI_CONTROLS | LINE_CHARACTERS)  # line breaks: refused unless multiline
    allowed = "".join(sorted(LINE_CHARACTERS)) if multiline else ""
    return re.compile(f"(?![{re.escape(allowed)}])[{''.join(ranges)}]" if allowed
                      else f"[{''.join(ranges)}]")


_REFUSED = {False: _refused_class(multiline=False), True: _refused_class(multiline=True)}


def has_refused(text: str, *, multiline: bool = False) -> bool:
    """True if ``text`` carries a character refused at the edge (``is_refused``)."""
    if not multiline and text.isascii() and text.isprintable():
        return False
    return _REFUSED[multiline].search(text) is not None


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (composed: "ễ" one code point)."""
    return unicodedata.normalize("NFC", text)


def printable(text: str) -> str:
    """``text`` without any refused character (line breaks and tabs kept), in NFC: what the
    document writers lay out, whatever reached them (defence in depth behind the edge)."""
    if text.isprintable() and text.isascii():
        return text
    # Lone surrogates cannot be normalised: drop them first.
    kept = "".join(char for char in text if not is_refused(char, multiline=True))
    return nfc(kept)


def map_strings(value: Any, func: Callable[[str], str]) -> Any:
    """``value`` with ``func`` applied to every string in it, keys of mappings included (lists,
    tuples and dicts are walked; anything else is returned as it is)."""
    if isinstance(value, str):
        return func(value)
    if isinstance(value, list | tuple):
        return type(value)(map_strings(item, func) for item in value)
    if isinstance(value, dict):
        return {map_strings(key, func): map_strings(item, func) for key, item in value.items()}
    return value
