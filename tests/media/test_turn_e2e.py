"""A hearing through coturn: the citizen's browser is on a network where only the TURN relay
works (``iceTransportPolicy: "relay"``, the readiness page's "relay only" mode, here set by
``?relay=1`` on the join link).  Real Chromium, real Janus, real coturn with time-limited
credentials, inside scripts/netns-run.

Run as root: ``scripts/netns-run .venv/bin/pytest -m media_e2e tests/media/test_turn_e2e.py``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from tiepdan.hearings.join_tokens import join_path
from tiepdan.media import custody, postprocess, tasks
from tiepdan.media.coturn import CoturnProcess, CoturnSettings, coturn_binary
from tiepdan.media.models import EventKind, HearingRoom, RecordingFile, RoomEvent, RoomSeat

from .conftest import RoomCast
from .test_room_e2e import CHROMIUM, CHROMIUM_ARGS, INBOUND, wait_for

pytestmark = [
    pytest.mark.media_e2e,
    pytest.mark.skipif("v0" not in {name for _, name in socket.if_nameindex()},
                       reason="needs the private network namespace with interface v0: run "
                              "`scripts/netns-run .venv/bin/pytest -m media_e2e tests/media` "
                              "as root"),
]
TURN_SECRET = "secret-shared-by-the-app-and-coturn-in-this-test"
V0 = "127.0.0.5"  # the namespace's non-loopback interface (scripts/netns-run)

# Per RTCPeerConnection of the page: the type, port and (relayed) the protocol to the TURN
# server of the local candidate ICE selected.
SELECTED = """async () => {
  const room = window.tiepdanRoom;
  const out = [];
  for (const pc of [room.publisher, ...room.subscribers.values()].filter(Boolean)) {
    const report = await pc.getStats();
    let type = null;
    report.forEach((s) => {
      if (s.type === "transport" && s.selectedCandidatePairId) {
        const pair = report.get(s.selectedCandidatePairId);
        const local = pair ? report.get(pair.localCandidateId) : null;
        type = local ? `${local.candidateType}:${local.port}:${local.relayProtocol}` : null;
      }
    });
    out.push(type);
  }
  return out;
}"""


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((V0, 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def netns_coturn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoturnProcess]:
    base = tmp_path_factory.mktemp("coturn")
    settings = CoturnSettings(
        conf_dir=base / "conf", secret=TURN_SECRET, listening_ips=(V0,), relay_ip=V0,
        port=free_udp_port(), relay_ports="49300-49399", log_file=base / "turnserver.log",
        allow_loopback_peers=True,  # Janus is on 127.0.0.5 here; never in production
        extra=("verbose",))  # sessions and their usernames in the log
    if coturn_binary(settings) is None:
        pytest.skip("coturn is not installed: run `sudo scripts/ensure-media-packages`")
    process = CoturnProcess(settings)
    process.start()
    yield process
    process.stop()


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_a_relay_only_citizen_holds_a_hearing_through_coturn(
        app_server: str, netns_coturn: CoturnProcess, cast: RoomCast, login_staff, settings,
        transport: str, capsys) -> None:
    from playwright.sync_api import sync_playwright

    port = netns_coturn.settings.port
    settings.TURN_URLS = [f"turn:{V0}:{port}?transport={transport}"]
    settings.TURN_SECRET = TURN_SECRET
    settings.TURN_TTL = 600
    base = app_server
    cookies = {}
    for who in ("chair", "operator"):
        client = Client()
        login_staff(client, getattr(cast, who))
        cookies[who] = client.cookies["sessionid"].value
    log = netns_coturn.settings.log_file
    log_before = log.read_text(errors="replace") if log.exists() else ""

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            pages = {}
            for who in ("chair", "operator", "citizen"):
                context = browser.new_context(locale="vi-VN")
                context.set_default_timeout(15_000)
                if who in cookies:
                    context.add_cookies([{"name": "sessionid", "value": cookies[who],
                                          "url": base}])
                pages[who] = context.new_page()
            staff_url = f"{base}/can-bo/phong-tiep/{cast.hearing.pk}/"
            urls = {"chair": staff_url, "operator": staff_url,
                    "citizen": base + join_path(cast.citizen) + "?relay=1"}
            for who, page in pages.items():
                page.goto(urls[who])
                page.click("#accept-rules")
                page.click("#device-ok:not([disabled])")
            citizen, chair = pages["citizen"], pages["chair"]
            citizen.wait_for_selector("#step-lobby:not([hidden])")
            assert citizen.evaluate("window.tiepdanNetwork.relayOnly()")
            assert citizen.locator("#network-mode").is_visible()  # told in words
            assert not chair.evaluate("window.tiepdanNetwork.relayOnly()")
            assert chair.locator("#network-mode").is_hidden()
            citizen_key = f"p{cast.citizen.pk}"
            pages["operator"].click(f'[data-identity="{citizen_key}"]')
            pages["operator"].click(f'[data-admit="{citizen_key}"]')

            def both_see_each_other() -> bool:
                return all(any(v["width"] > 0 for v in pages[w].evaluate(INBOUND).values())
                           for w in ("chair", "citizen"))

            joined_at = time.monotonic()
            wait_for(both_see_each_other, 30, "the chair and the citizen to see each other")
            to_video = time.monotonic() - joined_at
            # Every connection of the citizen goes through the relay; the chair's is direct.
            # (A relayed candidate's port is one coturn allocated from its relay range.)
            citizen_paths = [p.split(":") for p in citizen.evaluate(SELECTED)]
            assert len(citizen_paths) == 2, citizen_paths
            assert all(kind == "relay" and 49300 <= int(port) <= 49399 and via == transport
                       for kind, port, via in citizen_paths), citizen_paths
            assert not any(p.startswith("relay") for p in chair.evaluate(SELECTED))
            before = {w: pages[w].evaluate(INBOUND) for w in ("chair", "citizen")}
            time.sleep(2)
            for who in ("chair", "citizen"):
                for feed, counters in pages[who].evaluate(INBOUND).items():
                    assert counters["framesDecoded"] > before[who][feed]["framesDecoded"], who
            # The citizen speaks: the chair hears it, through coturn.
            chair.click(f'#chair-points [data-grant="{citizen_key}"]')
            citizen_feed = str(citizen.evaluate("window.tiepdanRoom.myFeed"))
            wait_for(lambda: citizen.evaluate(f"window.tiepdanRoom.floor === '{citizen_key}'"),
                     5, "the floor")
            heard = chair.evaluate(INBOUND)[citizen_feed]["audioBytes"]
            time.sleep(3)
            heard = chair.evaluate(INBOUND)[citizen_feed]["audioBytes"] - heard
            assert heard > 5000, heard
            time.sleep(3)  # some seconds of hearing to record
            chair.once("dialog", lambda dialog: dialog.accept())
            chair.click("#end-hearing")
            for who, page in pages.items():
                wait_for(lambda page=page: page.evaluate("window.tiepdanRoom.ended !== null"),
                         30, f"the {who}'s page to be told the hearing has ended")
        finally:
            browser.close()

    # coturn authenticated the citizen with this session's time-limited username.
    username = f":h{cast.hearing.pk}.{citizen_key}"
    allocated = wait_for(lambda: username in (text := log.read_text(errors="replace")[
        len(log_before):]) and text, 5, "coturn's log of the citizen's allocation")
    assert "ALLOCATE processed, success" in allocated

    wait_for(lambda: not RoomSeat.objects.exists(), 20, "every device to leave")
    cast.hearing.refresh_from_db()
    assert cast.hearing.status == "held"
    time.sleep(1)
    tasks.process_recordings.call_local(cast.hearing.pk)
    room = HearingRoom.objects.get(hearing=cast.hearing)
    combined = RecordingFile.objects.get(room=room, is_combined=True)
    assert postprocess.decode_errors(Path(default_storage.path(combined.file.name))) == ""
    files = {f.bridge_point: f for f in RecordingFile.objects.filter(room=room,
                                                                     is_combined=False)}
    assert set(files) == {cast.central, cast.citizen_point}
    relayed = files[cast.citizen_point]
    assert postprocess.decode_errors(Path(default_storage.path(relayed.file.name))) == ""
    published = RoomEvent.objects.get(kind=EventKind.PUBLISH, detail__feed=relayed.feed_id)
    ended = RoomEvent.objects.get(kind=EventKind.END)
    expected = ended.offset_seconds - published.offset_seconds
    assert abs(relayed.duration_seconds - expected) <= 2, (relayed.duration_seconds, expected)
    assert relayed.has_audio  # given the floor: heard and recorded
    assert custody.verify(cast.hearing.pk) == []
    with capsys.disabled():
        print(f"\n[turn e2e {transport}] relay-only citizen and chair seeing each other "
              f"{to_video:.2f} s after admission; citizen recorded "
              f"{relayed.duration_seconds:.1f} s of {expected:.1f} s in the room; chair heard "
              f"{heard} audio bytes in 3 s through coturn")


def test_the_relay_only_choice_on_the_readiness_page_tests_through_coturn_and_is_kept(
        app_server: str, netns_coturn: CoturnProcess, cast: RoomCast, settings) -> None:
    """The point's technician ticks "relay only" on the test page: the path test passes through
    coturn, and the hearing room opened later in that browser uses the relay too."""
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    from tiepdan.hearings.join_tokens import join_token
    from tiepdan.media import readiness_room

    settings.TURN_URLS = [f"turn:{V0}:{netns_coturn.settings.port}?transport=udp"]
    settings.TURN_SECRET = TURN_SECRET
    readiness_room.forget_all()
    log = netns_coturn.settings.log_file
    log_before = len(log.read_text(errors="replace"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="vi-VN").new_page()
            page.set_default_timeout(20_000)
            page.goto(app_server + reverse("media:readiness", args=[join_token(cast.official)]))
            page.check("#relay-only")
            page.click("#start")
            page.click("#speaker-yes")
            page.wait_for_selector("#check-path .outcome.ok", timeout=30_000)
            page.wait_for_selector("#result:not([hidden])")
            assert page.evaluate("window.tiepdanReadiness.result.passed")
            # Reloaded: the choice is still ticked; the room page of this browser relays too.
            page.reload()
            assert page.is_checked("#relay-only")
            page.goto(app_server + join_path(cast.official))
            assert page.evaluate("window.tiepdanNetwork.rtcConfig([{urls: 'turn:x'}])"
                                 ".iceTransportPolicy") == "relay"
        finally:
            browser.close()
    username = f":h{cast.hearing.pk}.test-p{cast.official.pk}"
    wait_for(lambda: username in log.read_text(errors="replace")[log_before:], 5,
             "coturn's log of the readiness test's allocation")
