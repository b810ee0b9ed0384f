"""Removing a denouncer's identity from free text (Luật Tố cáo Đ47 k1 e: strip what identifies
the denouncer before a petition goes to those who verify it).

Only exact occurrences are found — the full name (any case, any spacing), the ID number and phone
numbers (with or without separators, national or +84 form) and e-mail addresses; a nickname or a
misspelt name is not.  Pure functions, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TEXT_MASK = "[được giữ bí mật]"
_SEP = r"[\s.\-]?"


def _name_pattern(name: str) -> str | None:
    words = name.split()
    if not words or len("".join(words)) < 2:
        return None
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"


def _number_pattern(number: str) -> str | None:
    chars = [c for c in number if c.isalnum()]
    if len(chars) < 6:
        return None
    return r"(?<![0-9A-Za-z])" + _SEP.join(re.escape(c) for c in chars) + r"(?![0-9A-Za-z])"


def _phone_pattern(phone: str) -> str | None:
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+84"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if len(digits) < 6:
        return None
    body = _SEP.join(digits)
    return r"(?<![0-9])(?:\+?\s?84|0)" + _SEP + body + r"(?![0-9])"


def identity_pattern(
    *, names: Iterable[str] = (), numbers: Iterable[str] = (), phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> re.Pattern[str] | None:
    """One pattern matching any of the given identifying strings (``None`` if there is none)."""
    parts: list[str] = []
    # Longest names first, so "Nguyễn Văn An" wins over a representative called "Văn An".
    parts += filter(None, (_name_pattern(n) for n in sorted(set(names), key=len, reverse=True)))
    parts += filter(None, (_number_pattern(n) for n in set(numbers)))
    parts += filter(None, (_phone_pattern(p) for p in set(phones)))
    parts += [re.escape(e) for e in set(emails) if e and "@" in e]
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


def redact(text: str, pattern: re.Pattern[str] | None) -> str:
    if not text or pattern is None:
        return text
    return pattern.sub(TEXT_MASK, text)
