"""The installation's own directory and secret key, made by one explicit step.

``tiepdan init`` (run by ``make run``, ``make test`` and ``make lint``) and ``tiepdan serve``
call :func:`prepare` before Django starts; importing the settings only reads what it made, so an
import never writes to disk.  Nothing here may import Django: it runs before the settings exist.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

#: The project directory (the one holding ``tiepdan/``).
PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

#: The commands of ``tiepdan`` that prepare the installation before Django starts.
PREPARING_COMMANDS = frozenset({"init", "serve"})


def var_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the embedded installation keeps its data (``TIEPDAN_VAR_DIR``, default ``var/``)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("TIEPDAN_VAR_DIR", PROJECT_DIR / "var")).resolve()


def secret_key_path(environ: Mapping[str, str] | None = None) -> Path:
    return var_dir(environ) / "secret_key"


def static_root(environ: Mapping[str, str] | None = None) -> Path:
    return var_dir(environ) / "static"


def prepare(environ: Mapping[str, str] | None = None) -> list[Path]:
    """Make the data directory, the static root and, unless ``SECRET_KEY`` or ``SECRET_KEY_FILE``
    is set, a secret key kept beside the data (0600), for the installation ``environ`` (default:
    this process's) describes.  Idempotent; returns what it created."""
    environ = os.environ if environ is None else environ
    created: list[Path] = []
    for directory in (var_dir(environ), static_root(environ)):
        if not directory.exists():
            directory.mkdir(parents=True, exist_ok=True)
            created.append(directory)
    configured = environ.get("SECRET_KEY") or environ.get("SECRET_KEY_FILE")
    path = secret_key_path(environ)
    if not configured and not path.exists():
        # Created 0600 from the start: the key is never readable by others, not even briefly.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        created.append(path)
    return created
