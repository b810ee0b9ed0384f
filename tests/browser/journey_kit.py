"""What the journey test needs around the browser: the real product (``tiepdan serve``: uvicorn,
the Huey worker and Janus, on its own SQLite database with the demo data), its outbox, the demo
accounts' sign-in, and helpers that only ever click.

The product runs in child processes, so the test reads what it wrote (the outbox, TOTP keys,
the calendar override table) straight from its SQLite file, never through the test's own Django
database.
"""

from __future__ import annotations

import binascii
import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tiepdan.ops import installation
from tiepdan.workdays.calendar import Override, OverrideKind, WorkCalendar

REPO = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "TiepDan@2026"  # noqa: S105 - the published demo credential (tiepdan.demo)
LINK = re.compile(r"https?://[^\s\"'<>)]+")


@dataclass(frozen=True)
class Message:
    """One row of the product's outbox (notify's Delivery table): what was sent, to whom."""

    id: int
    channel: str
    recipient: str
    subject: str
    text: str
    html: str
    purpose: str

    def links(self) -> list[str]:
        return LINK.findall(self.text)

    def link(self, *, containing: str) -> str:
        """The one link of the message whose URL contains ``containing``."""
        found = [url for url in self.links() if containing in url]
        assert len(found) == 1, f"{len(found)} links with {containing!r} in:\n{self.text}"
        return found[0]


#: In a demo-database template: the directory it was built in.
ORIGIN = "template-origin.txt"


