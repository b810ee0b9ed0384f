"""``tiepdan identity ...``: keys of denouncer identity protection.

* ``new-key``: make a new Fernet key; in embedded mode it is put first in the key file, otherwise
  it is printed to be put first in ``TIEPDAN_IDENTITY_KEYS``;
* ``rotate-keys``: re-encrypt every sealed identity and withheld attachment with the newest key
  (after which older keys may be removed);
* ``rebuild-digests``: recompute the blind indexes (after the digest key changed).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from tiepdan.core import audit
from tiepdan.intake.identity import keys as identity_keys
from tiepdan.intake.identity import sealing


class Command(BaseCommand):
    help = "Khóa bảo vệ danh tính người tố cáo / denouncer identity keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("new-key", help="make a new key (first in the key file in embedded mode)")
        sub.add_parser("rotate-keys", help="re-encrypt everything with the newest key")
        sub.add_parser("rebuild-digests", help="recompute the ID and phone digests")

    def handle(self, *args, action: str, **options):
        getattr(self, "_" + action.replace("-", "_"))()

    def _new_key(self) -> None:
        if settings.IDENTITY_KEYS:
            self.stdout.write(
                "Thêm khóa này vào ĐẦU biến TIEPDAN_IDENTITY_KEYS (cách nhau bởi dấu phẩy), khởi "
                "động lại, rồi chạy `tiepdan identity rotate-keys`:\n" + identity_keys.new_key())
            return
        key_id = identity_keys.add_file_key()
        audit.record("intake.identity_key.added", actor=None, object_type="intake.identity_key",
                     object_id=key_id, data={"key_id": key_id})
        self.stdout.write(f"Đã thêm khóa {key_id} vào {settings.IDENTITY_KEY_FILE}. "
                          "Chạy `tiepdan identity rotate-keys` để mã hóa lại dữ liệu.")

    def _rotate_keys(self) -> None:
        rows, files = sealing.rotate_keys()
        key_id = identity_keys.primary_key_id()
        audit.record("intake.identity_key.rotated", actor=None, object_type="intake.identity_key",
                     object_id=key_id, data={"key_id": key_id, "matters": rows, "files": files})
        self.stdout.write(f"OK: đã mã hóa lại {rows} hồ sơ và {files} tệp bằng khóa {key_id}.")

    def _rebuild_digests(self) -> None:
        count = sealing.backfill_digests()
        audit.record("intake.digests.recomputed", actor=None, object_type="intake.matter",
                     data={"matters": count})
        self.stdout.write(f"OK: {count} hồ sơ.")
