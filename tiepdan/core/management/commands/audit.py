"""``tiepdan audit verify``: check the hash chain of the audit trail."""

from django.core.management.base import BaseCommand, CommandError

from tiepdan.core.audit import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký truy cập / verify the audit trail's hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the whole chain")

    def handle(self, *args, action: str, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Nhật ký KHÔNG toàn vẹn: chuỗi {report.chain}, mục #{report.first_bad_seq}: "
                f"{report.problem} "
                f"(đã kiểm tra {report.checked} mục hợp lệ trước đó)."
            )
        self.stdout.write(f"OK: {report.checked} mục, {report.chains} chuỗi băm toàn vẹn "
                          "(và nhật ký cũ).")
