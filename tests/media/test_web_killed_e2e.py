"""The web process of ``tiepdan serve`` killed mid-hearing (issue 12 §9), in real browsers.

``tiepdan serve`` runs as ``make run`` starts it (embedded mode: uvicorn, the Huey worker and
Janus under its supervisor, no Redis) on a copy of this test's SQLite database.  The chair, the
technical operator and a citizen's point join from headless Chromium (fake camera and
microphone); the chair gives the citizen the floor for 5 minutes; then the web child gets
SIGKILL.  The supervisor starts a new one; the pages rejoin by themselves (nobody reloads them)
and show the floor as it was, the citizen still heard; the recording goes on in a new segment
per point (the pages publish again), and once the chair has ended the hearing the worker's
manifest reports each point's gap with the web process's death as its cause.

Run as root: ``scripts/netns-run .venv/bin/pytest -m media_e2e tests/media/test_web_killed_e2e.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.database_copy import database_url
from tiepdan.hearings.join_tokens import join_path

from .conftest import RoomCast
from .processes import REPO, staff_cookie
from .test_room_e2e import CHROMIUM, CHROMIUM_ARGS, INBOUND, pytestmark, wait_for  # noqa: F401

# Inside the namespace of scripts/netns-run (its own ports): the web server, Janus's API and
# admin ports, and its media ports.
PORT = 8610
JANUS_PORTS = (8611, 8612)
RTP_PORTS = "40600-40699"
BUDGET = 300  # the citizen's time to speak, in seconds
#: What the page shows while someone speaks with a time budget ("… còn lại: 4:58").
TIME_LEFT = re.compile(r"(\d+):(\d\d)$")


class Served:
    """``tiepdan serve`` (role all) on ``database``, its files under ``var``."""

    def __init__(self, var: Path, database: str, secret_key: str) -> None:
        self.var, self.url = var, f"http://127.0.0.1:{PORT}"
        self.database = Path(database.removeprefix("sqlite:///"))
        dropped = {"SITE_URL", "SITE_URL_FILE", "DATABASE_URL", "REDIS_URL", "EMAIL_HOST",
                   "DJANGO_ALLOW_ASYNC_UNSAFE", "HUEY_IMMEDIATE", "SECRET_KEY"}
        self.env = {k: v for k, v in os.environ.items()
                    if k not in dropped and not k.startswith(("TIEPDAN_", "JANUS_"))}
        self.env.update({
            "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "tiepdan.settings",
            "TIEPDAN_VAR_DIR": str(var), "MEDIA_ROOT": str(var / "files"),
            "DATABASE_URL": database, "SECRET_KEY": secret_key,
            "JANUS_ICE_ENFORCE_LIST": "v0", "JANUS_HTTP_PORT": str(JANUS_PORTS[0]),
            "JANUS_ADMIN_PORT": str(JANUS_PORTS[1]), "JANUS_RTP_PORTS": RTP_PORTS,
            "JANUS_REC_DIR": str(var / "recordings" / "raw"),
            "RECORDINGS_PROCESS_DELAY": "1",
            "RECORDINGS_SIGNING_KEY_FILE": str(var / "keys" / "recordings-ed25519.pem"),
        })
        self.log = var / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "tiepdan.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(PORT)], cwd=REPO, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        janus = f"http://127.0.0.1:{JANUS_PORTS[0]}/janus/info"
        wait_for(lambda: self._check_alive() and self.answers(self.url + "/static/tiepdan/site.css")
                 and self.answers(janus), 120, "tiepdan serve to start")

    def _check_alive(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log_tail()
        return True

    @staticmethod
    def answers(url: str) -> bool:
        with contextlib.suppress(httpx.HTTPError):
            return httpx.get(url, timeout=2).status_code == 200
        return False

    def web_pid(self) -> int | None:
        """The uvicorn child of the supervisor."""
        assert self.process is not None
        return next((pid for pid, cmd in children(self.process.pid) if "uvicorn" in cmd), None)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self, lines: int = 80) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def row(self, query: str, *params: Any) -> tuple[Any, ...] | None:
        with contextlib.closing(sqlite3.connect(self.database, timeout=10)) as db:
            return db.execute(query, params).fetchone()

    def tiepdan(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tiepdan.cli", *args], cwd=REPO,  # noqa: S603
                              env=self.env, capture_output=True, text=True, timeout=120,
                              check=False)


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every direct child of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append((int(entry.name),
                              (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
    return found


def time_left(page) -> int | None:
    """The seconds left of the speaker's budget, as the page shows them."""
    shown = page.locator("#floor-time")
    match = TIME_LEFT.search(shown.inner_text()) if shown.is_visible() else None
    return int(match[1]) * 60 + int(match[2]) if match else None


