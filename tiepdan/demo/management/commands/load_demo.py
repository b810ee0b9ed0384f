from django.core.management.base import BaseCommand

from tiepdan.demo.data import DEMO_PASSWORD, load


class Command(BaseCommand):
    help = "Load synthetic demo data (Hải Phòng, Xã An Lão, Xã Lạc Phượng, staff, matters)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    def handle(self, *args, quiet: bool = False, **options):
        logins = load()
        if quiet:
            return
        self.stdout.write("Tài khoản demo / demo logins "
                          f"(mật khẩu / password: {DEMO_PASSWORD}; mã TOTP / code: "
                          "`TIEPDAN_DEMO=1 .venv/bin/tiepdan totp <tên đăng nhập>`):")
        for login in logins:
            self.stdout.write(f"  {login.username:<22} {login.role} — {login.scope}")
