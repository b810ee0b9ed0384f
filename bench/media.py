"""Benchmark: a live hearing room with 2 and then 4 bridge points for 30 s each, against the
real product (``tiepdan serve``: uvicorn, the Huey worker and Janus under the supervisor).

Each point is a headless Chromium page with a fake camera and microphone (Debian chromium);
the technical operator's page admits them.  Janus needs a non-loopback interface for ICE, so
the script re-runs itself inside ``scripts/netns-run`` (root) when it is not in one.

Prints, per size: Janus CPU and app CPU (cores, over the steady 30 s), time from admission to
the first remote frame (worst page), received frames per second (mean over watched feeds),
recorded/actual duration (the worst point's share of the hearing, from the moment every point
sees every other to the end, covered by its files), and
the post-processing time of the per-point files (and of the combined file, reported apart: it
is encoded).  Targets: first remote frame within 3 s at 4 points; recorded duration at least
99 % of the hearing; post-processing of the per-point files under 2 % of the hearing's length;
the app under 5 % of a core during the steady 4-point hearing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402 - run as a script, next to _common.py
    PYTHON,
    ROOT,
    _cpu_seconds,
    _process_tree,
    free_port,
    print_figure,
    run_tiepdan,
    staff_session,
    stop_after,
    stop_on_sigterm,
)

from tiepdan.ops import installation  # noqa: E402 - after the path set-up above

STEADY_SECONDS = 30.0
SIZES = (2, 4)
TIME_BUDGET = 290
TARGET_FIRST_FRAME_S = 3.0
TARGET_RECORDED_RATIO = 0.99
TARGET_POSTPROCESS_RATIO = 0.02
TARGET_APP_CORES = 0.05
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
]


def in_network_namespace() -> bool:
    return "v0" in {name for _, name in socket.if_nameindex()}


def environment(var_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "TIEPDAN_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "JANUS_ICE_ENFORCE_LIST": "v0",
        "JANUS_HTTP_PORT": str(free_port()),
        "JANUS_ADMIN_PORT": str(free_port()),
        "JANUS_RTP_PORTS": "40300-40499",
        # The bench times the processing itself: the server's job must not run meanwhile.
        "RECORDINGS_PROCESS_DELAY": "3600",
        "DJANGO_SETTINGS_MODULE": "tiepdan.settings",
        "SITE_URL": "http://127.0.0.1",
    }
    installation.prepare(env)  # `tiepdan init` of the bench's installation
    return env


class Product:
    """``tiepdan serve`` and its children: the web process, the worker and Janus."""

    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.port = port
        with log_path.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [PYTHON, "-m", "tiepdan.cli", "serve", "--host", "127.0.0.1", "--port",
                 str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.janus_pid() and self._answers():
                return
            time.sleep(0.3)
        raise RuntimeError(f"the product did not start: see {log_path}")

    def _answers(self) -> bool:
        import urllib.request

        url = f"http://127.0.0.1:{self.port}/api/v1/health"
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
        return False

    def _children(self) -> dict[int, str]:
        found = {}
        for pid in _process_tree(self.process.pid)[1:]:
            with contextlib.suppress(OSError):
                found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")\
                    .decode(errors="replace")
        return found

    def janus_pid(self) -> int | None:
        return next((pid for pid, cmd in self._children().items()
                     if Path(cmd.split(" ")[0]).name == "janus"), None)

    def app_pids(self) -> list[int]:
        janus = self.janus_pid()
        return [self.process.pid] + [pid for pid in self._children() if pid != janus]

    def stop(self) -> None:
        import signal

        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def make_hearing(points: int):
    """A confirmed hearing under way: the chair's central point and ``points - 1`` others."""
    from django.utils import timezone

    from tiepdan.core.models import Commune, Role, StaffRole
    from tiepdan.hearings.models import BridgePoint, Hearing, HearingStatus, Participant

    commune = Commune.objects.get(ward_code=11629)
    chair = StaffRole.objects.filter(commune=commune, role=Role.CHAIRMAN).first().user
    operator = StaffRole.objects.filter(commune=commune, role=Role.TECHNICAL_OPERATOR)\
        .first().user
    now = timezone.now()
    hearing = Hearing.objects.create(
        commune=commune, starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(hours=1), chair=chair, created_by=chair,
        title=f"Đo hiệu năng {points} điểm cầu", status=HearingStatus.CONFIRMED)
    participants = []
    for index in range(points):
        point = BridgePoint.objects.create(
            hearing=hearing, kind="commune_hall" if index == 0 else "department",
            is_central=index == 0, name=f"Điểm cầu {index + 1}", address="Xã An Lão",
            responsible_person="Người phụ trách", technical_contact_name="Kỹ thuật",
            technical_contact_phone="0912000000")
        if index:
            participants.append(Participant.objects.create(
                bridge_point=point, full_name=f"Đại biểu {index}"))
    return hearing, chair, operator, participants


def wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def run_size(browser, product: Product, points: int, rec_dir: Path) -> dict[str, float]:
    from tiepdan.hearings.join_tokens import join_path
    from tiepdan.media import custody
    from tiepdan.media.models import HearingRoom, RecordingFile

    base = f"http://127.0.0.1:{product.port}"
    hearing, chair, operator, participants = make_hearing(points)
    pages = {}
    for who, user in (("operator", operator), ("chair", chair)):
        context = browser.new_context(locale="vi-VN")
        context.add_cookies([{"name": "sessionid", "value": staff_session(user), "url": base}])
        pages[who] = context.new_page()
        pages[who].goto(f"{base}/can-bo/phong-tiep/{hearing.pk}/")
    for participant in participants:
        pages[f"p{participant.pk}"] = browser.new_context(locale="vi-VN").new_page()
        pages[f"p{participant.pk}"].goto(base + join_path(participant))
    for who, page in pages.items():
        page.set_default_timeout(20_000)
        if page.locator("#accept-rules").count() == 0:
            raise RuntimeError(f"{who}: not a room page: {page.url} {page.title()}")
        page.click("#accept-rules")
        page.click("#device-ok:not([disabled])")
    publishers = [who for who in pages if who != "operator"]
    for key in publishers[1:]:
        pages[key].wait_for_selector("#step-lobby:not([hidden])")
    admitted = time.monotonic()
    for key in publishers[1:]:
        pages["operator"].click(f'[data-admit="{key}"]')
    first = {}

    def everyone_sees_everyone() -> bool:
        done = True
        for who in publishers:
            seen = pages[who].evaluate("() => window.tiepdanRoom.inboundVideo()")
            playing = sum(1 for v in seen.values() if v["width"] > 0)
            if who not in first and playing:
                first[who] = time.monotonic() - admitted
            done = done and playing >= points - 1
        return done

    wait_for(everyone_sees_everyone, 30, "every point to see every other")
    from django.utils import timezone

    all_connected = timezone.now()  # the hearing proper starts: everyone sees everyone
    janus, app = product.janus_pid(), product.app_pids()
    counters = {who: pages[who].evaluate("() => window.tiepdanRoom.inboundVideo()")
                for who in publishers}
    janus_cpu, app_cpu = _cpu_seconds(janus), sum(_cpu_seconds(pid) for pid in app)
    began = time.monotonic()
    time.sleep(STEADY_SECONDS)
    elapsed = time.monotonic() - began
    janus_cores = (_cpu_seconds(janus) - janus_cpu) / elapsed
    app_cores = (sum(_cpu_seconds(pid) for pid in product.app_pids()) - app_cpu) / elapsed
    fps, received_bytes = [], 0
    for who in publishers:
        now = pages[who].evaluate("() => window.tiepdanRoom.inboundVideo()")
        for feed, values in now.items():
            if feed in counters[who]:
                before = counters[who][feed]
                fps.append((values["framesDecoded"] - before["framesDecoded"]) / elapsed)
                received_bytes += (values["audioBytes"] + values["videoBytes"]
                                   - before["audioBytes"] - before["videoBytes"])
    # What Janus forwarded: every stream every point received (the operator publishes nothing
    # and is not counted, a small underestimate of Janus's work).
    forwarded_mbps = received_bytes * 8 / elapsed / 1e6
    # The chair ends the hearing: the room is destroyed, Janus closes the recordings.
    pages["chair"].once("dialog", lambda dialog: dialog.accept())
    pages["chair"].click("#end-hearing")
    for page in pages.values():
        wait_for(lambda page=page: page.evaluate("window.tiepdanRoom.ended !== null"), 15,
                 "every page to be told the hearing ended")
    for page in pages.values():
        page.context.close()
    time.sleep(2)
    room = HearingRoom.objects.get(hearing=hearing)
    started = time.monotonic()
    custody.process(hearing.pk, rec_dir, combine=False)
    points_seconds = time.monotonic() - started
    started = time.monotonic()
    custody.process(hearing.pk, rec_dir)
    combined_seconds = time.monotonic() - started
    room.refresh_from_db()
    # Recorded share of the hearing: for each point, how much of the span from "everyone
    # connected" to the end its files cover (the worst point counts).
    start = (all_connected - room.started_at).total_seconds()
    end = (room.ended_at - room.started_at).total_seconds()
    length = end - start
    covered: dict[int, float] = {}
    for record in RecordingFile.objects.filter(room=room, is_combined=False):
        overlap = (min(end, record.offset_seconds + record.duration_seconds)
                   - max(start, record.offset_seconds))
        covered[record.bridge_point_id] = covered.get(record.bridge_point_id, 0.0) + max(
            0.0, overlap)
    if len(covered) != points:
        raise RuntimeError(f"{points} points but recordings of {len(covered)}")
    problems = custody.verify(hearing.pk)
    if problems:
        raise RuntimeError(f"recordings do not verify: {problems}")
    return {
        "janus_cpu": janus_cores, "app_cpu": app_cores, "forwarded": forwarded_mbps,
        "janus_cpu_per_forwarded_mbps": (100 * janus_cores / forwarded_mbps
                                         if forwarded_mbps else 0.0),
        "first_remote_frame": max(first.values()), "received_fps": sum(fps) / len(fps),
        "recorded_ratio": min(covered.values()) / length, "hearing_length": length,
        "postprocess_points": points_seconds, "postprocess_ratio": points_seconds / length,
        "postprocess_combined": combined_seconds,
    }


