"""The public verification of an issued document (issue 15 §2): the short code printed with
its QR code on every issued PDF, the page it opens, and what that page may say.

The page shows the number, date, issuer, type, SHA-256 and the state of the signatures —
nothing personal; a document that concerns a sealed denouncer shows its number and validity
only (apps say which documents those are with ``register_restriction``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from .models import IssuedDocument

#: Crockford's base 32 without I, L, O, U: read aloud and typed without confusion.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12

_restrictions: list[Callable[[IssuedDocument], bool]] = []


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code


def grouped(code: str) -> str:
    """"7K2M9QXD4B1C" → "7K2M-9QXD-4B1C", as printed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalised(typed: str) -> str:
    """What a person typed (dashes, spaces, lower case, O for 0, I/L for 1) as a code."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1"})
    return "".join(ch for ch in typed.upper().translate(table) if ch in ALPHABET)


def register_restriction(check: Callable[[IssuedDocument], bool]) -> None:
    """Have ``check(document)`` say whether a document concerns a protected identity."""
    if check not in _restrictions:
        _restrictions.append(check)


def is_restricted(document: IssuedDocument) -> bool:
    return any(check(document) for check in _restrictions)


def find(code: str) -> IssuedDocument | None:
    code = normalised(code)
    if len(code) != CODE_LENGTH:
        return None
    return (IssuedDocument.objects.select_related("commune")
            .filter(verification_code=code).first())
