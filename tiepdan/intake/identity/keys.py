"""Key material for denouncer identity protection: the Fernet keys (encryption at rest,
rotatable through :class:`~cryptography.fernet.MultiFernet`).  The HMAC key of the blind indexes
is apart, in ``intake.digests``.

Keys come from ``settings.IDENTITY_KEYS`` (env ``TIEPDAN_IDENTITY_KEYS``, newest first).  When it
is empty — the embedded mode of ``make run`` — they are read from ``settings.IDENTITY_KEY_FILE``
(one key a line, newest first), which is generated on first use with mode 0600.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def key_id(key: str) -> str:
    """A short public fingerprint of a key (which key encrypted a row), never the key itself."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:12]


def _write_new_file(path: Path, keys: list[str]) -> None:
    """Write ``keys`` to ``path`` atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identity-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("\n".join(keys) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _create_key_file(path: Path) -> None:
    """Create the key file unless another process already did (``os.link`` fails if it exists,
    so two workers starting together agree on one key)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identity-", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(new_key() + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _file_keys(path: Path) -> tuple[str, ...]:
    if not path.exists():
        _create_key_file(path)
    keys = tuple(line.strip() for line in path.read_text(encoding="ascii").splitlines()
                 if line.strip() and not line.startswith("#"))
    if not keys:
        raise ImproperlyConfigured(f"{path} holds no identity key")
    return keys


def current_keys() -> tuple[str, ...]:
    """The configured keys, newest first."""
    if settings.IDENTITY_KEYS:
        return tuple(settings.IDENTITY_KEYS)
    return _file_keys(Path(settings.IDENTITY_KEY_FILE))


@lru_cache(maxsize=16)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("An identity key is not a valid Fernet key") from exc


def fernet() -> MultiFernet:
    return _multi_fernet(current_keys())


def primary_key_id() -> str:
    return key_id(current_keys()[0])


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    return fernet().decrypt(token)


def rotate(token: bytes) -> bytes:
    """Re-encrypt ``token`` with the newest key (it may have been made with any known key)."""
    return fernet().rotate(token)


def add_file_key() -> str:
    """Put a new key first in the key file (embedded mode) and return its id."""
    path = Path(settings.IDENTITY_KEY_FILE)
    key = new_key()
    _write_new_file(path, [key, *_file_keys(path)])
    return key_id(key)

