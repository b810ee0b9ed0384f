"""``tiepdan serve``: the whole product in one command (ASGI server, background worker and the
Janus media server), supervised."""

import os
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tiepdan.core.public_urls import answers, derived_site_url
from tiepdan.media import coturn, janus_config
from tiepdan.media.janus_config import JanusSettings, settings_from_django
from tiepdan.media.janus_process import MISSING_JANUS_MESSAGE, janus_binary
from tiepdan.ops import roles
from tiepdan.ops.supervisor import Service, Supervisor

# uvicorn never rewrites the client address or scheme from proxy headers: the one place that
# decides whether to believe them is tiepdan.core.client_address (settings.TRUSTED_PROXIES).
# Frames above 64 KiB are refused by the server before they are read (media signalling).
WS_MAX_SIZE = 64 * 1024


def web_command(python: str, host: str, port: int, workers: int) -> list[str]:
    return [python, "-m", "uvicorn", "tiepdan.asgi:application", "--host", host,
            "--port", str(port), "--workers", str(workers), "--no-access-log",
            "--lifespan", "off", "--no-proxy-headers", "--ws-max-size", str(WS_MAX_SIZE)]


def web_workers(requested: int | None, shared_state: bool) -> int:
    """How many uvicorn workers: one per core when the rooms share their state through Redis
    (decision 0003), one in embedded mode, where live rooms and the channel layer are in the
    process's memory and a second worker would split a hearing in two."""
    if requested is None:
        return max(1, os.cpu_count() or 1) if shared_state else 1
    if requested < 1:
        raise CommandError("--workers phải từ 1 trở lên. / --workers must be at least 1.")
    if requested > 1 and not shared_state:
        raise CommandError(
            "Nhiều tiến trình web cần Redis (đặt REDIS_URL): không có Redis, mỗi tiến trình giữ "
            "phòng họp riêng và một buổi tiếp bị chia đôi. / Several web workers need Redis "
            "(set REDIS_URL): without it each process keeps its own rooms and a hearing splits "
            "in two.")
    return requested


def janus_service(settings: JanusSettings) -> Service:
    """A supervised Janus whose configuration is rewritten before every (re)start, so a restart
    after a crash always starts from a fresh, complete configuration."""
    return Service("janus", settings.command(),
                   prepare=lambda: janus_config.write_config(settings))


def coturn_service(settings: coturn.CoturnSettings) -> Service:
    """A supervised coturn whose configuration is rewritten before every (re)start."""
    return Service("coturn", settings.command(), prepare=lambda: coturn.write_config(settings))


class Command(BaseCommand):
    help = "Start Tiếp Dân: the web server (uvicorn, ASGI) and the Huey worker, supervised."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=None,
            help="uvicorn worker processes (default: one per core with REDIS_URL, else 1)")
        parser.add_argument("--no-worker", action="store_true", help="do not start Huey")
        parser.add_argument("--no-janus", action="store_true",
                            help="do not start the Janus media server (online hearings)")
        parser.add_argument("--role", choices=roles.ROLES, default="all",
                            help="run one role (one systemd unit each, docs/deploy.md): web, "
                                 "worker (Huey) or media (Janus); all: every one (default)")

    def handle(self, *args, host: str, port: int, workers: int | None, no_worker: bool,
               no_janus: bool, role: str = "all", **options):
        workers = web_workers(workers, bool(settings.REDIS_URL))
        if not settings.SITE_URL_CONFIGURED:
            # No public address configured: links point at the server started here (the
            # children read SITE_URL from the environment they inherit).
            settings.SITE_URL = derived_site_url(host, port)
            os.environ["SITE_URL"] = settings.SITE_URL
        python = sys.executable
        services = []
        if roles.runs(role, "web"):
            services.append(Service("web", web_command(python, host, port, workers)))
        if roles.runs(role, "worker") and not no_worker:
            services.append(Service("worker", [python, "-m", "tiepdan.cli", "run_huey",
                                               "--workers", "2", "--worker-type", "thread"]))
        if roles.runs(role, "janus") and not no_janus:
            janus = settings_from_django()
            if janus_binary(janus):
                # Its configuration is (re)written before every start, restarts included.
                services.append(janus_service(janus))
            else:
                self.stderr.write(self.style.WARNING(MISSING_JANUS_MESSAGE))
        if roles.runs(role, "coturn") and settings.TURN_EMBEDDED:
            turn = coturn.settings_from_django()
            if coturn.coturn_binary(turn):
                services.append(coturn_service(turn))  # config rewritten at each start
            else:
                self.stderr.write(self.style.WARNING(coturn.MISSING_COTURN_MESSAGE))
        if not services:
            raise CommandError(f"Vai trò {role}: không có tiến trình nào để chạy / role {role}: "
                               "nothing to run.")
        roles.prepare_metrics(services, settings.METRICS_DIR)
        if not roles.runs(role, "web"):
            self.stdout.write(self.style.SUCCESS(
                f"Tiếp Dân: vai trò / role {role} ({', '.join(s.name for s in services)})."))
            Supervisor(services).run()
            return
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(self.style.SUCCESS(
            f"Tiếp Dân đang chạy tại / is running at http://{host}:{port}/ "
            f"(cơ sở dữ liệu / database: {engine}). Ctrl+C để dừng / to stop.\n"
            f"Địa chỉ trong thư, SMS, văn bản / Address in mail, SMS, documents: "
            f"{settings.SITE_URL}/"))
        threading.Thread(target=self.check_public_address,
                         args=(derived_site_url(host, port), settings.SITE_URL),
                         name="site-url-check", daemon=True).start()
        Supervisor(services).run()

    def check_public_address(self, local_url: str, site_url: str, wait: float = 60.0) -> None:
        """Once the web server answers here, warn (do not fail) when the public address does
        not: every link in mail, SMS and documents would be dead."""
        deadline = time.monotonic() + wait
        while not answers(local_url, timeout=2):
            if time.monotonic() > deadline:
                return  # the web server did not come up: the supervisor says why
            time.sleep(0.5)
        if not answers(site_url):
            self.stderr.write(self.style.WARNING(
                f"Cảnh báo: địa chỉ công khai SITE_URL={site_url} không trả lời từ máy này; "
                f"các đường dẫn trong thư, SMS và văn bản sẽ không mở được. Đặt SITE_URL là "
                f"địa chỉ mà người dân và cán bộ dùng để mở trang.\n"
                f"Warning: the public address SITE_URL={site_url} does not answer from this "
                f"machine; the links in mail, SMS and documents will not open. Set SITE_URL "
                f"to the address people use to reach this server."))
