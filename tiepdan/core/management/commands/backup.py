"""``tiepdan backup --output FILE``: one archive of the database, the stored files, the
recordings and the key material (encrypted with a passphrase); see ``tiepdan.core.backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.core import backup

from ._passphrase import read_passphrase


class Command(BaseCommand):
    help = ("Sao lưu toàn bộ (CSDL, tệp, bản ghi hình, khóa đã mã hóa) vào một tệp / back up "
            "everything into one archive.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", required=True, help="the archive to write")
        parser.add_argument("--passphrase-file", help="a file holding the passphrase "
                            "(default: the TIEPDAN_BACKUP_PASSPHRASE variable)")

    def handle(self, *args: Any, output: str, passphrase_file: str | None,
               **options: Any) -> None:
        passphrase = read_passphrase(passphrase_file)
        try:
            summary = backup.create(Path(output), passphrase)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Đã sao lưu / backed up: {summary.path} ({summary.size / 1e6:.1f} MB; CSDL / "
            f"database {summary.database}, {summary.files} tệp / files, {summary.recordings} "
            f"bản ghi thô / raw recordings, khóa / keys: {', '.join(summary.keys)})."))
