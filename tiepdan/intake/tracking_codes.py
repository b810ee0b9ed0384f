"""Tracking codes (mã hồ sơ) of matters: 12 random characters in three groups of four, read
aloud and typed by citizens, so normalised leniently when typed back."""

from __future__ import annotations

import secrets

# Crockford base32 without I, L, O, U: easy to read aloud and to type.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_GROUPS = 3  # 3 × 4 characters = 60 random bits


def new_tracking_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(4 * _CODE_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalize_tracking_code(raw: str) -> str:
    cleaned = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))
