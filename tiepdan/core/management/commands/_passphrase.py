"""The backup passphrase: from ``--passphrase-file`` or ``TIEPDAN_BACKUP_PASSPHRASE``, never from
the command line (it would show in the process list and the shell history)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import CommandError

ENV = "TIEPDAN_BACKUP_PASSPHRASE"


def read_passphrase(path: str | None) -> str:
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp mật khẩu {path}: {exc} / "
                               f"Cannot read the passphrase file {path}.") from exc
    value = os.environ.get(ENV, "")
    if not value:
        raise CommandError(f"Cần mật khẩu sao lưu: --passphrase-file TỆP hoặc biến {ENV}. / "
                           f"A backup passphrase is needed: --passphrase-file FILE or {ENV}.")
    return value
