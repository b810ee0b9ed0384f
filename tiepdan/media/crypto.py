"""Room secrets at rest: Fernet with a key derived from SECRET_KEY (HKDF-SHA256).

The Janus room secret lets whoever holds it mute, kick and destroy: a database dump alone must
not hand it out.  Rotating SECRET_KEY makes stored secrets unreadable; the room service then
recreates the Janus room with a fresh secret.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"tiepdan.media.room-secret.v1"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(token: str) -> str | None:
    """The secret, or None when it was sealed under another SECRET_KEY (or altered)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
