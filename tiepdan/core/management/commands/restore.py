"""``tiepdan restore FILE``: bring a ``tiepdan backup`` archive back on an empty machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.core import backup, restore

from ._passphrase import read_passphrase


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu lên máy trống / restore a backup onto an empty machine.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the file written by `tiepdan backup`")
        parser.add_argument("--passphrase-file", help="a file holding the passphrase "
                            "(default: the TIEPDAN_BACKUP_PASSPHRASE variable)")
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database, files and keys already here")

    def handle(self, *args: Any, archive: str, passphrase_file: str | None, force: bool,
               **options: Any) -> None:
        passphrase = read_passphrase(passphrase_file)
        try:
            summary = restore.restore(Path(archive), passphrase, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục bản sao lưu lúc {summary.created_at} / restored the backup of "
            f"{summary.created_at}: CSDL / database {summary.database}, {summary.files} tệp / "
            f"files, {summary.recordings} bản ghi thô / raw recordings, khóa / keys: "
            f"{', '.join(summary.keys)}. Kiểm tra: `tiepdan audit verify`."))