class Product:
    """``tiepdan serve`` on ``port`` with a fresh SQLite database holding the demo data.

    No SITE_URL is set: the links the product writes must point at the server it started."""

    def __init__(self, var_dir: Path, port: int, janus_ports: tuple[int, int]) -> None:
        self.var_dir, self.port = var_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.database = var_dir / "db.sqlite3"
        dropped = {"SITE_URL", "SITE_URL_FILE", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST",
                   "DJANGO_ALLOW_ASYNC_UNSAFE", "HUEY_IMMEDIATE"}
        self.env = {key: value for key, value in os.environ.items() if key not in dropped}
        self.env.update({
            "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "tiepdan.settings",
            "TIEPDAN_VAR_DIR": str(var_dir), "MEDIA_ROOT": str(var_dir / "files"),
            "JANUS_ICE_ENFORCE_LIST": "v0", "JANUS_HTTP_PORT": str(janus_ports[0]),
            "JANUS_ADMIN_PORT": str(janus_ports[1]), "JANUS_RTP_PORTS": "40500-40599",
            "JANUS_REC_DIR": str(var_dir / "recordings" / "raw"),
            "RECORDINGS_PROCESS_DELAY": "2",
            "RECORDINGS_SIGNING_KEY_FILE": str(var_dir / "keys" / "recordings-ed25519.pem"),
        })
        self.log = var_dir / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def _tiepdan(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "tiepdan.cli", *args], cwd=REPO, env=self.env,  # noqa: S603
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def calendar(self) -> WorkCalendar:
        """The product's working calendar: its baseline with the override table as the product
        holds it now (as ``workdays.services.current_calendar`` builds it)."""
        rows = self.rows("SELECT date, kind, name, legal_reference FROM workdays_calendaroverride")
        return WorkCalendar([Override(dt.date.fromisoformat(day), OverrideKind(kind), name, ref)
                             for day, kind, name, ref in rows])

    def is_working_day(self, day: dt.date) -> bool:
        return self.calendar().is_working_day(day)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        return self.calendar().add_working_days(day, n)

    def start(self) -> None:
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self._demo_database()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "tiepdan.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port)], cwd=REPO, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        janus = f"http://127.0.0.1:{self.env['JANUS_HTTP_PORT']}/janus/info"
        deadline = time.monotonic() + 120  # a busy 2-core machine: 20 to 60 s
        while not (self._answers(self.url + "/api/v1/health") and self._answers(janus)):
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"tiepdan serve did not start:\n{self.log_tail()}"
            time.sleep(0.3)

    def _demo_database(self) -> None:
        """Migrated, with the demo data (and the keys made with it): built once per state of
        the migrations and the demo loader (about 30 s on a busy 2-core machine), then copied
        for every run."""
        sources = sorted(REPO.glob("tiepdan/*/migrations/*.py")) + [REPO / "tiepdan/demo/data.py"]
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
        template = REPO / "var" / "test-cache" / f"journey-{digest}"
        if not (template / ORIGIN).exists():  # none yet, or made before ORIGIN was kept
            shutil.rmtree(template, ignore_errors=True)
            installation.prepare(self.env)  # `tiepdan init`
            self._tiepdan("migrate", "--noinput")
            self._tiepdan("load_demo")
            partial = template.with_name(template.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(self.var_dir, partial)
            (partial / ORIGIN).write_text(str(self.var_dir), encoding="utf-8")
            partial.rename(template)
        else:
            shutil.rmtree(self.var_dir)
            shutil.copytree(template, self.var_dir)
            # The demo's seals name their key files by absolute path, under the directory the
            # template was built in (gone with that test's temporary directory): here instead.
            origin = (self.var_dir / ORIGIN).read_text(encoding="utf-8")
            with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db, db:
                db.execute(
                    "UPDATE documents_organisationseal SET pkcs12_path = replace(pkcs12_path, "
                    "?1, ?2), secret_file = replace(secret_file, ?1, ?2)",
                    (origin, str(self.var_dir)))

    @staticmethod
    def _answers(url: str) -> bool:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    # -- What the product wrote --------------------------------------------------------------

    def rows(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(query, params).fetchall()

    def outbox(self, *, to: str = "", purpose: str = "", after: int = 0) -> list[Message]:
        """Messages the product queued (oldest first), optionally only those to ``to``
        (address or phone, as stored), for ``purpose``, or newer than message ``after``."""
        query = ("SELECT id, channel, recipient, subject, body_text, body_html, purpose "
                 "FROM notify_delivery WHERE id > ?")
        params: list[Any] = [after]
        if to:
            query += " AND recipient = ?"
            params.append(to)
        if purpose:
            query += " AND purpose LIKE ?"
            params.append(purpose)
        return [Message(*row) for row in self.rows(query + " ORDER BY id", *params)]

    def last_message_id(self) -> int:
        return self.rows("SELECT COALESCE(MAX(id), 0) FROM notify_delivery")[0][0]

    def wait_for_message(self, *, to: str, purpose: str = "", after: int = 0,
                         timeout: float = 20) -> Message:
        deadline = time.monotonic() + timeout
        while not (found := self.outbox(to=to, purpose=purpose, after=after)):
            assert time.monotonic() < deadline, (
                f"no message to {to} ({purpose or 'any purpose'}) after #{after}; outbox: "
                f"{[(m.id, m.recipient, m.purpose) for m in self.outbox(after=after)]}")
            time.sleep(0.3)
        return found[-1]

    def totp(self, username: str) -> str:
        """The code the user's authenticator app shows now (from the demo device's key)."""
        from django_otp.oath import totp

        ((key, step, t0, digits, drift),) = self.rows(
            "SELECT d.key, d.step, d.t0, d.digits, d.drift FROM otp_totp_totpdevice d "
            "JOIN auth_user u ON u.id = d.user_id WHERE u.username = ? AND d.confirmed",
            username)
        return f"{totp(binascii.unhexlify(key), step, t0, digits, drift):0{digits}d}"


# -- Clicking only -------------------------------------------------------------------------

def click_link(page: Page, name: str | re.Pattern[str], *, within: Locator | None = None,
               exact: bool = False) -> None:
    """Follow the (first visible) link called ``name``: how a person moves on."""
    scope = within if within is not None else page
    link = scope.get_by_role("link", name=name, exact=exact).first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_load_state()


def click_button(page: Page, name: str | re.Pattern[str], *, within: Locator | None = None,
                 exact: bool = False) -> None:
    scope = within if within is not None else page
    button = scope.get_by_role("button", name=name, exact=exact).first
    expect(button).to_be_visible()
    button.click()
    page.wait_for_load_state()


def labelled(scope: Page | Locator, label: str) -> Locator:
    """The control whose label starts with ``label`` (required fields end with a marker)."""
    return scope.get_by_label(re.compile("^" + re.escape(label))).first


def sign_in(page: Page, product: Product, username: str) -> None:
    """From the home page, through the staff sign-in link: password, then the TOTP code."""
    page.goto(product.url + "/")
    click_link(page, "Cán bộ đăng nhập")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    click_button(page, "Tiếp tục")
    page.get_by_label("Mã xác thực (6 chữ số)").fill(product.totp(username))
    click_button(page, "Đăng nhập")
    page.wait_for_url(re.compile(r"/can-bo/$"))


def go_home(page: Page, product: Product) -> None:
    """The staff dashboard, through the site's own header link."""
    page.goto(product.url + "/")
    click_link(page, "Cán bộ đăng nhập")  # signed in: the sign-in page goes to the dashboard


def wait_for(check: Callable[[], Any], timeout: float, what: str, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")