def floor_shown(page) -> tuple[str | None, int | None]:
    """Who holds the floor for this page, and the time left it shows."""
    return page.evaluate("window.tiepdanRoom.floor"), time_left(page)


def audio_from(page, feed: int) -> int:
    """Bytes of ``feed``'s sound this page has received."""
    return page.evaluate(INBOUND).get(str(feed), {}).get("audioBytes", 0)


def test_pages_rejoin_and_the_recording_resumes_after_the_web_process_is_killed(
        cast: RoomCast, login_staff, settings, tmp_path, capsys) -> None:
    from playwright.sync_api import sync_playwright

    cookies = {who: staff_cookie(getattr(cast, who), login_staff) for who in ("chair", "operator")}
    product = Served(tmp_path / "var", database_url(tmp_path), settings.SECRET_KEY)
    hearing = cast.hearing.pk
    citizen_key = f"p{cast.citizen.pk}"
    try:
        product.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                pages = {}
                for who in ("chair", "operator", "citizen"):
                    context = browser.new_context(locale="vi-VN")
                    context.set_default_timeout(30_000)
                    if who in cookies:
                        context.add_cookies([{"name": "sessionid", "value": cookies[who],
                                              "url": product.url}])
                    pages[who] = context.new_page()
                    pages[who].on("dialog", lambda dialog: dialog.accept())  # end the hearing
                staff_url = f"{product.url}/can-bo/phong-tiep/{hearing}/"
                urls = {"chair": staff_url, "operator": staff_url,
                        "citizen": product.url + join_path(cast.citizen)}
                for who, page in pages.items():
                    page.goto(urls[who])
                    page.click("#accept-rules")
                    page.click("#device-ok:not([disabled])")
                chair, citizen, operator = pages["chair"], pages["citizen"], pages["operator"]
                citizen.wait_for_selector("#step-lobby:not([hidden])")
                operator.click(f'[data-identity="{citizen_key}"]')
                operator.click(f'[data-admit="{citizen_key}"]')

                def feeds() -> dict[str, int | None]:
                    return {who: pages[who].evaluate("window.tiepdanRoom.myFeed")
                            for who in ("chair", "citizen")}

                def each_sees_the_other() -> bool:
                    mine = feeds()
                    return bool(mine["chair"] and mine["citizen"]) and all(
                        page.evaluate(INBOUND).get(str(mine[other]), {}).get("width", 0) > 0
                        for page, other in ((chair, "citizen"), (citizen, "chair")))

                wait_for(each_sees_the_other, 60, "the chair and the citizen to see each other")
                chair.fill("#grant-seconds", str(BUDGET))
                chair.click(f'#chair-points [data-grant="{citizen_key}"]')
                granted_at = time.monotonic()
                for page in pages.values():
                    wait_for(lambda page=page: floor_shown(page)[0] == citizen_key
                             and floor_shown(page)[1], 15, "the citizen's floor and its time")
                before = feeds()
                heard = audio_from(chair, before["citizen"])
                wait_for(lambda: audio_from(chair, before["citizen"]) > heard + 5000, 15,
                         "the chair to hear the citizen")  # seconds recorded before the kill

                web = product.web_pid()
                untouched = {pid for pid, _ in children(product.process.pid)} - {web}
                assert web is not None
                os.kill(web, signal.SIGKILL)
                killed_at, killed_wall = time.monotonic(), time.time()
                wait_for(lambda: product.web_pid() not in (None, web), 30,
                         "the supervisor to start a new web process")

                def republished() -> bool:
                    now = feeds()
                    return all(now[who] and now[who] != before[who] for who in now)

                wait_for(republished, 90, "the pages to rejoin and publish again")
                wait_for(each_sees_the_other, 60, "the chair and the citizen to see each other "
                                                  "again")
                recovered = time.monotonic() - killed_at
                after = feeds()
                # The floor as it was, on every page: the holder and its time left.
                expected_left = BUDGET - (time.monotonic() - granted_at)
                for who, page in pages.items():
                    holder, left = floor_shown(page)
                    assert holder == citizen_key, (who, holder)
                    assert left is not None and abs(left - expected_left) <= 5, (who, left,
                                                                                 expected_left)
                assert citizen.locator("#mic-live").is_visible()
                # Still heard: unmuted on Janus again as soon as it published again.
                heard = audio_from(chair, after["citizen"])
                wait_for(lambda: audio_from(chair, after["citizen"]) > heard + 5000, 15,
                         "the chair to hear the citizen again")
                # Janus and the worker ran on untouched.
                assert untouched <= {pid for pid, _ in children(product.process.pid)}

                chair.click("#end-hearing")
                for who, page in pages.items():
                    wait_for(lambda page=page: page.evaluate("window.tiepdanRoom.ended !== null"),
                             30, f"the {who}'s page to be told the hearing has ended")
            finally:
                browser.close()

        # The worker processes the recordings once the hearing has ended.
        wait_for(lambda: product.row("SELECT processing_state FROM media_hearingroom "
                                     "WHERE hearing_id = ?", hearing) in {("done",), ("failed",)},
                 120, "the worker to process the recordings")
        state, error, manifest = product.row(
            "SELECT processing_state, processing_error, manifest FROM media_hearingroom "
            "WHERE hearing_id = ?", hearing)
        assert state == "done", error
        manifest = json.loads(manifest)
        killed_offset = killed_wall - dt.datetime.fromisoformat(manifest["started_at"]).timestamp()
        points = {cast.central.pk: before["chair"], cast.citizen_point.pk: before["citizen"]}
        files = [f for f in manifest["files"] if not f["combined"]]
        # One segment before the kill and one after, per point.
        assert sorted((f["bridge_point"], f["feed"]) for f in files) == sorted(
            [(point, feed) for point, feed in points.items()]
            + [(cast.central.pk, after["chair"]), (cast.citizen_point.pk, after["citizen"])])
        gaps = {g["bridge_point"]: g for g in manifest["gaps"]}
        assert sorted(gaps) == sorted(points) and len(manifest["gaps"]) == 2, manifest["gaps"]
        for gap in gaps.values():
            assert gap["cause"] == "web_process_lost", gap
            # From the kill (the pages closed their connections to Janus at once) to the
            # publish after the rejoin.
            assert killed_offset - 2 <= gap["start_seconds"] <= killed_offset + 1, (
                gap, killed_offset)
            assert 0 < gap["end_seconds"] - gap["start_seconds"] <= recovered + 2, (
                gap, recovered)
        verified = product.tiepdan("recordings", "verify", str(hearing))
        assert verified.returncode == 0, verified.stderr
    except BaseException:
        print(product.log_tail())
        raise
    finally:
        product.stop()
    lengths = {g["label"]: round(g["end_seconds"] - g["start_seconds"], 2) for g in gaps.values()}
    with capsys.disabled():
        print(f"\n[web killed e2e] the pages back and seeing each other {recovered:.2f} s after "
              f"the kill; gaps in the recording (s): {lengths}")