def main() -> int:
    if not in_network_namespace():
        netns = ROOT / "scripts" / "netns-run"
        return subprocess.call([str(netns), PYTHON, __file__, *sys.argv[1:]])  # noqa: S603
    stop_on_sigterm()
    stop_after(TIME_BUDGET)
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-media-") as tmp:
        var_dir = Path(tmp)
        env = environment(var_dir)
        os.environ.update(env)
        run_tiepdan(["migrate", "--noinput"], env)
        run_tiepdan(["load_demo"], env)
        import django

        django.setup()
        from playwright.sync_api import sync_playwright

        from tiepdan.media.room_service import janus_settings

        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # ORM calls between browser steps
        product = Product(env, free_port(), var_dir / "serve.log")
        results = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                try:
                    for points in SIZES:
                        results[points] = run_size(browser, product, points,
                                                   janus_settings().rec_dir)
                except Exception:
                    log = (var_dir / "serve.log").read_text(errors="replace")
                    print(f"--- the product's log (end) ---\n{log[-6000:]}", file=sys.stderr)
                    raise
                finally:
                    browser.close()
        finally:
            product.stop()
    units = {"janus_cpu": "cores", "app_cpu": "cores", "forwarded": "Mbps",
             "janus_cpu_per_forwarded_mbps": "% of a core per Mbps", "first_remote_frame": "s",
             "received_fps": "fps", "recorded_ratio": "ratio", "hearing_length": "s",
             "postprocess_points": "s", "postprocess_ratio": "ratio",
             "postprocess_combined": "s"}
    for points, figures in results.items():
        for name, value in figures.items():
            print_figure(f"media_{points}p_{name}", round(value, 3), units[name])
    four = results[4]
    missed = [name for name, ok in (
        ("first_remote_frame_4p", four["first_remote_frame"] <= TARGET_FIRST_FRAME_S),
        ("recorded_ratio", min(r["recorded_ratio"] for r in results.values())
         >= TARGET_RECORDED_RATIO),
        ("postprocess_ratio", max(r["postprocess_ratio"] for r in results.values())
         < TARGET_POSTPROCESS_RATIO),
        ("app_cpu_4p", four["app_cpu"] < TARGET_APP_CORES),
    ) if not ok]
    print("targets: met" if not missed else f"targets: missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
